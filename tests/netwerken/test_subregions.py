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


def test_a_meetings_sub_region_choices_are_its_organisers(client, staff, vlaams_brabant, twente):
    netwerk, regions = vlaams_brabant
    Subregio.objects.create(netwerk=twente, naam="Noordoost-Twente")
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[netwerk])
    client.force_login(staff)
    page = client.get(reverse("admin:bijeenkomsten_bijeenkomst_change", args=[bijeenkomst.pk]))
    choices = {
        str(label) for _value, label in page.context["adminform"].form["subregio"].field.choices
    }
    assert "Hageland (SSW Vlaams-Brabant)" in choices
    assert not any("Noordoost-Twente" in label for label in choices)


def test_a_sub_region_must_belong_to_an_organising_network(client, staff, vlaams_brabant, twente):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from bijeenkomsten import services

    _netwerk, regions = vlaams_brabant
    bijeenkomst = factories.BijeenkomstFactory(netwerken=[twente])
    bijeenkomst.subregio = regions["Leuven"]
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        services.meeting_save(bijeenkomst=bijeenkomst)
    assert "Leuven is een subregio van SSW Vlaams-Brabant" in str(refused.value)

    # On a new meeting's page (staff are offered every network), the form says why.
    client.force_login(staff)
    add = reverse("admin:bijeenkomsten_bijeenkomst_add")
    response = client.post(
        add,
        {
            "netwerken": [twente.pk],
            "soort": "netwerk",
            "titel": "Avond",
            "slug": "avond",
            "begin_0": "02-03-2027",
            "begin_1": "19:00:00",
            "einde_0": "02-03-2027",
            "einde_1": "21:00:00",
            "subregio": regions["Leuven"].pk,
            "doelgroep": "netwerk",
            "aanmelden_verplicht": "on",
            **{
                f"{p}-{k}": "0"
                for p in ("aanmeldingen", "onderdelen", "materialen")
                for k in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 200
    assert "Leuven is een subregio van SSW Vlaams-Brabant" in str(
        response.context["adminform"].form.errors["subregio"]
    )
