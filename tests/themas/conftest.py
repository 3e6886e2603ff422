"""Rounds in each phase for the theme tests, built through the services where they can be."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from themas import services
from themas.models import Themaronde, Themavoorstel

TITLES = [
    "Het Nieuwe Werken en zijn spanningen",
    "De BPSW en politieke invloed",
    "De herziene meldcode",
    "Wijkteams in de Twentse steden",
    "Ethiek en privacy",
]


def open_round(netwerk, **kwargs) -> Themaronde:
    now = timezone.now()
    return services.round_open(
        netwerk=netwerk,
        jaar=kwargs.pop("jaar", 2027),
        helft=kwargs.pop("helft", 1),
        voorstellen_tot=now + timedelta(days=7),
        stemmen_tot=now + timedelta(days=14),
        **kwargs,
    )


def propose(ronde, titles=TITLES, lid=None) -> list[Themavoorstel]:
    """Proposals as the network's members make them (a new member each, unless given)."""
    made = []
    for title in titles:
        proposer = lid or factories.LidmaatschapFactory(netwerk=ronde.netwerk, schil="kern").lid
        made.append(
            services.proposal_create(
                ronde=ronde, lid=proposer, titel=title, waarom="Omdat het speelt."
            )
        )
    return made


def start_voting(ronde, *, days_left: float = 5) -> None:
    now = timezone.now()
    Themaronde.objects.filter(pk=ronde.pk).update(
        voorstellen_tot=now - timedelta(hours=1), stemmen_tot=now + timedelta(days=days_left)
    )
    ronde.refresh_from_db()


def voters(netwerk, n: int) -> list:
    return [factories.LidmaatschapFactory(netwerk=netwerk, schil="betrokken").lid for _ in range(n)]


@pytest.fixture
def ronde(twente):
    return open_round(twente)
