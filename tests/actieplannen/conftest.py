"""A plan for Twente and one for Rotterdam, built through the services."""

import pytest

from actieplannen import services
from actieplannen.models import Actieplan, Actiepunt


def make_plan(netwerk, *, challenges: int = 1, points: int = 2, notes: int = 1) -> Actieplan:
    plan = services.plan_create(netwerk=netwerk, titel=f"Actieplan {netwerk.naam}")
    for c in range(challenges):
        uitdaging = services.challenge_create(plan=plan, titel=f"Uitdaging {c + 1}")
        for p in range(points):
            punt = services.action_point_create(
                uitdaging=uitdaging, titel=f"Punt {c + 1}.{p + 1}", nummer=p + 1
            )
            for n in range(notes):
                services.progress_add(actiepunt=punt, tekst=f"Voortgang {n + 1}")
    return plan


def first_point(plan: Actieplan) -> Actiepunt:
    return Actiepunt.objects.filter(uitdaging__plan=plan).order_by("pk").first()


@pytest.fixture
def plan_twente(twente):
    return make_plan(twente)


@pytest.fixture
def plan_rotterdam(rotterdam):
    return make_plan(rotterdam)
