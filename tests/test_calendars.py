"""Calendar feeds as a calendar app reads them: parsed with the `icalendar` library."""

from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from bijeenkomsten import services
from leden.services import calendar_token_renew
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
    services.register_for_meeting(bijeenkomst_id=elsewhere.pk, lid=lid)
    url = reverse("persoonlijke_agenda", args=[calendar_token_renew(lid=lid)])

    found = events(parse(client.get(url)))  # no login: the token is the key
    assert set(found) == {ours.titel, members.titel, elsewhere.titel}
    assert theirs.titel not in found

    old_token = lid.agenda_token
    calendar_token_renew(lid=lid)
    assert client.get(reverse("persoonlijke_agenda", args=[old_token])).status_code == 404
    new = reverse("persoonlijke_agenda", args=[lid.agenda_token])
    assert set(events(parse(client.get(new)))) == set(found)
