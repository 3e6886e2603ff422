"""What the newsletter without an account holds on people, in the register of personal data
(`portal.personal_data`), with the steps that forget it when its time is up. Imported at
start-up by portal's autodiscovery."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leden import privacy as leden_privacy
from leden.models import Lid, User
from portal.personal_data import Action, Ground, Retention, declare

from .models import Abonnee

BATCH = 1000


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


# --- A member's download and erasure (leden.privacy) -------------------------------------------


def _of_member(user: User) -> Q:
    return Q(user=user) | Q(email=user.email.strip().lower())


def _collect(lid: Lid) -> list[dict]:
    """The newsletter subscriptions of the member's address, with the consent as given."""
    rows = []
    for abonnee in Abonnee.objects.filter(_of_member(lid.user)).prefetch_related(
        "abonnementen__netwerk", "abonnementen__koepel"
    ):
        rows.append(
            {
                "email": abonnee.email,
                "toestemming": abonnee.tekst,
                "gevraagd_op": abonnee.gevraagd_op.isoformat(),
                "bevestigd_op": abonnee.bevestigd_op.isoformat() if abonnee.bevestigd_op else None,
                "afgemeld_op": abonnee.ingetrokken_op.isoformat()
                if abonnee.ingetrokken_op
                else None,
                "volgt": [str(a.netwerk or a.koepel) for a in abonnee.abonnementen.all()],
            }
        )
    return rows


def _erase(user: User, lid: Lid | None) -> None:
    """Erasing the account erases the subscriptions of its address too: "forget me"."""
    Abonnee.objects.filter(_of_member(user)).delete()


leden_privacy.register(
    leden_privacy.Holder(
        name="nieuwsbrief",
        collect=_collect,
        logged_objects=lambda lid: {},  # the admin cannot change subscribers
        erase=_erase,
        narrowed=lambda lid: None,  # following a network needs no membership
    )
)
