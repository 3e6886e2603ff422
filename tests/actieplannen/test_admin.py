"""Coordinators keep their network's plans in the admin, through the services (so the history
has every change), and never see another network's."""

import pytest
from django.urls import reverse

from actieplannen import services
from actieplannen.models import Actieplan, Actiepunt, Uitdaging, Voortgang, Wijziging
from netwerken.models import Subregio

from .conftest import first_point

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, obj",
    [
        ("actieplan", lambda plan: plan),
        ("uitdaging", lambda plan: plan.uitdagingen.get()),
        ("actiepunt", first_point),
        ("wijziging", lambda plan: plan.wijzigingen.first()),
    ],
)
def test_another_networks_objects_are_not_found(
    client, coordinator_twente, plan_twente, plan_rotterdam, name, obj
):
    client.force_login(coordinator_twente)
    mine, theirs = obj(plan_twente), obj(plan_rotterdam)
    assert (
        client.get(reverse(f"admin:actieplannen_{name}_change", args=[mine.pk])).status_code == 200
    )
    for view in ("change", "history"):
        url = reverse(f"admin:actieplannen_{name}_{view}", args=[theirs.pk])
        assert client.get(url).status_code == 404
    listing = client.get(reverse(f"admin:actieplannen_{name}_changelist")).content.decode()
    assert str(mine) in listing


def test_umbrella_plans_are_the_umbrella_staffs(client, coordinator_twente, staff, twente):
    koepelplan = services.plan_create(koepel=twente.koepel, titel="Vlaams actieplan")
    client.force_login(coordinator_twente)
    url = reverse("admin:actieplannen_actieplan_change", args=[koepelplan.pk])
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_the_history_cannot_be_changed_or_deleted(client, staff, plan_twente):
    client.force_login(staff)
    entry = plan_twente.wijzigingen.first()
    assert client.get(reverse("admin:actieplannen_wijziging_add")).status_code == 403
    url = reverse("admin:actieplannen_wijziging_delete", args=[entry.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Wijziging.objects.filter(pk=entry.pk).exists()


def inline(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def test_a_coordinator_adds_a_plan_with_challenges_through_the_services(
    client, coordinator_twente, twente
):
    hageland = Subregio.objects.create(netwerk=twente, naam="Hageland")
    client.force_login(coordinator_twente)
    data = {"netwerk": twente.pk, "titel": "Ons plan", "inleiding": "", "vastgesteld_op": ""}
    data.update(
        inline(
            "uitdagingen",
            [
                {"volgorde": "0", "titel": "Diversiteit", "toelichting": "", "subregio": ""},
                {"volgorde": "1", "titel": "Beweging", "toelichting": "", "subregio": hageland.pk},
            ],
        )
    )
    response = client.post(reverse("admin:actieplannen_actieplan_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = Actieplan.objects.get(titel="Ons plan")
    assert plan.netwerk == twente and plan.koepel is None
    assert [u.titel for u in plan.uitdagingen.all()] == ["Diversiteit", "Beweging"]
    assert plan.uitdagingen.get(titel="Beweging").subregio == hageland
    assert list(plan.wijzigingen.values_list("soort", flat=True)) == ["aangemaakt"] * 3
    assert set(plan.wijzigingen.values_list("door", flat=True)) == {coordinator_twente.pk}


def test_a_coordinator_cannot_hand_a_challenge_to_another_networks_sub_region(
    client, coordinator_twente, plan_twente, rotterdam
):
    elders = Subregio.objects.create(netwerk=rotterdam, naam="Elders")
    uitdaging = plan_twente.uitdagingen.get()
    client.force_login(coordinator_twente)
    url = reverse("admin:actieplannen_uitdaging_change", args=[uitdaging.pk])
    data = {"volgorde": "0", "titel": uitdaging.titel, "toelichting": "", "subregio": elders.pk}
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert Uitdaging.objects.get(pk=uitdaging.pk).subregio is None


def test_status_change_and_progress_note_in_the_admin_go_into_the_history(
    client, coordinator_twente, plan_twente, kern_twente, lid_rotterdam
):
    punt = first_point(plan_twente)
    client.force_login(coordinator_twente)
    url = reverse("admin:actieplannen_actiepunt_change", args=[punt.pk])
    existing = punt.voortgang.get()
    data = {
        "uitdaging": punt.uitdaging_id,
        "nummer": "1",
        "titel": punt.titel,
        "doel": "",
        "status": "lopend",
        "trekkers": [kern_twente.lid.pk],
    }
    data.update(
        inline(
            "voortgang",
            [
                {"id": existing.pk, "actiepunt": punt.pk, "datum": "2021-03-01", "tekst": "Eerste"},
                {"actiepunt": punt.pk, "datum": "2021-03-16", "tekst": "World Social Work Day"},
            ],
            initial=1,
        )
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    punt.refresh_from_db()
    assert punt.status == "lopend" and list(punt.trekkers.all()) == [kern_twente.lid]
    assert set(Voortgang.objects.filter(actiepunt=punt).values_list("tekst", flat=True)) == {
        "Eerste",
        "World Social Work Day",
    }
    soorten = list(
        Wijziging.objects.filter(actiepunt=punt, door=coordinator_twente).values_list(
            "soort", flat=True
        )
    )
    assert sorted(soorten) == ["gewijzigd", "gewijzigd", "voortgang"]

    # A member of another network is not one of the choices.
    data["trekkers"] = [lid_rotterdam.lid.pk]
    assert client.post(url, data).status_code == 200
    assert list(punt.trekkers.all()) == [kern_twente.lid]


def test_deleting_points_in_bulk_goes_through_the_service(client, coordinator_twente, plan_twente):
    client.force_login(coordinator_twente)
    ids = list(Actiepunt.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("admin:actieplannen_actiepunt_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not Actiepunt.objects.exists()
    assert plan_twente.wijzigingen.filter(soort="verwijderd").count() == 2
