"""Consent for the newsletter digest: double opt-in, confirmation and one-click unsubscribe.

A digest goes out only to members with a confirmed, not withdrawn consent; how often, per
network, is decided in one place (`mail_preferences.digest_settings`). A member asks either on
the subscription page (one frequency for all networks, applied when confirmed) or by choosing
a frequency for a network on the preferences page (kept as chosen; the consent record says
"per netwerk"). The tokens in the confirmation and unsubscribe links are a random consent id,
signed: no member id or address in them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from berichten.outbox import queue_mail

from . import mail_preferences
from .mail_preferences import NewsletterStatus
from .models import DigestToestemming, Lid

UNSUBSCRIBE_SALT = "berichten.digest-afmelden"
CONFIRM_SALT = "berichten.digest-bevestigen"
CONFIRM_MAX_AGE = 7 * 24 * 3600
# A consent asked on the preferences page: the frequencies chosen there per network hold.
PER_NETWORK = "per netwerk"
FREQUENCIES = (Lid.Digest.WEEKLY, Lid.Digest.MONTHLY)

# Shown beside the checkbox; the text as the member read it is stored with the consent.
CONSENT_TEXT = gettext_lazy(
    "I want to receive the Regionet newsletter: the coming meetings of my networks, open "
    "meetings nearby, new programmes and reports. I can unsubscribe with one click."
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
        language=lid.taal,
    )


@transaction.atomic
def digest_request(*, lid: Lid, frequentie: str, via: str) -> DigestToestemming:
    """Record a request for the digest and mail a confirmation link (double opt-in).

    `frequentie` is weekly or monthly for all networks, or PER_NETWORK for the choices on the
    preferences page. A member with a confirmed consent only changes frequency; no new
    confirmation is needed.
    """
    if frequentie not in (*FREQUENCIES, PER_NETWORK):
        raise ValueError(f"not a digest frequency: {frequentie}")
    toestemming = (
        DigestToestemming.objects.select_for_update()
        .filter(lid=lid, ingetrokken_op__isnull=True)
        .first()
    )
    if toestemming is not None and toestemming.bevestigd_op is not None:
        if frequentie in FREQUENCIES:
            toestemming.frequentie = frequentie
            toestemming.save(update_fields=["frequentie"])
            mail_preferences.digest_everywhere(lid_id=lid.pk, frequentie=frequentie)
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
    """Confirm a digest request: from now on digests go out at the chosen frequency (for all
    networks, or as chosen per network)."""
    now = now or timezone.now()
    toestemming = DigestToestemming.objects.select_for_update().get(pk=toestemming_id)
    if toestemming.ingetrokken_op is None and toestemming.bevestigd_op is None:
        toestemming.bevestigd_op = now
        toestemming.save(update_fields=["bevestigd_op"])
        if toestemming.frequentie in FREQUENCIES:
            mail_preferences.digest_everywhere(
                lid_id=toestemming.lid_id, frequentie=toestemming.frequentie
            )
    return toestemming


@transaction.atomic
def digest_unsubscribe(*, toestemming_id: int, via: str, now: datetime | None = None) -> None:
    """Withdraw digest consent: "nooit" for every network, on every page. Reminders and
    other mails are not affected; the consent record is kept."""
    now = now or timezone.now()
    updated = DigestToestemming.objects.filter(
        pk=toestemming_id, ingetrokken_op__isnull=True
    ).update(ingetrokken_op=now, ingetrokken_via=via)
    if updated:
        lid_id = DigestToestemming.objects.values_list("lid_id", flat=True).get(pk=toestemming_id)
        mail_preferences.digest_everywhere(lid_id=lid_id, frequentie=Lid.Digest.NEVER)


class PreferencesSaved(StrEnum):
    SAVED = "opgeslagen"
    CONFIRM = "bevestigen"  # a confirmation link was mailed
    STOPPED = "gestopt"  # "nooit" everywhere: consent withdrawn


@transaction.atomic
def digest_preferences_save(
    *, lid: Lid, keuzes: Mapping[int, tuple[bool, str]], via: str
) -> PreferencesSaved:
    """Save the choices of the preferences page ({network id: (reminders, frequency)}) and
    keep the consent in step: a frequency chosen without confirmed consent starts the double
    opt-in (nothing goes out before it is confirmed); "nooit" for every network withdraws it.
    """
    mail_preferences.mail_preferences_save(lid=lid, keuzes=keuzes)
    status = mail_preferences.digest_setting(lid).status
    wanted = any(nieuwsbrief != Lid.Digest.NEVER for _on, nieuwsbrief in keuzes.values())
    if wanted and status != NewsletterStatus.ON:
        digest_request(lid=lid, frequentie=PER_NETWORK, via=via)
        return PreferencesSaved.CONFIRM
    if keuzes and not wanted and status != NewsletterStatus.OFF:
        toestemming = DigestToestemming.objects.get(lid=lid, ingetrokken_op__isnull=True)
        digest_unsubscribe(toestemming_id=toestemming.pk, via=via)
        return PreferencesSaved.STOPPED
    return PreferencesSaved.SAVED
