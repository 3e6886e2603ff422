"""iCalendar for meetings, shared by the registration mail and the calendar feeds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Alarm, Calendar, Event

from .models import Bijeenkomst

TZ = ZoneInfo("Europe/Amsterdam")


def meeting_uid(bijeenkomst: Bijeenkomst) -> str:
    """Stable across edits, so a calendar updates the event instead of adding a second one."""
    return f"bijeenkomst-{bijeenkomst.pk}@regionet"


def meeting_calendar(
    bijeenkomsten: Iterable[Bijeenkomst], *, method: str = "PUBLISH", alarm: bool = True
) -> bytes:
    """One VCALENDAR with a VEVENT per meeting (times in Europe/Amsterdam, with a VTIMEZONE).

    SEQUENCE follows `Bijeenkomst.sequence` and a cancelled meeting carries STATUS:CANCELLED, so
    clients that already hold the event replace it. `alarm`: a reminder an hour before, for
    one's own meeting; feeds go without, or every meeting of a network would ring.
    """
    cal = Calendar()
    cal.add("prodid", "-//Regionet//Bijeenkomsten//NL")
    cal.add("version", "2.0")
    cal.add("method", method)
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    stamp = timezone.now()
    for bijeenkomst in bijeenkomsten:
        event = Event()
        event.add("uid", meeting_uid(bijeenkomst))
        event.add("dtstamp", stamp)
        event.add("dtstart", bijeenkomst.begin.astimezone(TZ))
        event.add("dtend", bijeenkomst.einde.astimezone(TZ))
        event.add("summary", bijeenkomst.titel)
        event.add("sequence", bijeenkomst.sequence)
        event.add("status", "CANCELLED" if bijeenkomst.geannuleerd else "CONFIRMED")
        event.add("url", settings.SITE_URL + bijeenkomst.get_absolute_url())
        place = ", ".join(part for part in (bijeenkomst.locatie, bijeenkomst.adres) if part)
        if place:
            event.add("location", place)
        elif bijeenkomst.online_link:
            # The join link is for registrants, on the meeting page only: feeds are shared.
            event.add("location", gettext("online"))
        description = bijeenkomst.beschrijving or bijeenkomst.thema
        if description:
            event.add("description", description)
        if alarm and not bijeenkomst.geannuleerd:
            reminder = Alarm()
            reminder.add("action", "DISPLAY")
            reminder.add("description", bijeenkomst.titel)
            reminder.add("trigger", timedelta(hours=-1))
            event.add_component(reminder)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
