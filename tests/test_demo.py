from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command

from bijeenkomsten.models import Aanmelding, Bijeenkomst
from leden.models import Lid, Lidmaatschap
from netwerken.demo import load_scale
from netwerken.models import Netwerk

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"leden", "netwerken", "bijeenkomsten", "account"}
    }


def test_seed_demo_twice_gives_the_same_row_counts():
    call_command("seed_demo")
    first = row_counts()
    call_command("seed_demo")
    assert row_counts() == first
    assert first["netwerken.Netwerk"] == 10


def test_seed_demo_loads_the_facts_of_the_source_texts():
    call_command("seed_demo")
    twente = Netwerk.objects.get(slug="twente")
    assert twente.contact_email == "regionetwerktwente@bpsw.nl"
    assert (twente.kern_min, twente.kern_max) == (10, 14)
    assert Netwerk.objects.filter(koepel__land="BE").count() == 6
    brabant = Netwerk.objects.get(slug="vlaams-brabant")
    assert set(brabant.subregios.values_list("naam", flat=True)) == {
        "Hageland",
        "Leuven",
        "Halle en Pajottenland",
        "Vilvoorde",
    }
    assert list(
        Netwerk.objects.get(slug="limburg").speerpunten.values_list("titel", flat=True)
    ) == ["Diversiteit", "Een duidelijke plaats op de eerste lijn", "Onderbescherming"]
    conferentie = Bijeenkomst.objects.get(slug="hoezo-sociaal-werk-2017")
    assert conferentie.begin.date() == date(2017, 11, 9)
    assert {o.soort for o in conferentie.onderdelen.all()} >= {"lezing", "tafelronde", "poster"}
    assert (
        Bijeenkomst.objects.get(slug="rotterdam-2016-05-26-werken-in-wijkteams")
        .onderdelen.filter(soort="workshop")
        .count()
        == 3
    )
    assert Bijeenkomst.objects.filter(begin__date=date(2019, 1, 17), netwerken=twente).exists()
    assert Bijeenkomst.objects.filter(begin__date=date(2021, 3, 16), soort="wswd").exists()


def test_seed_demo_plans_meetings_ahead_so_the_agenda_is_never_empty():
    from django.utils import timezone

    call_command("seed_demo")
    for netwerk in Netwerk.objects.all():
        assert netwerk.bijeenkomsten.filter(begin__gt=timezone.now()).count() >= 3, netwerk


def test_scale_adds_members_meetings_and_registrations_once():
    call_command("seed_demo")
    before_members = Lid.objects.count()
    load_scale(400, log=lambda _: None)
    models = (Lid, Lidmaatschap, Bijeenkomst, Aanmelding)
    counts = [model.objects.count() for model in models]
    assert counts[0] == before_members + 400
    assert Bijeenkomst.objects.filter(slug__startswith="schaal-").count() == 40
    assert Aanmelding.objects.filter(bijeenkomst__slug__startswith="schaal-").count() == 1600
    # A network added in between (the mail benchmark adds one) changes nothing on a rerun.
    Netwerk.objects.create(
        slug="bench-twente", naam="Bench Twente", koepel=Netwerk.objects.first().koepel
    )
    load_scale(400, log=lambda _: None)
    assert [model.objects.count() for model in models] == counts
