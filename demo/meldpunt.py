"""Demo data of the confidential channel: a committee member and one report, with a known
receipt code (demo only) so a visitor can try the reporter's return."""

from __future__ import annotations

from leden.models import User
from meldpunt import crypto, services
from meldpunt.models import Melding
from meldpunt.permissions import committee_group

DEMO_CODE = "DEM0-C0DE-2026-0000-0001"  # in the README; never a code a reporter could get


def load_meldpunt(password_hash: str) -> None:
    """Idempotent: the user, group membership and report are made once."""
    user, _ = User.objects.get_or_create(
        email="commissie@regionet.local", defaults={"password": password_hash}
    )
    user.groups.add(committee_group())
    digest = crypto.receipt_digest(crypto.normalise(DEMO_CODE))
    if Melding.objects.filter(code_hash=digest).exists():
        return
    melding, _code = services.report_create(
        tekst=(
            "In ons wijkteam worden gegevens van cliënten in een gedeelde map gezet waar ook "
            "partners buiten het team bij kunnen. Mag dat zonder toestemming van de cliënt?"
        )
    )
    Melding.objects.filter(pk=melding.pk).update(code_hash=digest, gemeld=True)
    services.report_reply(
        melding=melding,
        auteur=user,
        tekst="Dank voor je melding. Over welke partners gaat het, en sinds wanneer?",
    )
