"""What action plans hold on people: declared in the register, in the member's download, and
let go of when they leave the network or the portal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actieplannen import privacy as plan_privacy
from actieplannen import services
from actieplannen.models import Actiepunt, Volger, Voortgang, Wijziging
from leden import privacy
from leden import services as leden_services
from portal import personal_data

from .conftest import first_point

pytestmark = pytest.mark.django_db


def test_personal_fields_are_in_the_register():
    declared = {(e.model, f) for e in personal_data.entries() for f in e.fields}
    assert {
        ("actieplannen.Voortgang", "tekst"),
        ("actieplannen.Voortgang", "auteur"),
        ("actieplannen.Actiepunt", "trekkers"),
        ("actieplannen.Volger", "lid"),
        ("actieplannen.Wijziging", "door"),
        ("actieplannen.Wijziging", "velden"),
    } <= declared


def test_the_download_holds_follows_pulling_and_notes(plan_twente, kern_twente):
    punt = first_point(plan_twente)
    lid = kern_twente.lid
    services.action_point_follow(actiepunt=punt, lid=lid)
    services.action_point_update(actiepunt=punt, trekkers=[lid])
    services.progress_add(actiepunt=punt, tekst="Mijn notitie", auteur=lid)
    rows = privacy.member_data(lid=lid)["actieplannen"]
    assert {row["soort"] for row in rows} == {"volgt", "trekt", "voortgang"}


def test_leaving_the_network_ends_pulling_its_points(plan_twente, twente, kern_twente):
    punt = first_point(plan_twente)
    services.action_point_update(actiepunt=punt, trekkers=[kern_twente.lid])
    leden_services.membership_leave(lid=kern_twente.lid, netwerk_id=twente.pk)
    assert not Actiepunt.objects.get(pk=punt.pk).trekkers.exists()


def test_erasure_keeps_notes_and_history_without_the_person(plan_twente, kern_twente):
    punt = first_point(plan_twente)
    lid = kern_twente.lid
    services.action_point_follow(actiepunt=punt, lid=lid)
    services.action_point_update(actiepunt=punt, trekkers=[lid], door=kern_twente)
    note = services.progress_add(actiepunt=punt, tekst="Notitie", auteur=lid, door=kern_twente)
    privacy.account_delete(user=kern_twente)
    assert Voortgang.objects.get(pk=note.pk).auteur is None
    assert not Volger.objects.exists() and not punt.trekkers.exists()
    assert not Wijziging.objects.filter(door__isnull=False).exists()


def test_history_older_than_its_retention_is_deleted(plan_twente):
    old = plan_twente.wijzigingen.first()
    Wijziging.objects.filter(pk=old.pk).update(op=timezone.now() - timedelta(days=6 * 365))
    assert plan_privacy.HISTORY.apply is not None
    assert plan_privacy.HISTORY.apply(timezone.now()) == 1
    assert plan_privacy.HISTORY.apply(timezone.now()) == 0
    assert not Wijziging.objects.filter(pk=old.pk).exists()
