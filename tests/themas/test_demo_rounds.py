"""The demo's theme rounds: Twente votes now, Rotterdam's round shows its result."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from leden.models import User
from themas.models import RondeStatus, Stem, Steun, Themaronde, Themavoorstel

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Themaronde, Themavoorstel, Steun, Stem))


def test_the_demo_seeds_an_open_round_for_twente_and_a_closed_one_for_rotterdam(client):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first  # seeding again adds nothing
    twente = Themaronde.objects.get(netwerk__slug="twente")
    assert twente.status() == RondeStatus.STEMMEN
    titles = set(twente.voorstellen.values_list("titel", flat=True))
    assert {"De herziene meldcode", "Ethiek en privacy", "Wijkteams in de Twentse steden"} <= titles
    rotterdam = Themaronde.objects.get(netwerk__slug="rotterdam")
    assert rotterdam.status() == RondeStatus.GESLOTEN
    assert rotterdam.voorstellen.filter(gekozen_als__isnull=False).count() == 3
    client.force_login(User.objects.get(email="lid1.rotterdam@regionet.local"))
    page = client.get(
        reverse(
            "themas:ronde",
            kwargs={"slug": "rotterdam", "jaar": rotterdam.jaar, "helft": rotterdam.helft},
        )
    ).content.decode()
    assert "Uitslag" in page and "zouden komen" in page
