"""The demo's action plans keep the numbers of the source texts."""

from datetime import date

import pytest
from django.core.management import call_command

from actieplannen.models import Actieplan, Actiepunt, Uitdaging

pytestmark = pytest.mark.django_db


def test_the_plans_of_the_flemish_platforms_and_the_umbrella():
    call_command("seed_demo")
    west = Actieplan.objects.get(netwerk__slug="west-vlaanderen")
    points = Actiepunt.objects.filter(uitdaging__plan=west)
    assert points.count() == 40
    assert sorted(points.values_list("nummer", flat=True)) == list(range(1, 41))
    assert "435" in west.inleiding and "70" in west.inleiding
    assert "digitale stuurgroep" in west.inleiding

    limburg = Uitdaging.objects.filter(plan__netwerk__slug="limburg")
    assert [u.titel for u in limburg] == [
        "Diversiteit",
        "Een duidelijke plaats op de eerste lijn",
        "Onderbescherming",
    ]
    assert "vijftigtal" in limburg[0].plan.inleiding

    antwerpen = Actiepunt.objects.filter(uitdaging__plan__netwerk__slug="antwerpen")
    assert sorted(antwerpen.values_list("titel", flat=True)) == [
        "Minder bureaucratie, meer hulpverlening",
        "Werken in vertrouwen",
    ]
    brussel = Actieplan.objects.get(netwerk__slug="brussel")
    assert brussel.vastgesteld_op.year == 2020 and brussel.vastgesteld_op.month == 10

    koepelplan = Actieplan.objects.get(koepel__slug="sterk-sociaal-werk")
    assert Actiepunt.objects.filter(uitdaging__plan=koepelplan).count() == 17
    assert west.koepelplan == koepelplan

    # Vlaams-Brabant's sub-regions each take up a challenge; WSWD 2021 is the first action.
    challenges = Uitdaging.objects.filter(plan__netwerk__slug="vlaams-brabant")
    assert {u.subregio.naam for u in challenges} == {
        "Hageland",
        "Leuven",
        "Halle en Pajottenland",
        "Vilvoorde",
    }
    wswd = Actiepunt.objects.get(titel__startswith="World Social Work Day")
    [meeting] = wswd.bijeenkomsten.all()
    assert meeting.begin.date() == date(2021, 3, 16)
    assert wswd.status == "afgerond"
