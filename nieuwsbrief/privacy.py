"""What the newsletter without an account holds on people, in the register of personal data
(`portal.personal_data`), with the steps that forget it when its time is up. Imported at
start-up by portal's autodiscovery."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from django.utils.translation import gettext_lazy

from portal.personal_data import Action, Ground, Retention, declare

from .models import Abonnee

BATCH = 1000


def _(message: str) -> str:
    """gettext_lazy, typed as the register's fields are (str): translated when shown."""
    return cast(str, gettext_lazy(message))


def _delete_in_batches(queryset) -> int:
    deleted = 0
    while ids := list(queryset.values_list("pk", flat=True)[:BATCH]):
        Abonnee.objects.filter(pk__in=ids).delete()  # their subscriptions cascade
        deleted += len(ids)
    return deleted


def forget_unconfirmed(now: datetime) -> int:
    """Requests never confirmed, older than the period: the address goes with its request."""
    cutoff = now - timedelta(days=UNCONFIRMED.days)
    return _delete_in_batches(
        Abonnee.objects.filter(bevestigd_op__isnull=True, gevraagd_op__lt=cutoff)
    )


def forget_unsubscribed(now: datetime) -> int:
    """The consent record of an address that unsubscribed, kept as proof for the period."""
    cutoff = now - timedelta(days=UNSUBSCRIBED.days)
    return _delete_in_batches(Abonnee.objects.filter(ingetrokken_op__lt=cutoff))


UNCONFIRMED = Retention(
    "nieuwsbrief_onbevestigd",
    7,
    starts=_("after the request, when it was never confirmed (the link is valid 7 days)"),
    action=Action.DELETE,
    apply=forget_unconfirmed,
)
UNSUBSCRIBED = Retention(
    "nieuwsbrief_afgemeld",
    365,
    starts=_("after unsubscribing (proof of the consent given)"),
    action=Action.DELETE,
    apply=forget_unsubscribed,
)

declare(
    "nieuwsbrief.Abonnee",
    fields=("email", "user"),
    purpose=_("Sending the newsletter of the networks a visitor follows without an account."),
    ground=Ground.CONSENT,
    seen_by=_("Nobody in the portal; staff in the admin's list of subscribers."),
    retention=UNCONFIRMED,
    kept=_("While subscribed; after unsubscribing with the consent record (below)."),
)
declare(
    "nieuwsbrief.Abonnee",
    fields=("tekst", "gevraagd_via", "ingetrokken_via"),
    purpose=_("Proof of the consent: the text the subscriber agreed to, when and where."),
    ground=Ground.CONSENT,
    seen_by=_("Staff in the admin's list of subscribers."),
    retention=UNSUBSCRIBED,
    kept=_("While subscribed."),
)
