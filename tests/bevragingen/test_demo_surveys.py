"""The demo's surveys: West-Vlaanderen's 435 responses and Brussel's corona survey, closed,
with published results that read plausibly; seeding twice changes nothing."""

import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from bevragingen.models import Antwoord, Bevraging, Respons
from bevragingen.selectors import survey_results

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_two_closed_surveys_with_plausible_published_results(client):
    call_command("seed_demo")
    counts = (Bevraging.objects.count(), Respons.objects.count(), Antwoord.objects.count())
    started = time.perf_counter()
    call_command("seed_demo")
    assert (
        Bevraging.objects.count(),
        Respons.objects.count(),
        Antwoord.objects.count(),
    ) == counts
    assert time.perf_counter() - started < 60

    west = Bevraging.objects.get(netwerk__slug="west-vlaanderen")
    brussel = Bevraging.objects.get(netwerk__slug="brussel")
    assert not west.is_open and not brussel.is_open
    assert west.responsen.filter(afgerond=True).count() == 435
    assert brussel.opent_op.year == 2020 and brussel.opent_op.month == 6

    results = survey_results(west, published_only=True)
    assert results.total == 435
    by_text = {r.vraag.tekst: r for r in results.questions}
    sector = by_text["In welke sector werk je?"]
    shown = [f for f in sector.figures if f.count is not None]
    assert len(shown) >= 6  # the big sectors are all there
    assert abs(sum(f.percent for f in shown) - 100) < 5
    challenges = next(r for t, r in by_text.items() if t.startswith("Welke uitdagingen"))
    top = max(challenges.figures, key=lambda f: f.count or 0)
    assert top.label == "Administratieve last en bureaucratie"

    page = client.get(reverse("bevragingen_netwerk:gepubliceerd", args=["west-vlaanderen"]))
    assert page.status_code == 200
    assert "435" in page.content.decode()
    assert (
        client.get(reverse("bevragingen_netwerk:gepubliceerd", args=["brussel"])).status_code == 200
    )
