"""Writes for members: their memberships (join requests, tiers and tier moves, decided by
coordinators in the admin; joining and leaving, by members themselves) and their calendar link.
The photo is in `photos`, the data download and erasure in `privacy`."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.pagecache import bump_content_version

from . import mails, privacy
from .models import Lid, Lidmaatschap


def _check_schil(schil: str) -> None:
    if schil not in Lidmaatschap.Schil.values:
        raise ValidationError(_("Choose the core or the second tier."), code="schil")


@transaction.atomic
def membership_accept(*, lidmaatschap_id: int, schil: str, today: date | None = None) -> bool:
    """Accept a join request into the core or the second tier; the member is told by mail.

    Only a pending request can be accepted (a conditional update: two coordinators clicking
    at once send one mail). Returns whether this call accepted it.
    """
    _check_schil(schil)
    accepted = (
        Lidmaatschap.objects.pending()
        .filter(pk=lidmaatschap_id)
        .update(
            status=Lidmaatschap.Status.ACTIEF,
            schil=schil,
            lid_sinds=today or timezone.localdate(),
            beeindigd_op=None,
        )
    )
    if accepted:
        bump_content_version()  # update() sends no signal; the new member sees more now
        mails.queue_membership_mail(lidmaatschap_id, "geaccepteerd")
    return bool(accepted)


@transaction.atomic
def membership_decline(*, lidmaatschap_id: int, message: str = "") -> bool:
    """Decline a join request; the member is told by mail, with the coordinator's message.

    The row stays, with status "declined" and the day of the decline as its end, so the
    mail task can still load it and the member's history shows the request; the nightly
    retention job deletes it a period after that day (`leden.privacy`). Returns whether this
    call declined it.
    """
    declined = (
        Lidmaatschap.objects.pending()
        .filter(pk=lidmaatschap_id)
        .update(status=Lidmaatschap.Status.AFGEWEZEN, beeindigd_op=timezone.localdate())
    )
    if declined:
        mails.queue_membership_mail(lidmaatschap_id, "afgewezen", message)
    return bool(declined)


@transaction.atomic
def membership_tier_change(*, lidmaatschap_id: int, schil: str) -> bool:
    """Move an active member to the core or the second tier. Returns whether it changed."""
    _check_schil(schil)
    changed = (
        Lidmaatschap.objects.active()
        .filter(pk=lidmaatschap_id)
        .exclude(schil=schil)
        .update(schil=schil, gevraagde_schil="", schil_gevraagd_op=None)
    )
    if changed:
        bump_content_version()  # update() sends no signal; core-only meetings open or close
        privacy.member_narrowed(Lidmaatschap.objects.get(pk=lidmaatschap_id).lid)
    return bool(changed)


@transaction.atomic
def membership_tier_request(*, lid: Lid, netwerk_id: int, schil: str) -> bool:
    """A member asks to move to the other tier of a network they are active in; the
    network's coordinators decide. Returns whether a request is now pending."""
    _check_schil(schil)
    asked = (
        Lidmaatschap.objects.active().filter(lid=lid, netwerk_id=netwerk_id).exclude(schil=schil)
    )
    changed = asked.exclude(gevraagde_schil=schil)  # asking twice tells nobody twice
    pending = list(changed.values_list("pk", flat=True))
    updated = asked.update(gevraagde_schil=schil, schil_gevraagd_op=timezone.now())
    for lidmaatschap_id in pending:
        mails.queue_request_mail(lidmaatschap_id, tier_move=True)
    return bool(updated)


def _decide_tier_request(lidmaatschap_id: int, *, accept: bool, message: str) -> bool:
    # Locked and re-read, so two coordinators deciding at once send one mail.
    lidmaatschap = (
        Lidmaatschap.objects.select_for_update()
        .tier_move_requested()
        .filter(pk=lidmaatschap_id)
        .first()
    )
    if lidmaatschap is None:
        return False
    schil, asked_at = lidmaatschap.gevraagde_schil, lidmaatschap.schil_gevraagd_op
    if accept:
        lidmaatschap.schil = schil
    lidmaatschap.gevraagde_schil = ""
    lidmaatschap.schil_gevraagd_op = None
    lidmaatschap.save(update_fields=["schil", "gevraagde_schil", "schil_gevraagd_op"])
    if accept:
        privacy.member_narrowed(lidmaatschap.lid)
    mails.queue_tier_move_mail(
        lidmaatschap,
        accepted=accept,
        schil=schil,
        asked_at=asked_at or timezone.now(),
        message=message,
    )
    return True


@transaction.atomic
def membership_tier_accept(*, lidmaatschap_id: int) -> bool:
    """Grant a member's tier move; they are told by mail. Returns whether this call did."""
    return _decide_tier_request(lidmaatschap_id, accept=True, message="")


@transaction.atomic
def membership_tier_decline(*, lidmaatschap_id: int, message: str = "") -> bool:
    """Refuse a member's tier move (they stay where they are); they are told by mail, with
    the coordinator's message. Returns whether this call did."""
    return _decide_tier_request(lidmaatschap_id, accept=False, message=message)


# --- Accounts, profile, joining and leaving (members themselves) ---


@transaction.atomic
def lid_create(*, user, naam: str, taal: str = "") -> Lid:
    """Give a new account its member profile (called from the sign-up form); `taal`: the
    language of its mails (default the site's)."""
    known = {code for code, _name in settings.LANGUAGES}
    defaults = {"naam": naam.strip(), "taal": taal if taal in known else settings.LANGUAGE_CODE}
    lid, _created = Lid.objects.get_or_create(user=user, defaults=defaults)
    return lid


@transaction.atomic
def membership_request(*, lid: Lid, netwerk_id: int, schil: str, motivatie: str) -> Lidmaatschap:
    """Ask to join a network. A pending or active membership is returned unchanged; an ended
    one is reopened as a new request. The network's coordinators are told a request waits."""
    _check_schil(schil)
    lidmaatschap, created = Lidmaatschap.objects.select_for_update().get_or_create(
        lid=lid,
        netwerk_id=netwerk_id,
        defaults={
            "schil": schil,
            "motivatie": motivatie,
            "status": Lidmaatschap.Status.AANGEVRAAGD,
        },
    )
    reopenable = {Lidmaatschap.Status.BEEINDIGD, Lidmaatschap.Status.AFGEWEZEN}
    reopened = not created and lidmaatschap.status in reopenable
    if reopened:
        lidmaatschap.status = Lidmaatschap.Status.AANGEVRAAGD
        lidmaatschap.schil = schil
        lidmaatschap.motivatie = motivatie
        lidmaatschap.aangevraagd_op = timezone.now()
        lidmaatschap.beeindigd_op = None
        lidmaatschap.save()
    if created or reopened:
        mails.queue_request_mail(lidmaatschap.pk, tier_move=False)
    return lidmaatschap


@transaction.atomic
def membership_leave(*, lid: Lid, netwerk_id: int, today: date | None = None) -> bool:
    """End the member's own membership (or withdraw a request). Returns whether it changed."""
    today = today or timezone.localdate()
    left = (
        Lidmaatschap.objects.current()
        .filter(lid=lid, netwerk_id=netwerk_id)
        .update(
            status=Lidmaatschap.Status.BEEINDIGD,
            beeindigd_op=today,
            gevraagde_schil="",
            schil_gevraagd_op=None,
        )
    )
    if left:
        bump_content_version()  # update() sends no signal; counts and visibility change
        privacy.member_narrowed(lid)
    return bool(left)


def lid_calendar_token_renew(*, lid: Lid) -> str:
    """A new secret for the personal calendar feed; the old link stops working."""
    lid.agenda_token = secrets.token_urlsafe(32)
    lid.save(update_fields=["agenda_token"])
    return lid.agenda_token
