"""A survey of twenty questions of every kind, and random complete responses to it."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from bevragingen import services
from bevragingen.models import Bevraging, Optie, Sectie, Vraag

SECTORS = ["Jeugdhulp", "Welzijn", "OCMW / gemeente", "Gezondheidszorg", "Onderwijs"]


def build_survey(netwerk, *, questions: int = 20, **fields) -> Bevraging:
    """Four sections; the first question is the sector (one choice), then scales, choices,
    a number and open text in turn; every fifth question optional."""
    now = timezone.now()
    bevraging = Bevraging.objects.create(
        netwerk=netwerk,
        titel=fields.pop("titel", "Wat hebben sociaal werkers in de regio nodig?"),
        welkomtekst="Fijn dat je meedoet.",
        danktekst="Dank je wel!",
        opent_op=fields.pop("opent_op", now - timedelta(days=1)),
        sluit_op=fields.pop("sluit_op", now + timedelta(days=30)),
        **fields,
    )
    sections = [
        Sectie.objects.create(bevraging=bevraging, volgorde=i, titel=f"Deel {i + 1}")
        for i in range(4)
    ]
    kinds = [
        Vraag.Soort.SCHAAL,
        Vraag.Soort.EEN,
        Vraag.Soort.MEER,
        Vraag.Soort.GETAL,
        Vraag.Soort.OPEN,
    ]
    for i in range(questions):
        soort = Vraag.Soort.EEN if i == 0 else kinds[i % len(kinds)]
        vraag = Vraag.objects.create(
            bevraging=bevraging,
            sectie=sections[min(i * 4 // questions, 3)],
            volgorde=i,
            tekst="In welke sector werk je?" if i == 0 else f"Vraag {i + 1} ({soort})",
            soort=soort,
            verplicht=i % 5 != 4,
            publiceren=i < 6,
        )
        if i == 0:
            labels = SECTORS
        elif soort in (Vraag.Soort.EEN, Vraag.Soort.MEER):
            labels = [f"Antwoord {i + 1}.{k + 1}" for k in range(4)]
        else:
            continue
        Optie.objects.bulk_create(
            Optie(vraag=vraag, volgorde=k, tekst=label) for k, label in enumerate(labels)
        )
    return bevraging


def random_answers(bevraging: Bevraging, count: int, seed: int = 15):
    """`count` plausible complete responses (skewed, so small cells occur)."""
    rng = random.Random(seed)
    questions = list(bevraging.vragen.prefetch_related("opties"))
    options = {q.pk: [o.pk for o in q.opties.all()] for q in questions}
    for _n in range(count):
        given: dict[int, list] = {}
        for q in questions:
            if not q.verplicht and rng.random() < 0.3:
                continue
            if q.soort == Vraag.Soort.EEN:
                given[q.pk] = [
                    rng.choices(options[q.pk], weights=range(len(options[q.pk]), 0, -1))[0]
                ]
            elif q.soort == Vraag.Soort.MEER:
                given[q.pk] = rng.sample(options[q.pk], rng.randint(1, 3))
            elif q.soort == Vraag.Soort.SCHAAL:
                given[q.pk] = [rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 6, 3])[0]]
            elif q.soort == Vraag.Soort.GETAL:
                given[q.pk] = [rng.randint(0, 40)]
            else:
                given[q.pk] = [
                    rng.choice(["Meer tijd voor cliënten.", "Minder papierwerk.", "Intervisie."])
                ]
        yield given


def add_responses(bevraging: Bevraging, count: int, seed: int = 15) -> int:
    return services.responses_bulk_create(
        bevraging=bevraging, responses=random_answers(bevraging, count, seed)
    )


@pytest.fixture
def survey(twente):
    return build_survey(twente)
