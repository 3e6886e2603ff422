"""Demo data for the privacy statement: who is responsible, per umbrella (fictitious contact
addresses on the demo's own domain; a real portal sets them in the admin)."""

from __future__ import annotations

from netwerken.models import Koepel

RESPONSIBLE = {
    "bpsw": ("Beroepsvereniging van Professionals in Sociaal Werk", "privacy.bpsw@regionet.local"),
    "sterk-sociaal-werk": ("Vlaams Platform Sterk Sociaal Werk", "privacy.ssw@regionet.local"),
}


def load_privacy_contacts() -> None:
    """Fill in only what is empty: seeding again keeps what an admin changed."""
    for slug, (organisatie, contact) in RESPONSIBLE.items():
        Koepel.objects.filter(slug=slug, privacy_organisatie="").update(
            privacy_organisatie=organisatie
        )
        Koepel.objects.filter(slug=slug, privacy_contact="").update(privacy_contact=contact)
