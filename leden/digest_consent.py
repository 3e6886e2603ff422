"""Consent for the newsletter digest: double opt-in, confirmation and one-click unsubscribe.

A digest goes out only to members with a confirmed, not withdrawn consent (`active_consent`).
The tokens in the confirmation and unsubscribe links are a random consent id, signed: no member
id or address in them.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from berichten.models import DigestToestemming
from berichten.outbox import queue_mail

from .models import Lid

UNSUBSCRIBE_SALT = "berichten.digest-afmelden"
CONFIRM_SALT = "berichten.digest-bevestigen"
CONFIRM_MAX_AGE = 7 * 24 * 3600

# Shown beside the checkbox; the text as the member read it is stored with the consent.
CONSENT_TEXT = gettext_lazy(
    "I want to receive the Regionet newsletter: the coming meetings of my networks, open "
    "meetings nearby, new programmes and reports. I can unsubscribe with one click."
)


def active_consent() -> Q:
    """Members with a confirmed, not withdrawn digest consent (as a filter on Lid)."""
    return Q(
        Exists(
            DigestToestemming.objects.filter(
                lid=OuterRef("pk"), bevestigd_op__isnull=False, ingetrokken_op__isnull=True
            )
        )
    )


def unsubscribe_token(sleutel: UUID) -> str:
    """The token in a consent's unsubscribe link (List-Unsubscribe and the digest's footer):
    its random id (`DigestToestemming.sleutel`), signed."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(sleutel.hex)


def consent_from_token(
    token: str, *, salt: str = UNSUBSCRIBE_SALT, max_age: int | None = None
) -> DigestToestemming | None:
    """The consent record a token points to, or None if the token is tampered or unknown."""
    try:
        if max_age is None:
            value = signing.Signer(salt=salt).unsign(token)
        else:
            value = signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
        sleutel = UUID(hex=value)
    except (signing.BadSignature, ValueError):
        return None
    return DigestToestemming.objects.select_related("lid").filter(sleutel=sleutel).first()


def _queue_confirmation(toestemming: DigestToestemming, *, lid: Lid, now: datetime) -> None:
    token = signing.TimestampSigner(salt=CONFIRM_SALT).sign(toestemming.sleutel.hex)
    queue_mail(
        kind="digest_bevestigen",
        to=lid.user.email,
        context={
            "lid": lid,
            "toestemming": toestemming,
            "bevestig_url": settings.SITE_URL
            + reverse("berichten:digest_bevestigen", kwargs={"token": token}),
        },
        # Each request its own confirmation mail.
        key=f"{toestemming.sleutel.hex}-{int(now.timestamp())}",
        lid_id=lid.pk,
    )


@transaction.atomic
def digest_request(*, lid: Lid, frequentie: str, via: str) -> DigestToestemming:
    """Record a request for the digest and mail a confirmation link (double opt-in).

    A member with a confirmed consent only changes frequency; no new confirmation is needed.
    """
    if frequentie not in (Lid.Digest.WEEKLY, Lid.Digest.MONTHLY):
        raise ValueError(f"not a digest frequency: {frequentie}")
    toestemming = (
        DigestToestemming.objects.select_for_update()
        .filter(lid=lid, ingetrokken_op__isnull=True)
        .first()
    )
    if toestemming is not None and toestemming.bevestigd_op is not None:
        toestemming.frequentie = frequentie
        toestemming.save(update_fields=["frequentie"])
        Lid.objects.filter(pk=lid.pk).update(digest=frequentie)
        return toestemming
    now = timezone.now()
    if toestemming is None:
        toestemming = DigestToestemming.objects.create(
            lid=lid,
            frequentie=frequentie,
            tekst=str(CONSENT_TEXT),
            gevraagd_via=via,
            gevraagd_op=now,
        )
    else:
        toestemming.frequentie = frequentie
        toestemming.gevraagd_op = now
        toestemming.save(update_fields=["frequentie", "gevraagd_op"])
    _queue_confirmation(toestemming, lid=lid, now=now)
    return toestemming


@transaction.atomic
def digest_confirm(*, toestemming_id: int, now: datetime | None = None) -> DigestToestemming:
    """Confirm a digest request: from now on digests go out at the chosen frequency."""
    now = now or timezone.now()
    toestemming = DigestToestemming.objects.select_for_update().get(pk=toestemming_id)
    if toestemming.ingetrokken_op is None and toestemming.bevestigd_op is None:
        toestemming.bevestigd_op = now
        toestemming.save(update_fields=["bevestigd_op"])
        Lid.objects.filter(pk=toestemming.lid_id).update(digest=toestemming.frequentie)
    return toestemming


@transaction.atomic
def digest_unsubscribe(*, toestemming_id: int, via: str, now: datetime | None = None) -> None:
    """Withdraw digest consent. Reminders and other mails are not affected."""
    now = now or timezone.now()
    updated = DigestToestemming.objects.filter(
        pk=toestemming_id, ingetrokken_op__isnull=True
    ).update(ingetrokken_op=now, ingetrokken_via=via)
    if updated:
        lid_id = DigestToestemming.objects.values_list("lid_id", flat=True).get(pk=toestemming_id)
        Lid.objects.filter(pk=lid_id).update(digest=Lid.Digest.NEVER)
