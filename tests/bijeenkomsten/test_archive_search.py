"""The archive's search finds meetings by their programme parts and materials too, with or
without accents, on SQLite and PostgreSQL alike."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bijeenkomsten.models import Materiaal
from tests import factories

pytestmark = pytest.mark.django_db


def search(client, text: str) -> str:
    return client.get(reverse("bijeenkomsten:archief"), {"zoek": text}).content.decode()


def past_meeting(**fields):
    return factories.BijeenkomstFactory(begin=timezone.now() - timedelta(days=30), **fields)


def test_searching_a_practice_finds_the_oost_vlaanderen_safari(client):
    call_command("seed_demo")
    for text in ["Babbelonië", "Babbelonie", "BABBELONIE", "meubelfabriek", "de cocon"]:
        content = search(client, text)
        assert "Online praktijksafari: sociaal werk in (digitale) coronatijden" in content, text
        assert "Hoe(Zo) Sociaal Werk?!" not in content, text


def test_searching_the_slides_or_a_posters_subject_finds_the_conference(client):
    call_command("seed_demo")
    # A material's title, and words only in a poster's description.
    for text in ["presentatie Jack de Swart", "zorgtechnologie", "Korte impressie"]:
        assert "Conferentie Hoe(Zo) Sociaal Werk?!" in search(client, text), text


def test_search_finds_words_in_a_parts_description_and_a_materials_title(client, twente):
    described = past_meeting(netwerken=[twente])
    factories.ProgrammaonderdeelFactory(
        bijeenkomst=described, titel="Tafelronde 3", beschrijving="Over zelfregie en eigen kracht"
    )
    with_slides = past_meeting(netwerken=[twente])
    Materiaal.objects.create(
        bijeenkomst=with_slides,
        soort="video",
        titel="Opname lezing zelfregie",
        url="https://example.org/v",
    )
    other = past_meeting(netwerken=[twente])
    content = search(client, "zelfregie")
    assert described.titel in content and with_slides.titel in content
    assert other.titel not in content


def test_a_meeting_matching_in_several_places_is_listed_once(client, twente):
    meeting = past_meeting(netwerken=[twente], titel="Café Privacy", verslag="privacy")
    for n in range(3):
        factories.ProgrammaonderdeelFactory(bijeenkomst=meeting, titel=f"Privacy {n}")
    Materiaal.objects.create(bijeenkomst=meeting, soort="verslag", titel="Privacy", tekst="x")
    content = search(client, "cafe privacy")
    assert content.count(meeting.get_absolute_url()) == 1


def test_search_text_is_taken_literally_not_as_a_pattern(client, twente):
    conference = past_meeting(netwerken=[twente], titel="Conferentie Hoe(Zo) Sociaal Werk?!")
    dotted = past_meeting(netwerken=[twente], titel="Wijkteam abc")
    assert conference.titel in search(client, "hoe(zo) sociaal werk?!")
    assert dotted.titel not in search(client, "a.c")
    assert dotted.titel not in search(client, "a%c")
    assert dotted.titel in search(client, "ABC")
