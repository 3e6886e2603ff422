"""A followed action point's new progress comes in the member's next digest, once."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from actieplannen import services
from actieplannen.models import Voortgang
from bijeenkomsten import digest
from leden.models import DigestToestemming

from .conftest import first_point

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Europe/Amsterdam")


def monday_morning(weeks_ahead: int = 1) -> datetime:
    today = timezone.localdate()
    monday = today + timedelta(days=7 * weeks_ahead - today.weekday())
    return datetime.combine(monday, time(8, 0), TZ)


def subscribed(user):
    lid = user.lid
    lid.digest = "wekelijks"
    lid.save(update_fields=["digest"])
    DigestToestemming.objects.create(
        lid=lid, frequentie="wekelijks", tekst="t", gevraagd_via="test", bevestigd_op=timezone.now()
    )
    return lid


@pytest.fixture(autouse=True)
def _old_notes_are_old(plan_twente):
    """The plan's notes were written long ago: only a test's own note is news."""
    Voortgang.objects.update(aangemaakt_op=timezone.now() - timedelta(days=60))


def written_at(note: Voortgang, when: datetime) -> None:
    """As if the note had been written then (the digest window reads when it was written)."""
    Voortgang.objects.filter(pk=note.pk).update(aangemaakt_op=when)


def sections(lid, now: datetime) -> list:
    periode = digest.digest_period("wekelijks", now=now)
    found = digest.build_digests([lid.pk], periode, now=now)
    return found[lid.pk][1].extra if lid.pk in found else []


def test_a_followed_points_new_note_is_in_the_next_digest_once(
    plan_twente, kern_twente, betrokken_twente
):
    follower, other = subscribed(kern_twente), subscribed(betrokken_twente)
    punt = first_point(plan_twente)
    services.action_point_follow(actiepunt=punt, lid=follower)
    first = monday_morning(1)
    note = services.progress_add(actiepunt=punt, tekst="De stuurgroep koos een trekker.")
    written_at(note, first - timedelta(days=2))  # the Saturday before

    [section] = sections(follower, first)
    assert str(section.titel) == "Nieuws over de actiepunten die je volgt"
    [item] = section.items
    assert item.titel == punt.titel
    assert "De stuurgroep koos een trekker." in item.toelichting
    assert item.url == f"/actieplannen/netwerk/twente/#punt-{punt.pk}"
    assert sections(other, first) == []  # not followed: not there
    assert sections(follower, first + timedelta(days=7)) == []  # the week after: not again


def test_a_note_written_on_digest_morning_waits_for_the_next_week(plan_twente, kern_twente):
    follower = subscribed(kern_twente)
    punt = first_point(plan_twente)
    services.action_point_follow(actiepunt=punt, lid=follower)
    first = monday_morning(1)
    note = services.progress_add(actiepunt=punt, tekst="Vroeg op maandag.")
    written_at(note, first - timedelta(hours=1))
    assert sections(follower, first) == []
    [section] = sections(follower, first + timedelta(days=7))
    assert "Vroeg op maandag." in section.items[0].toelichting


def test_the_sent_digest_names_the_point_and_links_to_it(plan_twente, kern_twente, settings):
    follower = subscribed(kern_twente)
    punt = first_point(plan_twente)
    services.action_point_follow(actiepunt=punt, lid=follower)
    first = monday_morning(1)
    note = services.progress_add(actiepunt=punt, tekst="Nieuwe afspraken.")
    written_at(note, first - timedelta(days=1))
    periode = digest.digest_period("wekelijks", now=first)
    assert digest.send_digest_batch([follower.pk], periode, now=first) == 1
    [message] = mail.outbox
    text = message.body
    html = message.alternatives[0][0]
    assert "Nieuws over de actiepunten die je volgt" in text
    assert punt.titel in text and "Nieuwe afspraken." in text
    assert f"{settings.SITE_URL}/actieplannen/netwerk/twente/#punt-{punt.pk}" in text
    assert f'href="{settings.SITE_URL}/actieplannen/netwerk/twente/#punt-{punt.pk}"' in html
