"""Writes for members: their memberships (join requests, tiers and tier moves, decided by
coordinators in the admin; joining and leaving, by members themselves) and their account
(profile photo, calendar link, data download and erasure)."""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from berichten.models import Verzending
from netwerken.models import Netwerk
from portal.pagecache import bump_content_version
from portal.queueing import enqueue_on_commit

from . import mails, tasks
from .mail_preferences import mail_data_of
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

    The row stays, with status "declined", so the mail task can still load it and the
    member's history shows the request. Returns whether this call declined it.
    """
    declined = (
        Lidmaatschap.objects.pending()
        .filter(pk=lidmaatschap_id)
        .update(status=Lidmaatschap.Status.AFGEWEZEN, beeindigd_op=None)
    )
    if declined:
        mails.queue_membership_mail(lidmaatschap_id, "afgewezen", message)
    return bool(declined)


@transaction.atomic
def membership_change_tier(*, lidmaatschap_id: int, schil: str) -> bool:
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
        _drop_registrations_out_of_sight(Lidmaatschap.objects.get(pk=lidmaatschap_id).lid)
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
        _drop_registrations_out_of_sight(lidmaatschap.lid)
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
def lid_create(*, user, naam: str) -> Lid:
    """Give a new account its member profile (called from the sign-up form)."""
    lid, _created = Lid.objects.get_or_create(user=user, defaults={"naam": naam.strip()})
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
        _drop_registrations_out_of_sight(lid)
    return bool(left)


def _drop_registrations_out_of_sight(lid: Lid) -> None:
    """A member who left a network, or its core, keeps no place at a meeting they may no
    longer see (they could not even cancel it there): it goes to the waiting list, and no
    reminder with the meeting's details or join link reaches them."""
    from bijeenkomsten.permissions import visible_meetings
    from bijeenkomsten.services import cancel_registration

    out_of_sight = (
        lid.aanmeldingen.cancellable()
        .filter(bijeenkomst__begin__gt=timezone.now())
        .exclude(bijeenkomst__in=visible_meetings(lid.user))
    )
    for aanmelding_id in out_of_sight.values_list("pk", flat=True):
        cancel_registration(aanmelding_id=aanmelding_id)


@transaction.atomic
def lid_photo_set(*, lid: Lid, upload) -> None:
    """Store a member's photo as a new JPEG of at most 800 px without EXIF (no GPS position,
    camera or dates); the previous photo is deleted."""
    previous = lid.foto.name
    # The field checks and re-encodes the upload and gives it a random name.
    lid.foto.save("foto.jpg", upload, save=False)
    lid.save(update_fields=["foto"])
    if previous:
        transaction.on_commit(lambda: lid.foto.storage.delete(previous))


@transaction.atomic
def lid_photo_remove(*, lid: Lid) -> None:
    """Delete a member's photo, file included."""
    name = lid.foto.name
    if not name:
        return
    storage = lid.foto.storage
    lid.foto = ""
    lid.save(update_fields=["foto"])
    transaction.on_commit(lambda: storage.delete(name))


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
        if field.name not in {"id", "user", "agenda_token", "foto"}
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
        "profiel": {**profile, "foto": _photo_for_download(lid)},
        "lidmaatschappen": memberships,
        "aanmeldingen": registrations,
        "mail": _mail_log_of(user, lid),
        **mail_data_of(lid),
    }


def _photo_for_download(lid: Lid) -> dict | None:
    # The photo is personal data too: it travels inside the JSON, so one file holds it all.
    import base64

    if not lid.foto:
        return None
    with lid.foto.open("rb") as photo:
        content = photo.read()
    kind = lid.foto.field.file_kind
    return {"type": kind.content_type, "base64": base64.b64encode(content).decode("ascii")}


def _mail_log_of(user, lid: Lid) -> list[dict]:
    mails = _mails_to(user, lid)
    return list(
        mails.values(*(f.name for f in mails.model._meta.concrete_fields if f.name != "id"))
    )


def _mails_to(user, lid: Lid | None):
    """The mail log rows to this member, also those to an address they had before: what the
    data download shows and what account deletion removes."""
    from django.db.models import Q

    sent_to_them = Q(ontvanger__iexact=user.email) | (Q(lid=lid) if lid is not None else Q())
    return Verzending.objects.filter(sent_to_them)


@transaction.atomic
def account_delete(*, user) -> None:
    """Erase a member: the account, profile and memberships go; past registrations stay as
    anonymous rows so attendance figures stay right; the mail log to them is deleted, and the
    admin log keeps what was done to their records but not their name."""
    from django.db.models import Q

    from bijeenkomsten.models import Aanmelding
    from bijeenkomsten.services import cancel_registration

    lid = Lid.objects.filter(user=user).first()
    # Theirs too: what they did as a guest under the same address, before the account.
    theirs = Q(gast_email__iexact=user.email) | (Q(lid=lid) if lid is not None else Q())
    if lid is not None:
        _queue_departure_mail(lid)
        _scrub_admin_log(user, lid)
    # Places held for meetings still to come are freed for the waiting list first.
    upcoming = Aanmelding.objects.cancellable().filter(
        theirs, bijeenkomst__begin__gt=timezone.now()
    )
    for aanmelding_id in upcoming.values_list("pk", flat=True):
        cancel_registration(aanmelding_id=aanmelding_id)
    Aanmelding.objects.filter(theirs).update(
        lid=None, gast_naam="", gast_email="", geanonimiseerd=True
    )
    bump_content_version()  # update() sends no signal
    if lid is not None:
        lid_photo_remove(lid=lid)
    _mails_to(user, lid).delete()
    user.delete()  # cascades to Lid, Lidmaatschap, allauth's EmailAddress and sessions


def _scrub_admin_log(user, lid: Lid) -> None:
    """Admin log entries name their object ("Naam – Netwerk"). Those about this member's
    account, profile, memberships and registrations keep the action, not the name."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from bijeenkomsten.models import Aanmelding

    objects = {
        get_user_model(): [user.pk],
        Lid: [lid.pk],
        Lidmaatschap: list(lid.lidmaatschappen.values_list("pk", flat=True)),
        Aanmelding: list(lid.aanmeldingen.values_list("pk", flat=True)),
    }
    about_them = Q()
    for model, pks in objects.items():
        about_them |= Q(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        )
    LogEntry.objects.filter(about_them).update(object_repr=_("(deleted member)"), change_message="")


def _queue_departure_mail(lid: Lid) -> None:
    """Tell the coordinators of the member's networks (pending requests included) that the
    member left the portal. Only the name travels, in the task's arguments: once the
    account is gone nothing in the database may hold it, so the mail log keeps the
    coordinators' addresses and the networks, never the name (see mails.send_departure_mails)."""
    netwerk_ids = list(
        lid.lidmaatschappen.filter(
            status__in=[Lidmaatschap.Status.AANGEVRAAGD, Lidmaatschap.Status.ACTIEF]
        ).values_list("netwerk_id", flat=True)
    )
    coordinator_ids = list(
        Netwerk.coordinators.through.objects.filter(netwerk_id__in=netwerk_ids)
        .exclude(user_id=lid.user_id)
        .values_list("user_id", flat=True)
        .distinct()
    )
    if not coordinator_ids:
        return
    vertrek = secrets.token_hex(8)  # one departure: a retried task mails nobody twice
    enqueue_on_commit(tasks.send_departure_mails, lid.naam, coordinator_ids, netwerk_ids, vertrek)
