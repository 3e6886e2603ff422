"""Calendar feeds as a calendar app reads them: parsed with the `icalendar` library."""

import re
from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from bijeenkomsten import services
from leden.services import lid_calendar_token_renew
from tests import factories

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def network_feed(client, slug: str = "twente") -> Calendar:
    return parse(client.get(reverse("netwerken:ics", args=[slug])))


def test_network_feed_holds_open_meetings_with_time_zone_and_stable_uids(client, twente):
    open_ = factories.BijeenkomstFactory(titel="Open avond", netwerken=[twente])
    factories.BijeenkomstFactory(titel="Kernoverleg", doelgroep="kern", netwerken=[twente])
    factories.BijeenkomstFactory(titel="Ledenavond", doelgroep="leden", netwerken=[twente])
    calendar = network_feed(client)
    found = events(calendar)
    assert set(found) == {"Open avond"}  # the feed has no login: open meetings only
    event = found["Open avond"]
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTSTART") == open_.begin.replace(microsecond=0)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert not event.walk("VALARM")  # a subscribed feed must not ring for every meeting
    assert str(event["UID"]) == f"bijeenkomst-{open_.pk}@regionet"
    assert str(events(network_feed(client))["Open avond"]["UID"]) == str(event["UID"])


def test_a_moved_and_then_cancelled_meeting_raises_its_sequence_at_once(client, twente):
    bijeenkomst = factories.BijeenkomstFactory(titel="Sociaal café", netwerken=[twente])
    before = events(network_feed(client))["Sociaal café"]  # the feed is cached now
    assert before["SEQUENCE"] == 0 and str(before["STATUS"]) == "CONFIRMED"

    later = bijeenkomst.begin + timedelta(days=7)
    services.meeting_move(bijeenkomst=bijeenkomst, begin=later, einde=later + timedelta(hours=2))
    moved = events(network_feed(client))["Sociaal café"]
    assert moved["UID"] == before["UID"]
    assert moved["SEQUENCE"] == 1 and moved.decoded("DTSTART") == later.replace(microsecond=0)

    services.meeting_cancel(bijeenkomst_id=bijeenkomst.pk)
    cancelled = events(network_feed(client))["Sociaal café"]
    assert cancelled["UID"] == before["UID"]
    assert cancelled["SEQUENCE"] == 2 and str(cancelled["STATUS"]) == "CANCELLED"


def test_meeting_download_has_a_reminder_and_never_the_join_link(client, twente):
    bijeenkomst = factories.BijeenkomstFactory(
        titel="Praktijksafari",
        netwerken=[twente],
        locatie="",
        online_link="https://meet.example.org/geheim",
    )
    calendar = parse(client.get(reverse("bijeenkomsten:ics", args=[bijeenkomst.slug])))
    event = events(calendar)["Praktijksafari"]
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(hours=1)
    assert "geheim" not in calendar.to_ical().decode()  # only registrants get the link
    assert str(event["LOCATION"]) == "online"


def test_personal_feed_follows_the_member_and_stops_with_a_new_token(
    client, cast, twente, rotterdam
):
    lid = cast["kern_twente"].lid
    ours = factories.BijeenkomstFactory(titel="Kern Twente", doelgroep="kern", netwerken=[twente])
    members = factories.BijeenkomstFactory(
        titel="Leden Twente", doelgroep="leden", netwerken=[twente]
    )
    theirs = factories.BijeenkomstFactory(
        titel="Kern Rotterdam", doelgroep="kern", netwerken=[rotterdam]
    )
    elsewhere = factories.BijeenkomstFactory(titel="Open Rotterdam", netwerken=[rotterdam])
    services.registration_create(bijeenkomst_id=elsewhere.pk, lid=lid)
    url = reverse("persoonlijke_agenda", args=[lid_calendar_token_renew(lid=lid)])

    found = events(parse(client.get(url)))  # no login: the token is the key
    assert set(found) == {ours.titel, members.titel, elsewhere.titel}
    assert theirs.titel not in found

    old_token = lid.agenda_token
    lid_calendar_token_renew(lid=lid)
    assert client.get(reverse("persoonlijke_agenda", args=[old_token])).status_code == 404
    new = reverse("persoonlijke_agenda", args=[lid.agenda_token])
    assert set(events(parse(client.get(new)))) == set(found)


# --- Calendars follow changes: the mails carry the event as it now stands -------------------

from tests import mailfixtures  # noqa: E402 (fixtures for this section only)

smtp_server, smtp, eager_celery = (
    mailfixtures.smtp_server,
    mailfixtures.smtp,
    mailfixtures.eager_celery,
)


def _calendar_of(message) -> tuple[Calendar, str]:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_content()), part.get_param("method") or ""


def test_moved_and_cancelled_meeting_mails_carry_the_updated_event(
    smtp, eager_celery, twente, kern_twente, django_capture_on_commit_callbacks
):
    bijeenkomst = factories.BijeenkomstFactory(titel="Intervisie", netwerken=[twente])
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(bijeenkomst_id=bijeenkomst.pk, lid=kern_twente.lid)
    [registered] = smtp.messages
    first, _ = _calendar_of(registered)
    uid = str(first.walk("VEVENT")[0]["UID"])

    later = bijeenkomst.begin + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_move(
            bijeenkomst=bijeenkomst, begin=later, einde=later + timedelta(hours=2)
        )
    moved, method = _calendar_of(smtp.messages[-1])
    [event] = moved.walk("VEVENT")
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == later.replace(microsecond=0)
    assert str(moved["METHOD"]) == "PUBLISH" and method != "CANCEL"

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(bijeenkomst_id=bijeenkomst.pk)
    cancelled, method = _calendar_of(smtp.messages[-1])
    [event] = cancelled.walk("VEVENT")
    assert str(cancelled["METHOD"]) == "CANCEL" and method == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED" and str(event["UID"]) == uid
    assert int(event["SEQUENCE"]) >= 2
    assert len(smtp.messages) == 3


def test_feeds_carry_a_calendar_name(client, twente, kern_twente):
    factories.BijeenkomstFactory(netwerken=[twente])
    network = network_feed(client)
    assert str(network["X-WR-CALNAME"]) == "Regionet: Regionetwerk Twente"
    assert str(network["NAME"]) == "Regionet: Regionetwerk Twente"
    token = lid_calendar_token_renew(lid=kern_twente.lid)
    personal = parse(client.get(reverse("persoonlijke_agenda", args=[token])))
    assert str(personal["X-WR-CALNAME"]) == "Regionet: mijn bijeenkomsten"


def test_meeting_page_offers_web_calendars_without_the_join_link(client, twente, kern_twente):
    from urllib.parse import parse_qs, urlsplit

    online = factories.BijeenkomstFactory(
        titel="Praktijksafari",
        netwerken=[twente],
        locatie="",
        online_link="https://meet.example.org/geheim",
    )
    html = client.get(online.get_absolute_url()).content.decode()
    assert "Zet in mijn agenda" in html and "meet.example.org" not in html
    google = next(
        link for link in re.findall(r'href="([^"]+)"', html) if "calendar.google.com" in link
    )
    query = parse_qs(urlsplit(google.replace("&amp;", "&")).query)
    assert query["text"] == ["Praktijksafari"] and query["location"] == ["online"]
    start, end = query["dates"][0].split("/")
    assert start == online.begin.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert "outlook.live.com" in html and "outlook.office.com" in html
