"""Who gets which newsletter mail, with which context."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from berichten.outbox import queue_mail

from .models import Abonnee

CONFIRMATION = "nieuwsbrief_bevestigen"


def queue_confirmation(abonnee: Abonnee, *, url_token: str, pending: list[str], day: str) -> None:
    """The double opt-in link. Its key is the day: one per address per day, enforced by the
    outbox's unique constraint however many requests come in. In the subscriber's language."""
    queue_mail(
        kind=CONFIRMATION,
        to=abonnee.email,
        context={
            "netwerken": pending,
            "bevestig_url": settings.SITE_URL
            + reverse("nieuwsbrief:bevestigen", kwargs={"token": url_token}),
        },
        key=day,
        language=abonnee.taal,
    )
