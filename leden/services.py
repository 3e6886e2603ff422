"""Writes for memberships: join requests and tiers (used by the coordinators' admin)."""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
    from berichten import services as mail

    _check_schil(schil)
    accepted = Lidmaatschap.objects.filter(
        pk=lidmaatschap_id, status=Lidmaatschap.Status.AANGEVRAAGD
    ).update(
        status=Lidmaatschap.Status.ACTIEF,
        schil=schil,
        lid_sinds=today or timezone.localdate(),
        beeindigd_op=None,
    )
    if accepted:
        mail.queue_membership_mail(lidmaatschap_id, "geaccepteerd")
    return bool(accepted)


@transaction.atomic
def membership_decline(*, lidmaatschap_id: int, message: str = "") -> bool:
    """Decline a join request; the member is told by mail, with the coordinator's message.

    The row stays, with status "ended", so the mail task can still load it and the member's
    history shows the request. Returns whether this call declined it.
    """
    from berichten import services as mail

    declined = Lidmaatschap.objects.filter(
        pk=lidmaatschap_id, status=Lidmaatschap.Status.AANGEVRAAGD
    ).update(status=Lidmaatschap.Status.BEEINDIGD, beeindigd_op=None)
    if declined:
        mail.queue_membership_mail(lidmaatschap_id, "afgewezen", message)
    return bool(declined)


@transaction.atomic
def membership_change_tier(*, lidmaatschap_id: int, schil: str) -> bool:
    """Move an active member to the core or the second tier. Returns whether it changed."""
    _check_schil(schil)
    return bool(
        Lidmaatschap.objects.filter(pk=lidmaatschap_id, status=Lidmaatschap.Status.ACTIEF)
        .exclude(schil=schil)
        .update(schil=schil)
    )


# --- Accounts, profile, joining and leaving (members themselves) ---


@transaction.atomic
def lid_create(*, user, naam: str) -> Lid:
    """Give a new account its member profile (called from the sign-up form)."""
    lid, _created = Lid.objects.get_or_create(user=user, defaults={"naam": naam.strip()})
    return lid


@transaction.atomic
def membership_request(*, lid: Lid, netwerk_id: int, schil: str, motivatie: str) -> Lidmaatschap:
    """Ask to join a network. A pending or active membership is returned unchanged; an ended
    one is reopened as a new request."""
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
    if not created and lidmaatschap.status == Lidmaatschap.Status.BEEINDIGD:
        lidmaatschap.status = Lidmaatschap.Status.AANGEVRAAGD
        lidmaatschap.schil = schil
        lidmaatschap.motivatie = motivatie
        lidmaatschap.aangevraagd_op = timezone.now()
        lidmaatschap.beeindigd_op = None
        lidmaatschap.save()
    return lidmaatschap


@transaction.atomic
def membership_leave(*, lid: Lid, netwerk_id: int, today: date | None = None) -> bool:
    """End the member's own membership (or withdraw a request). Returns whether it changed."""
    today = today or timezone.localdate()
    return bool(
        Lidmaatschap.objects.filter(lid=lid, netwerk_id=netwerk_id)
        .exclude(status=Lidmaatschap.Status.BEEINDIGD)
        .update(status=Lidmaatschap.Status.BEEINDIGD, beeindigd_op=today)
    )


def calendar_token_renew(*, lid: Lid) -> str:
    """A new secret for the personal calendar feed; the old link stops working."""
    lid.agenda_token = secrets.token_urlsafe(32)
    lid.save(update_fields=["agenda_token"])
    return lid.agenda_token


def member_data(*, lid: Lid) -> dict:
    """Everything the portal holds on a member, for the privacy download (AVG art. 15/20)."""
    from bijeenkomsten.models import Aanmelding

    user = lid.user
    profile = {
        field.name: getattr(lid, field.attname)
        for field in Lid._meta.concrete_fields
        if field.name not in {"id", "user", "agenda_token"}
    }
    memberships = list(
        lid.lidmaatschappen.values(
            "netwerk__naam",
            "schil",
            "status",
            "motivatie",
            "aangevraagd_op",
            "lid_sinds",
            "beeindigd_op",
        )
    )
    registrations = list(
        Aanmelding.objects.filter(lid=lid).values(
            "bijeenkomst__titel", "bijeenkomst__begin", "status", "aangemeld_op"
        )
    )
    return {
        "account": {
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "profiel": profile,
        "lidmaatschappen": memberships,
        "aanmeldingen": registrations,
        "mail": _mail_log_of(user),
    }


def _mail_log_of(user) -> list[dict]:
    from django.apps import apps

    if not apps.is_installed("berichten"):
        return []
    try:
        verzending = apps.get_model("berichten", "Verzending")
    except LookupError:
        return []
    fields = [f.name for f in verzending._meta.concrete_fields if f.name != "id"]
    email_field = next((f for f in ("ontvanger", "email", "recipient") if f in fields), None)
    if email_field is None:
        return []
    return list(verzending.objects.filter(**{f"{email_field}__iexact": user.email}).values(*fields))


@transaction.atomic
def account_delete(*, user) -> None:
    """Erase a member: the account, profile and memberships go; past registrations stay as
    anonymous rows so attendance figures stay right; the mail log to them is deleted."""
    from bijeenkomsten.models import Aanmelding
    from bijeenkomsten.services import cancel_registration

    lid = Lid.objects.filter(user=user).first()
    if lid is not None:
        # Places held for meetings still to come are freed for the waiting list first.
        upcoming = Aanmelding.objects.filter(
            lid=lid, status__in=["aangemeld", "wachtlijst"], bijeenkomst__begin__gt=timezone.now()
        )
        for aanmelding_id in upcoming.values_list("pk", flat=True):
            cancel_registration(aanmelding_id=aanmelding_id)
        Aanmelding.objects.filter(lid=lid).update(
            lid=None, gast_naam="", gast_email="", geanonimiseerd=True
        )
    _delete_mail_log(user)
    user.delete()  # cascades to Lid, Lidmaatschap, allauth's EmailAddress and sessions


def _delete_mail_log(user) -> None:
    from django.apps import apps

    try:
        verzending = apps.get_model("berichten", "Verzending")
    except LookupError:
        return
    names = {f.name for f in verzending._meta.concrete_fields}
    email_field = next((f for f in ("ontvanger", "email", "recipient") if f in names), None)
    if email_field:
        verzending.objects.filter(**{f"{email_field}__iexact": user.email}).delete()
