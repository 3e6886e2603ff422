"""Sub-regions are places: a meeting belongs to one, and a visitor filters the agenda by it."""

import pytest
from django.urls import reverse

from netwerken.models import Subregio
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def vlaams_brabant():
    netwerk = factories.NetwerkFactory(slug="vlaams-brabant", naam="SSW Vlaams-Brabant")
    regions = {
        naam: Subregio.objects.create(netwerk=netwerk, naam=naam)
        for naam in ["Hageland", "Leuven", "Halle en Pajottenland", "Vilvoorde"]
    }
    return netwerk, regions


def test_a_visitor_filters_the_agenda_by_sub_region(client, vlaams_brabant, twente):
    netwerk, regions = vlaams_brabant
    factories.BijeenkomstFactory(
        titel="Beweging in het Hageland", netwerken=[netwerk], subregio=regions["Hageland"]
    )
    factories.BijeenkomstFactory(
        titel="Ontmoeting in Leuven", netwerken=[netwerk], subregio=regions["Leuven"]
    )
    factories.BijeenkomstFactory(titel="Twentse avond", netwerken=[twente])
    agenda = client.get("/").content.decode()
    assert "Alle subregio" in agenda and "(Hageland)" in agenda
    filtered = client.get("/", {"subregio": regions["Hageland"].pk}).content.decode()
    assert "Beweging in het Hageland" in filtered
    assert "Ontmoeting in Leuven" not in filtered and "Twentse avond" not in filtered
    archive = client.get(reverse("bijeenkomsten:archief"), {"subregio": "geen-getal"})
    assert archive.status_code == 200  # a malformed filter is ignored, not a 500


def test_the_demo_puts_vlaams_brabants_meetings_in_their_sub_regions(db):
    from django.utils import timezone

    from bijeenkomsten.models import Bijeenkomst
    from demo.data import load_demo

    load_demo(timezone.localdate())
    placed = Bijeenkomst.objects.filter(subregio__isnull=False).select_related("subregio")
    assert {b.subregio.naam for b in placed} == {
        "Hageland",
        "Leuven",
        "Halle en Pajottenland",
        "Vilvoorde",
    }
    assert all(b.subregio.netwerk.slug == "vlaams-brabant" for b in placed)
