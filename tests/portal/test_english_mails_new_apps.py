"""Mails of the newer apps in the recipient's language (issue 17, part 4): a coordinator's,
staff's or committee member's `Lid.taal`; for people without an account the language of the
page they asked on (a newsletter subscriber keeps it: `Abonnee.taal`, for the newsletter
too); dates in the mail's language's own format."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from actieplannen.digest import followed_progress
from berichten.models import Verzending
from leden.models import Lid
from meldpunt.mails import queue_new_report_notice
from nieuwsbrief import services as newsletter
from nieuwsbrief import tasks as newsletter_tasks
from nieuwsbrief.models import Abonnee
from tests import factories, mailfixtures
from tests.bevragingen.conftest import build_survey
from tests.meldpunt.conftest import committee_user

pytestmark = pytest.mark.django_db
smtp_server = mailfixtures.smtp_server
smtp = mailfixtures.smtp
eager_celery = mailfixtures.eager_celery
COOKIE = settings.LANGUAGE_COOKIE_NAME
TZ = ZoneInfo("Europe/Amsterdam")
_ips = (f"10.17.{i // 250}.{i % 250 + 1}" for i in itertools.count())


def subjects(kind: str) -> dict[str, str]:
    return dict(Verzending.objects.filter(soort=kind).values_list("ontvanger", "onderwerp"))


def english(user) -> None:
    Lid.objects.filter(user=user).update(taal="en")


def test_a_newsletter_subscriber_gets_the_confirmation_in_the_pages_language(client, twente):
    url = reverse("nieuwsbrief:aanmelden")
    for taal, email in (("en", "reader@example.org"), ("nl", "lezer@example.org")):
        client.cookies[COOKIE] = taal
        data = {"email": email, "akkoord": "on", "netwerken": [twente.pk]}
        assert client.post(url, data, REMOTE_ADDR=next(_ips)).status_code == 200
    assert dict(Abonnee.objects.values_list("email", "taal")) == {
        "reader@example.org": "en",
        "lezer@example.org": "nl",
    }
    assert subjects("nieuwsbrief_bevestigen") == {
        "reader@example.org": "Confirm your newsletter subscription",
        "lezer@example.org": "Bevestig je aanmelding voor de nieuwsbrief",
    }


def test_the_subscriber_newsletter_goes_out_in_each_subscribers_language(
    smtp, eager_celery, twente, django_capture_on_commit_callbacks
):
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != 0:
        day += timedelta(days=1)
    now = datetime.combine(day, time(8, 0), TZ)
    factories.BijeenkomstFactory(
        titel="Open avond", netwerken=[twente], doelgroep="open", begin=now + timedelta(days=3)
    )
    for taal, email in (("en", "reader@example.org"), ("nl", "lezer@example.org")):
        abonnee = newsletter.subscription_request(
            email=email, netwerk_ids=[twente.pk], tekst="t", via="test", taal=taal
        )
        newsletter.subscription_confirm(abonnee_id=abonnee.pk)
    with django_capture_on_commit_callbacks(execute=True):
        newsletter_tasks.queue_subscriber_digests(now=now)
    [to_english] = smtp.to("reader@example.org")
    [to_dutch] = smtp.to("lezer@example.org")
    assert ": newsletter " in str(to_english["Subject"])
    assert ": nieuwsbrief " in str(to_dutch["Subject"])


def test_a_survey_confirmation_is_in_the_language_of_the_page_it_was_asked_on(client, twente):
    survey = build_survey(twente, questions=2, titel="Werkdruk", een_per_persoon=True)
    url = reverse("bevragingen:invullen", args=[survey.sleutel])
    for taal, email in (("en", "respondent@example.org"), ("nl", "deelnemer@example.org")):
        client.cookies[COOKIE] = taal
        client.post(url, {"actie": "email", "email": email}, REMOTE_ADDR=next(_ips))
    assert subjects("bevraging_bevestigen") == {
        "respondent@example.org": "Confirm your e-mail address for the survey: Werkdruk",
        "deelnemer@example.org": "Bevestig je e-mailadres voor de bevraging: Werkdruk",
    }


def test_a_contact_message_reaches_each_coordinator_in_their_language(
    client, twente, coordinator_twente
):
    second = factories.UserFactory(email="tweede.coordinator@example.org")
    factories.LidFactory(user=second, naam="Tweede")
    twente.coordinators.add(second)
    english(second)
    client.cookies[COOKIE] = "en"  # the sender's language is not the coordinators'
    data = {"naam": "Sam", "email": "sam@example.org", "bericht": "Wanneer is de avond?"}
    client.post(reverse("contact:netwerk", args=["twente"]), data, REMOTE_ADDR=next(_ips))
    assert subjects("contactbericht") == {
        coordinator_twente.email: "Bericht voor Regionetwerk Twente van Sam",
        second.email: "Message for Regionetwerk Twente from Sam",
    }


def test_the_committee_notice_is_in_each_members_language(db):
    dutch = committee_user("commissie@example.org")
    other = committee_user("committee@example.org")
    english(other)
    queue_new_report_notice(key="test")
    assert subjects("meldpunt_nieuw") == {
        dutch.email: "Iets nieuws bij het vertrouwelijk meldpunt",
        other.email: "Something new at the confidential channel",
    }


def test_an_action_points_progress_in_the_digest_is_dated_in_the_mails_language(
    twente, kern_twente
):
    from actieplannen import services

    plan = services.plan_create(netwerk=twente, titel="Plan")
    uitdaging = services.challenge_create(plan=plan, titel="Uitdaging")
    punt = services.action_point_create(uitdaging=uitdaging, titel="Punt", nummer=1)
    services.action_point_follow(actiepunt=punt, lid=kern_twente.lid)
    note = services.progress_add(actiepunt=punt, tekst="Gestart.")
    type(note).objects.filter(pk=note.pk).update(datum=date(2027, 1, 14))
    now = timezone.now()
    [item] = followed_progress([kern_twente.lid.pk], now - timedelta(days=1), now)[
        kern_twente.lid.pk
    ]
    with translation.override("nl"):
        assert str(item.toelichting) == "14-01-2027 Gestart."
    with translation.override("en"):
        assert str(item.toelichting) == "01/14/2027 Gestart."
