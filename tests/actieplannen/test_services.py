"""The services write plans, challenges, points and notes, and every change in the history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actieplannen import services
from actieplannen.models import Actieplan, Actiepunt, Status, Uitdaging, Volger, Wijziging
from netwerken.models import Subregio
from tests import factories

from .conftest import first_point

pytestmark = pytest.mark.django_db


def kinds(plan) -> list[str]:
    return list(plan.wijzigingen.order_by("op", "pk").values_list("soort", flat=True))


def test_every_write_leaves_one_history_entry(twente, coordinator_twente):
    plan = services.plan_create(netwerk=twente, titel="Plan", door=coordinator_twente)
    uitdaging = services.challenge_create(plan=plan, titel="Diversiteit", door=coordinator_twente)
    punt = services.action_point_create(uitdaging=uitdaging, titel="Teams", door=coordinator_twente)
    services.action_point_update(actiepunt=punt, status=Status.LOPEND, door=coordinator_twente)
    note = services.progress_add(actiepunt=punt, tekst="Gestart", door=coordinator_twente)
    services.progress_update(voortgang=note, tekst="Gestart in Enschede")
    services.action_point_update(actiepunt=punt, doel="Meer diversiteit")
    services.progress_delete(voortgang=note)
    services.action_point_delete(actiepunt=punt)
    services.challenge_delete(uitdaging=uitdaging)

    assert kinds(plan) == [
        "aangemaakt",
        "aangemaakt",
        "aangemaakt",
        "status",
        "voortgang",
        "gewijzigd",
        "gewijzigd",
        "verwijderd",
        "verwijderd",
        "verwijderd",
    ]
    status = plan.wijzigingen.get(soort="status")
    assert status.velden == {"status": ["idee", "lopend"]}
    assert status.omschrijving == "“Teams”: idee → lopend."
    assert status.door == coordinator_twente
    assert Wijziging.objects.filter(door__isnull=True).count() == 5


def test_an_update_that_changes_nothing_writes_no_history(plan_twente):
    punt = first_point(plan_twente)
    before = plan_twente.wijzigingen.count()
    services.action_point_update(actiepunt=punt, titel=punt.titel, status=punt.status)
    services.plan_update(plan=plan_twente, titel=plan_twente.titel)
    assert plan_twente.wijzigingen.count() == before


def test_pullers_and_meetings_are_kept_in_the_history_by_id_not_by_name(plan_twente, kern_twente):
    punt = first_point(plan_twente)
    meeting = factories.BijeenkomstFactory(netwerken=[plan_twente.netwerk])
    services.action_point_update(
        actiepunt=punt, trekkers=[kern_twente.lid], bijeenkomsten=[meeting]
    )
    entry = plan_twente.wijzigingen.latest("op", "pk")
    assert entry.velden == {
        "trekkers": [[], [kern_twente.lid.pk]],
        "bijeenkomsten": [[], [meeting.pk]],
    }
    assert list(punt.trekkers.all()) == [kern_twente.lid]
    assert kern_twente.lid.naam not in str(entry.velden)


def test_a_plan_belongs_to_a_network_or_an_umbrella_never_both(twente):
    with pytest.raises(ValidationError):
        services.plan_create(titel="Beide", netwerk=twente, koepel=twente.koepel)
    with pytest.raises(ValidationError):
        services.plan_create(titel="Geen van beide")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Actieplan.objects.create(titel="Beide", netwerk=twente, koepel=twente.koepel)


def test_a_network_adds_only_to_its_own_umbrellas_plan(twente):
    own = services.plan_create(koepel=twente.koepel, titel="Vlaams actieplan")
    other_koepel = factories.KoepelFactory(slug="ssw", naam="Sterk Sociaal Werk", land="BE")
    other = services.plan_create(koepel=other_koepel, titel="Ander actieplan")
    plan = services.plan_create(netwerk=twente, titel="Regionaal", koepelplan=own)
    assert plan.koepelplan == own
    with pytest.raises(ValidationError):
        services.plan_update(plan=plan, koepelplan=other)


def test_each_sub_region_takes_up_one_challenge_of_its_own_networks_plan(twente, rotterdam):
    hageland = Subregio.objects.create(netwerk=twente, naam="Hageland")
    elders = Subregio.objects.create(netwerk=rotterdam, naam="Elders")
    plan = services.plan_create(netwerk=twente, titel="Plan")
    taken = services.challenge_create(plan=plan, titel="Zichtbaarheid", subregio=hageland)
    assert list(hageland.uitdagingen.all()) == [taken]
    with pytest.raises(ValidationError):
        services.challenge_create(plan=plan, titel="Tweede", subregio=hageland)
    with pytest.raises(ValidationError):
        services.challenge_create(plan=plan, titel="Andermans", subregio=elders)
    other = services.challenge_create(plan=plan, titel="Rechten")
    with pytest.raises(ValidationError):
        services.challenge_update(uitdaging=other, subregio=elders)
    assert Uitdaging.objects.filter(subregio=elders).count() == 0


def test_a_point_stays_within_its_plan(plan_twente, plan_rotterdam):
    punt = first_point(plan_twente)
    elsewhere = plan_rotterdam.uitdagingen.first()
    with pytest.raises(ValidationError):
        services.action_point_update(actiepunt=punt, uitdaging=elsewhere)
    punt.refresh_from_db()
    assert punt.uitdaging.plan == plan_twente


def test_status_is_one_of_four(plan_twente):
    punt = first_point(plan_twente)
    with pytest.raises(ValidationError):
        services.action_point_update(actiepunt=punt, status="misschien")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Actiepunt.objects.filter(pk=punt.pk).update(status="misschien")
    assert [str(s.label) for s in Status] == ["idee", "lopend", "afgerond", "gestopt"]


def test_progress_note_is_dated_and_marks_the_point_changed(plan_twente):
    punt = first_point(plan_twente)
    before = Actiepunt.objects.get(pk=punt.pk).gewijzigd_op
    note = services.progress_add(actiepunt=punt, tekst="Stuurgroep", datum=date(2021, 3, 16))
    assert note.datum == date(2021, 3, 16)
    assert Actiepunt.objects.get(pk=punt.pk).gewijzigd_op > before
    assert "16-03-2021" in plan_twente.wijzigingen.latest("op", "pk").omschrijving


def test_following_twice_is_following_once(plan_twente, kern_twente):
    punt = first_point(plan_twente)
    services.action_point_follow(actiepunt=punt, lid=kern_twente.lid)
    services.action_point_follow(actiepunt=punt, lid=kern_twente.lid)
    assert Volger.objects.count() == 1
    services.action_point_unfollow(actiepunt=punt, lid=kern_twente.lid)
    assert Volger.objects.count() == 0


def test_deleting_a_challenge_keeps_the_names_of_its_points_in_the_history(plan_twente):
    uitdaging = plan_twente.uitdagingen.get()
    services.challenge_delete(uitdaging=uitdaging)
    entry = plan_twente.wijzigingen.latest("op", "pk")
    assert entry.soort == "verwijderd"
    assert entry.velden == {"actiepunten": [["Punt 1.1", "Punt 1.2"], []]}
