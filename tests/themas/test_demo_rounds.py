"""The demo's theme rounds: Twente votes now, Rotterdam's round shows its result."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from berichten.models import Verzending
from leden.models import User
from themas.models import (
    Beschikbaarheid,
    Datumpeiling,
    Kandidaatavond,
    RondeStatus,
    Stem,
    Steun,
    Themaronde,
    Themavoorstel,
)

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (
            Themaronde,
            Themavoorstel,
            Steun,
            Stem,
            Datumpeiling,
            Kandidaatavond,
            Beschikbaarheid,
        )
    )


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


def test_the_demo_gives_rotterdams_closed_round_an_open_date_poll_once_and_sends_nothing(client):
    call_command("seed_demo")
    call_command("seed_demo")
    (peiling,) = Datumpeiling.objects.all()
    rotterdam = peiling.ronde
    assert rotterdam.netwerk.slug == "rotterdam" and rotterdam.status() == RondeStatus.GESLOTEN
    assert peiling.is_open()
    avonden = list(peiling.avonden.all())
    assert len(avonden) >= rotterdam.aantal_themas
    assert all(a.datum.weekday() == rotterdam.netwerk.vaste_weekdag for a in avonden)
    answered = Beschikbaarheid.objects.filter(avond__peiling=peiling)
    assert answered.values("lid").distinct().count() > 0
    assert set(answered.values_list("antwoord", flat=True)) == {"yes", "if_need_be", "no"}
    assert not Verzending.objects.exists()  # a demo mails nobody
    member = User.objects.get(email="lid1.rotterdam@regionet.local")
    client.force_login(member)
    page = client.get(
        reverse(
            "themas:ronde",
            kwargs={"slug": "rotterdam", "jaar": rotterdam.jaar, "helft": rotterdam.helft},
        )
    ).content.decode()
    assert 'name="actie" value="beschikbaarheid"' in page
