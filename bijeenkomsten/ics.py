"""iCalendar for meetings, shared by the registration mail and the calendar feeds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, gettext
from icalendar import Alarm, Calendar, Event

from .models import Bijeenkomst

TZ = ZoneInfo("Europe/Amsterdam")


def meeting_uid(bijeenkomst: Bijeenkomst) -> str:
    """Stable across edits, so a calendar updates the event instead of adding a second one."""
    return f"bijeenkomst-{bijeenkomst.pk}@regionet"


def meeting_calendar(
    bijeenkomsten: Iterable[Bijeenkomst],
    *,
    method: str = "PUBLISH",
    alarm: bool = True,
    name: str = "",
) -> bytes:
    """One VCALENDAR with a VEVENT per meeting (times in Europe/Amsterdam, with a VTIMEZONE).

    SEQUENCE follows `Bijeenkomst.sequence` and a cancelled meeting carries STATUS:CANCELLED, so
    clients that already hold the event replace it. `alarm`: a reminder an hour before, for
    one's own meeting; feeds go without, or every meeting of a network would ring. `name`: the
    calendar's name in the app that subscribes to a feed (NAME, and X-WR-CALNAME for Apple and
    Google, which read only that).
    """
    cal = Calendar()
    cal.add("prodid", "-//Regionet//Bijeenkomsten//NL")
    cal.add("version", "2.0")
    cal.add("method", method)
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    if name:
        cal.add("name", name)
        cal.add("x-wr-calname", name)
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


# A registration rush mails the same meeting's calendar to hundreds of people within a minute:
# made once per process and minute, and reused while the meeting is unchanged (the key holds
# every field the file shows, and the minute, so its DTSTAMP stays that recent).
_mail_calendars: dict[tuple, tuple[str, bytes, str]] = {}


def meeting_mail_calendar(bijeenkomst: Bijeenkomst) -> tuple[str, bytes, str]:
    """The calendar file a mail about one's own meeting carries: the event as it now stands
    (same UID, current SEQUENCE), or its cancellation, which a calendar app applies at once."""
    b = bijeenkomst
    key = (
        b.pk, b.slug, b.sequence, b.geannuleerd, b.begin, b.einde, b.titel, b.locatie, b.adres,
        bool(b.online_link), b.beschrijving, b.thema, settings.SITE_URL, get_language(),
        timezone.now().replace(second=0, microsecond=0),
    )  # fmt: skip
    attachment = _mail_calendars.get(key)
    if attachment is None:
        if len(_mail_calendars) >= 100:
            _mail_calendars.clear()
        attachment = _mail_calendars[key] = _meeting_mail_calendar(bijeenkomst)
    return attachment


def _meeting_mail_calendar(bijeenkomst: Bijeenkomst) -> tuple[str, bytes, str]:
    if bijeenkomst.geannuleerd:
        body = meeting_calendar([bijeenkomst], method="CANCEL", alarm=False)
        return ("bijeenkomst.ics", body, "text/calendar; method=CANCEL")
    return ("bijeenkomst.ics", meeting_calendar([bijeenkomst]), "text/calendar")


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def add_to_calendar_links(bijeenkomst: Bijeenkomst) -> list[tuple[str, str]]:
    """Links that open the meeting in a web calendar's "new event" form: nothing is fetched
    from those sites until the person clicks. Apple Calendar and desktop Outlook take the .ics
    file, offered beside these."""
    url = settings.SITE_URL + bijeenkomst.get_absolute_url()
    place = ", ".join(part for part in (bijeenkomst.locatie, bijeenkomst.adres) if part)
    if not place and bijeenkomst.online_link:
        place = gettext("online")  # never the join link: it is for registrants only
    details = f"{bijeenkomst.thema or ''}\n\n{url}".strip()
    google = "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": bijeenkomst.titel,
            "dates": f"{_utc(bijeenkomst.begin)}/{_utc(bijeenkomst.einde)}",
            "details": details,
            "location": place,
            "ctz": "Europe/Amsterdam",
        }
    )
    outlook_query = urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": bijeenkomst.titel,
            "startdt": bijeenkomst.begin.astimezone(UTC).isoformat(),
            "enddt": bijeenkomst.einde.astimezone(UTC).isoformat(),
            "body": details,
            "location": place,
        }
    )
    compose = "/calendar/0/deeplink/compose?" + outlook_query
    return [
        (gettext("Google Calendar"), google),  # Google calls it "Google Agenda" in Dutch
        ("Outlook.com", "https://outlook.live.com" + compose),
        ("Microsoft 365", "https://outlook.office.com" + compose),
    ]
