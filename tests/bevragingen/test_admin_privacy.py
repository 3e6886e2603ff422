"""The coordinators' admin is scoped to their networks; what surveys hold on people is
declared, downloaded, erased and forgotten on time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bevragingen import privacy as survey_privacy
from bevragingen import services
from bevragingen.models import Bevraging, Deelname, Emailbevestiging
from leden import privacy
from portal import personal_data
from tests.bevragingen.conftest import build_survey

pytestmark = pytest.mark.django_db


def test_a_coordinator_sees_and_edits_only_their_networks_surveys(
    client, coordinator_twente, twente, rotterdam
):
    own = build_survey(twente, questions=3)
    other = build_survey(rotterdam, questions=3, titel="Rotterdamse bevraging")
    client.force_login(coordinator_twente)
    listing = client.get(reverse("admin:bevragingen_bevraging_changelist"))
    assert listing.status_code == 200
    assert own.titel in listing.content.decode()
    assert other.titel not in listing.content.decode()
    change = "admin:bevragingen_bevraging_change"
    assert client.get(reverse(change, args=[own.pk])).status_code == 200
    assert client.get(reverse(change, args=[other.pk])).status_code == 404


def test_personal_fields_are_in_the_register():
    declared = {(e.model, f) for e in personal_data.entries() for f in e.fields}
    for field in [
        ("bevragingen.Emailbevestiging", "email"),
        ("bevragingen.Antwoord", "tekst"),
        ("bevragingen.Deelname", "user"),
    ]:
        assert field in declared


def test_a_members_download_names_the_surveys_they_answered_and_erasure_removes_it(
    twente, kern_twente
):
    survey = build_survey(twente, questions=2, doelgroep=Bevraging.Doelgroep.LEDEN)
    Deelname.objects.create(bevraging=survey, user=kern_twente)
    holder = next(h for h in privacy.holders() if h.name == "bevragingen")
    assert holder.collect(kern_twente.lid) == [{"soort": "bevraging", "titel": survey.titel}]
    holder.erase(kern_twente, kern_twente.lid)
    assert not Deelname.objects.exists()


def test_confirmed_addresses_are_forgotten_a_month_after_the_close(twente):
    now = timezone.now()
    closed = build_survey(
        twente, questions=1, opent_op=now - timedelta(days=90), sluit_op=now - timedelta(days=40)
    )
    running = build_survey(twente, questions=1, een_per_persoon=True)
    services.emailbevestiging_request(bevraging=closed, email="a@example.org")
    services.emailbevestiging_request(bevraging=running, email="b@example.org")
    assert survey_privacy.CONFIRMATIONS.apply(now) == 1
    assert survey_privacy.CONFIRMATIONS.apply(now) == 0  # idempotent
    assert list(Emailbevestiging.objects.values_list("email", flat=True)) == ["b@example.org"]
