"""Subscribing without an account: request (double opt-in), confirm, unsubscribe, and keeping
the subscription when the subscriber later creates an account.

Tokens are the subscriber's random key, signed (the confirmation link's with a time stamp):
no address or id in a link. A confirmation mail goes out at most once per address per day,
whoever asks and however often: its outbox key is the day, and the outbox's unique constraint
(kind, recipient, key) refuses a second one.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from netwerken.models import Koepel, Netwerk

from . import mails
from .models import Abonnee, Abonnement

TZ = ZoneInfo("Europe/Amsterdam")
CONFIRM_SALT = "nieuwsbrief.bevestigen"
UNSUBSCRIBE_SALT = "nieuwsbrief.afmelden"
CONFIRM_MAX_AGE = 7 * 24 * 3600

# Shown beside the checkbox; stored with the subscription as the visitor read it.
CONSENT_TEXT = gettext_lazy(
    "I want to receive the Regionet newsletter by e-mail for the networks I chose: their open "
    "meetings and public news, once a week at most. I can unsubscribe with one click in every "
    "newsletter. My address is used for nothing else."
)


def confirm_token(abonnee: Abonnee) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(abonnee.sleutel.hex)


def unsubscribe_token(sleutel: UUID) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(sleutel.hex)


def subscriber_from_token(token: str, *, confirm: bool = False) -> Abonnee | None:
    """The subscriber a link's token points to; None if tampered, expired or unknown."""
    try:
        if confirm:
            value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
                token, max_age=CONFIRM_MAX_AGE
            )
        else:
            value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
        sleutel = UUID(hex=value)
    except (signing.BadSignature, ValueError):
        return None
    return Abonnee.objects.filter(sleutel=sleutel).first()


def _day(now: datetime) -> str:
    return timezone.localtime(now, TZ).date().isoformat()


@transaction.atomic
def subscription_request(
    *,
    email: str,
    netwerk_ids: Collection[int] = (),
    koepel_ids: Collection[int] = (),
    tekst: str,
    via: str,
    taal: str = "",
    may_mail: Callable[[], bool] = lambda: True,
    now: datetime | None = None,
) -> Abonnee:
    """Record a request to follow these networks and umbrellas, and mail a confirmation link.

    Nothing goes out before the confirmation. A request while subscribed adds what is new,
    waiting for its confirmation; what was confirmed stays. At most one confirmation mail
    per address per day (the outbox key), and none when `may_mail` (the per-address rate
    limit) says no. The caller answers the same in every case. `taal`: the language of the
    page asked on, that of the mails from now on (default the site's).
    """
    if not netwerk_ids and not koepel_ids:
        raise ValueError("a subscription needs a network or an umbrella")
    now = now or timezone.now()
    email = email.strip().lower()
    taal = taal or settings.LANGUAGE_CODE
    abonnee, created = Abonnee.objects.select_for_update().get_or_create(
        email=email,
        defaults={"tekst": tekst, "gevraagd_op": now, "gevraagd_via": via, "taal": taal},
    )
    if not created:
        if abonnee.ingetrokken_op is not None:  # back after unsubscribing: confirm again
            abonnee.ingetrokken_op = abonnee.bevestigd_op = None
            abonnee.ingetrokken_via = ""
        abonnee.tekst, abonnee.gevraagd_op, abonnee.gevraagd_via = tekst, now, via
        abonnee.taal = taal
        abonnee.save()
    existing = Abonnement.objects.filter(abonnee=abonnee)
    have_n = set(existing.filter(netwerk__isnull=False).values_list("netwerk_id", flat=True))
    have_k = set(existing.filter(koepel__isnull=False).values_list("koepel_id", flat=True))
    netwerk_ids = set(Netwerk.objects.filter(pk__in=netwerk_ids).values_list("pk", flat=True))
    koepel_ids = set(Koepel.objects.filter(pk__in=koepel_ids).values_list("pk", flat=True))
    new = [
        Abonnement(abonnee=abonnee, netwerk_id=pk, aangemaakt_op=now) for pk in netwerk_ids - have_n
    ] + [Abonnement(abonnee=abonnee, koepel_id=pk, aangemaakt_op=now) for pk in koepel_ids - have_k]
    Abonnement.objects.bulk_create(new)
    waiting = abonnee.bevestigd_op is None or existing.filter(bevestigd_op__isnull=True).exists()
    if waiting and may_mail():
        mails.queue_confirmation(
            abonnee, url_token=confirm_token(abonnee), pending=pending_names(abonnee), day=_day(now)
        )
    return abonnee


def pending_names(abonnee: Abonnee) -> list[str]:
    """What a confirmation would add: the networks and umbrellas not yet confirmed."""
    rows = (
        Abonnement.objects.filter(abonnee=abonnee, bevestigd_op__isnull=True)
        .select_related("netwerk", "koepel")
        .order_by("pk")
    )
    return [str(row.netwerk or row.koepel) for row in rows]


def followed_names(abonnee: Abonnee) -> list[str]:
    """What the subscriber follows now (confirmed)."""
    rows = (
        Abonnement.objects.filter(abonnee=abonnee, bevestigd_op__isnull=False)
        .select_related("netwerk", "koepel")
        .order_by("pk")
    )
    return [str(row.netwerk or row.koepel) for row in rows]


@transaction.atomic
def subscription_confirm(*, abonnee_id: int, now: datetime | None = None) -> Abonnee:
    """Confirm: the subscriber and every subscription waiting are in force from now on."""
    now = now or timezone.now()
    abonnee = Abonnee.objects.select_for_update().get(pk=abonnee_id)
    if abonnee.ingetrokken_op is not None:
        return abonnee  # an old link after unsubscribing confirms nothing
    if abonnee.bevestigd_op is None:
        abonnee.bevestigd_op = now
        abonnee.save(update_fields=["bevestigd_op"])
    Abonnement.objects.filter(abonnee=abonnee, bevestigd_op__isnull=True).update(bevestigd_op=now)
    return abonnee


@transaction.atomic
def subscription_cancel(*, abonnee_id: int, via: str, now: datetime | None = None) -> bool:
    """Unsubscribe from everything (one click). The consent record is kept, withdrawn, for
    the period the register says; the subscriptions go. True if something changed."""
    now = now or timezone.now()
    updated = Abonnee.objects.filter(pk=abonnee_id, ingetrokken_op__isnull=True).update(
        ingetrokken_op=now, ingetrokken_via=via
    )
    Abonnement.objects.filter(abonnee_id=abonnee_id).delete()
    return bool(updated)


@transaction.atomic
def subscriber_link_account(*, email: str, user_id: int) -> int:
    """An account's address was verified: a subscription of that address stays, now tied to
    the account, and goes on as it was. Linking confirms nothing: a request still pending
    (perhaps made by someone else) stays pending. Returns the rows linked."""
    return Abonnee.objects.filter(email=email.strip().lower(), user__isnull=True).update(
        user_id=user_id
    )
