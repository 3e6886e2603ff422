"""Writes for meetings. Capacity and the waiting list are decided here and nowhere else.

Every registration change locks the meeting row first (SELECT … FOR UPDATE on PostgreSQL; on
SQLite every write transaction is IMMEDIATE, which serialises writers), so concurrent requests
can never fill more places than the meeting has.
"""

from __future__ import annotations

from datetime import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from berichten.services import queue_registration_mail
from leden.models import Lid, Lidmaatschap

from .models import LIVE_STATUSES, Aanmelding, Bijeenkomst

GUEST_TOKEN_SALT = "bijeenkomsten.gast-bevestigen"
GUEST_TOKEN_MAX_AGE = 7 * 24 * 3600
TAKES_A_PLACE = Q(status__in=["aangemeld", "aanwezig"], bevestigd=True)
WAITING_ORDER = ["-voorrang", "aangemeld_op", "id"]


class RegistrationClosed(ValidationError):
    pass


def registration_closes_at(bijeenkomst: Bijeenkomst) -> datetime:
    return bijeenkomst.aanmelden_tot or bijeenkomst.begin


def is_registration_open(bijeenkomst: Bijeenkomst, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        bijeenkomst.aanmelden_verplicht
        and not bijeenkomst.geannuleerd
        and now < registration_closes_at(bijeenkomst)
    )


def _lock(bijeenkomst_id: int) -> Bijeenkomst:
    return Bijeenkomst.objects.select_for_update().get(pk=bijeenkomst_id)


def _has_room(bijeenkomst: Bijeenkomst) -> bool:
    if bijeenkomst.capaciteit is None:
        return True
    taken = bijeenkomst.aanmeldingen.filter(TAKES_A_PLACE).count()
    return taken < bijeenkomst.capaciteit


def _is_core_of_organiser(lid: Lid, bijeenkomst: Bijeenkomst) -> bool:
    return Lidmaatschap.objects.filter(
        lid=lid,
        netwerk__in=bijeenkomst.netwerken.all(),
        schil=Lidmaatschap.Schil.KERN,
        status=Lidmaatschap.Status.ACTIEF,
    ).exists()


def _live_registration(bijeenkomst: Bijeenkomst, *, lid: Lid | None, email: str):
    live = bijeenkomst.aanmeldingen.filter(status__in=LIVE_STATUSES)
    if lid is not None:
        return live.filter(lid=lid).first()
    return live.filter(lid__isnull=True, gast_email__iexact=email).first()


@transaction.atomic
def register_for_meeting(
    *,
    bijeenkomst_id: int,
    lid: Lid | None = None,
    gast_naam: str = "",
    gast_email: str = "",
    now: datetime | None = None,
) -> Aanmelding:
    """Register a member (or a guest for an open meeting) and return the live registration.

    Registering twice returns the existing registration: a double click, a double submit or a
    second tab changes nothing. A full meeting puts the registration on the waiting list. A
    guest's place counts only after they confirm by the link mailed to them.
    """
    bijeenkomst = _lock(bijeenkomst_id)
    if not is_registration_open(bijeenkomst, now=now):
        raise RegistrationClosed(_("Registration for this meeting is closed."), code="closed")
    if lid is None:
        if bijeenkomst.doelgroep != Bijeenkomst.Doelgroep.OPEN:
            raise ValidationError(_("Only members can register for this meeting."), code="members")
        gast_email = gast_email.strip().lower()
        if not gast_naam.strip() or not gast_email:
            raise ValidationError(_("Fill in your name and e-mail address."), code="guest")

    existing = _live_registration(bijeenkomst, lid=lid, email=gast_email)
    if existing is not None:
        return existing

    if lid is not None:
        status = "aangemeld" if _has_room(bijeenkomst) else "wachtlijst"
        aanmelding = Aanmelding(
            bijeenkomst=bijeenkomst,
            lid=lid,
            status=status,
            voorrang=_is_core_of_organiser(lid, bijeenkomst),
        )
    else:
        # A guest holds no place until confirmed; the place is decided on confirmation.
        aanmelding = Aanmelding(
            bijeenkomst=bijeenkomst,
            gast_naam=gast_naam.strip(),
            gast_email=gast_email,
            status="aangemeld",
            bevestigd=False,
        )
    aanmelding.full_clean(
        exclude=["bijeenkomst", "lid"], validate_unique=False, validate_constraints=False
    )
    try:
        with transaction.atomic():
            aanmelding.save()
    except IntegrityError:
        # The database refused a second live registration: return the first one.
        existing = _live_registration(bijeenkomst, lid=lid, email=gast_email)
        if existing is None:
            raise
        return existing

    if lid is None:
        queue_registration_mail(aanmelding.pk, "gast_bevestigen")
    else:
        queue_registration_mail(aanmelding.pk, aanmelding.status)
    return aanmelding


def guest_token(aanmelding: Aanmelding) -> str:
    return signing.dumps({"a": aanmelding.pk, "e": aanmelding.gast_email}, salt=GUEST_TOKEN_SALT)


def guest_registration_from_token(token: str) -> Aanmelding | None:
    """The guest registration a confirmation link is for, or None if the link is not valid."""
    try:
        data = signing.loads(token, salt=GUEST_TOKEN_SALT, max_age=GUEST_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        Aanmelding.objects.select_related("bijeenkomst")
        .filter(pk=data.get("a"), gast_email=data.get("e"), lid__isnull=True)
        .first()
    )


@transaction.atomic
def confirm_guest_registration(*, aanmelding_id: int, now: datetime | None = None) -> Aanmelding:
    """Confirm a guest's registration: a place if one is free, else the waiting list."""
    aanmelding = Aanmelding.objects.get(pk=aanmelding_id)
    bijeenkomst = _lock(aanmelding.bijeenkomst_id)
    aanmelding.refresh_from_db()
    if aanmelding.bevestigd or aanmelding.status == "geannuleerd":
        return aanmelding
    if not is_registration_open(bijeenkomst, now=now):
        raise RegistrationClosed(_("Registration for this meeting is closed."), code="closed")
    aanmelding.status = "aangemeld" if _has_room(bijeenkomst) else "wachtlijst"
    aanmelding.bevestigd = True
    aanmelding.aangemeld_op = now or timezone.now()  # waiting-list order counts from confirmation
    aanmelding.save(update_fields=["status", "bevestigd", "aangemeld_op", "gewijzigd_op"])
    queue_registration_mail(aanmelding.pk, aanmelding.status)
    return aanmelding


@transaction.atomic
def cancel_registration(*, aanmelding_id: int, now: datetime | None = None) -> Aanmelding:
    """Cancel a registration; a freed place goes to the first on the waiting list."""
    aanmelding = Aanmelding.objects.get(pk=aanmelding_id)
    bijeenkomst = _lock(aanmelding.bijeenkomst_id)
    aanmelding.refresh_from_db()
    if aanmelding.status not in ("aangemeld", "wachtlijst"):
        return aanmelding
    aanmelding.status = "geannuleerd"
    aanmelding.save(update_fields=["status", "gewijzigd_op"])
    if (now or timezone.now()) < bijeenkomst.begin and not bijeenkomst.geannuleerd:
        promote_from_waiting_list(bijeenkomst)
    return aanmelding


def promote_from_waiting_list(bijeenkomst: Bijeenkomst) -> list[Aanmelding]:
    """Fill free places from the waiting list, core members first. Call with the row locked."""
    promoted = []
    waiting = bijeenkomst.aanmeldingen.filter(status="wachtlijst", bevestigd=True).order_by(
        *WAITING_ORDER
    )
    for aanmelding in waiting:
        if not _has_room(bijeenkomst):
            break
        aanmelding.status = "aangemeld"
        aanmelding.save(update_fields=["status", "gewijzigd_op"])
        queue_registration_mail(aanmelding.pk, "doorgeschoven")
        promoted.append(aanmelding)
    return promoted


def waiting_list_position(aanmelding: Aanmelding) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if aanmelding.status != "wachtlijst":
        return None
    ahead = Q(voorrang=True) if aanmelding.voorrang is False else Q(pk__in=[])
    same_rank = Q(voorrang=aanmelding.voorrang) & (
        Q(aangemeld_op__lt=aanmelding.aangemeld_op)
        | Q(aangemeld_op=aanmelding.aangemeld_op, id__lt=aanmelding.id)
    )
    return (
        aanmelding.bijeenkomst.aanmeldingen.filter(status="wachtlijst", bevestigd=True)
        .filter(ahead | same_rank)
        .count()
        + 1
    )
