"""Dates (and hours) on the newer apps' pages in the reader's language's own format (issue 17,
part 4): the named formats of config/formats, never a Dutch "j F Y" in a template."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from actieplannen import services as plans
from deelname.educational import hours
from deelname.models import Deelnamebewijs
from tests.bevragingen.conftest import build_survey
from tests.deelname.conftest import attend, past_meeting

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME
TZ = ZoneInfo("Europe/Amsterdam")


def test_an_action_plan_page_gives_its_dates_in_english(client, twente):
    plan = plans.plan_create(netwerk=twente, titel="Plan", vastgesteld_op=date(2027, 1, 14))
    uitdaging = plans.challenge_create(plan=plan, titel="Uitdaging")
    punt = plans.action_point_create(uitdaging=uitdaging, titel="Punt", nummer=1)
    note = plans.progress_add(actiepunt=punt, tekst="Gestart.")
    type(note).objects.filter(pk=note.pk).update(datum=date(2027, 2, 3))
    url = reverse("actieplannen:netwerk", args=["twente"])
    page = client.get(url).content.decode()
    assert "14 januari 2027" in page and "3 februari 2027" in page
    client.cookies[COOKIE] = "en"
    page = client.get(url).content.decode()
    assert "January 14, 2027" in page and "February 3, 2027" in page
    assert "januari" not in page and "februari" not in page


def test_a_survey_not_open_yet_says_when_it_opens_in_english(client, twente):
    opens = datetime(2099, 3, 18, 9, 0, tzinfo=TZ)
    survey = build_survey(twente, questions=1, opent_op=opens, sluit_op=opens + timedelta(days=30))
    client.cookies[COOKIE] = "en"
    page = client.get(reverse("bevragingen:invullen", args=[survey.sleutel])).content.decode()
    assert "This survey opens on March 18, 2099, 9:00 a.m." in page


def test_a_certificate_verification_gives_date_and_hours_in_english(client, twente, kern_twente):
    meeting = past_meeting(twente, begin=datetime(2026, 3, 18, 19, 30, tzinfo=TZ))
    attend(meeting, kern_twente)
    client.force_login(kern_twente)
    client.get(reverse("deelname:bewijs", args=[meeting.pk]))
    client.logout()
    client.cookies[COOKIE] = "en"
    code = Deelnamebewijs.objects.get().code
    page = client.get(reverse("deelname:verificatie", args=[code])).content.decode()
    assert "March 18, 2026" in page and "2.00" in page
    assert "maart" not in page and "2,00" not in page


def test_hours_follow_the_languages_notation():
    with translation.override("nl"):
        assert hours(90) == "1,50"
    with translation.override("en"):
        assert hours(90) == "1.50"
