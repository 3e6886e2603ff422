"""Registrations: capacity and the waiting list are decided here and nowhere else.

Every registration change locks the meeting row first (SELECT … FOR UPDATE on PostgreSQL; on
SQLite every write transaction is IMMEDIATE, which serialises writers), so concurrent requests
can never fill more places than the meeting has.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leden.models import Lid, Lidmaatschap

from .. import mails, selectors
from ..mails import GUEST_CANCEL_SALT, GUEST_TOKEN_SALT
from ..mails import guest_cancel_token as guest_cancel_token
from ..mails import guest_token as guest_token
from ..models import CANCELLABLE_STATUSES, Aanmelding, Bijeenkomst

GUEST_TOKEN_MAX_AGE = 7 * 24 * 3600
GUEST_LINK_RENEW_AFTER = timedelta(hours=1)
WAITING_ORDER = ["-voorrang", "aangemeld_op", "id"]
Status = Aanmelding.Status


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
    taken = bijeenkomst.aanmeldingen.taking_a_place().count()
    return taken < bijeenkomst.capaciteit


def _is_core_of_organiser(lid: Lid, bijeenkomst: Bijeenkomst) -> bool:
    organisers = bijeenkomst.netwerken.all()
    return Lidmaatschap.objects.core().filter(lid=lid, netwerk__in=organisers).exists()


def _guest_link_may_be_renewed(aanmelding: Aanmelding, *, now: datetime | None) -> bool:
    return (
        aanmelding.lid_id is None
        and not aanmelding.bevestigd
        and aanmelding.aangemeld_op <= (now or timezone.now()) - GUEST_LINK_RENEW_AFTER
    )


def _live_registration(bijeenkomst: Bijeenkomst, *, lid: Lid | None, email: str):
    live = bijeenkomst.aanmeldingen.live()
    if lid is not None:
        return live.filter(lid=lid).first()
    return live.filter(lid__isnull=True, gast_email__iexact=email).first()


@transaction.atomic
def registration_create(
    *,
    bijeenkomst_id: int,
    lid: Lid | None = None,
    gast_naam: str = "",
    gast_email: str = "",
    may_mail: Callable[[], bool] | None = None,
    now: datetime | None = None,
    taal: str = "",
) -> Aanmelding | None:
    """Register a member (or a guest for an open meeting) and return the live registration.

    Registering twice returns the existing registration: a double click, a double submit or a
    second tab changes nothing (and mails nothing). A full meeting puts the registration on the
    waiting list. A guest's place counts only after they confirm by the link mailed to them.

    `may_mail` (guests): asked only when a new registration, and so a mail to the address,
    would be made; when it answers False nothing is made or mailed (the per-address limit of
    the guest form) and the existing registration, if any, or None is returned. A guest who
    registers again while still unconfirmed gets a new registration and link once the last
    link is GUEST_LINK_RENEW_AFTER old (the mail got lost, or the link expired), never sooner.
    `taal`: the language of a guest's mails (default the site's; a member's follow Lid.taal).
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
    if existing is not None and not _guest_link_may_be_renewed(existing, now=now):
        if lid is None and (may_mail is None or may_mail()):
            # A guest who registers again has lost our mail: send it again (its link, or the
            # registration with its cancel link), at most once a day, to that address only.
            kind = existing.status if existing.bevestigd else "gast_bevestigen"
            today = timezone.localdate(now or timezone.now())
            mails.queue_registration_mail(existing.pk, kind, again=today.isoformat())
        return existing

    if lid is not None:
        status = Status.AANGEMELD if _has_room(bijeenkomst) else Status.WACHTLIJST
        aanmelding = Aanmelding(
            bijeenkomst=bijeenkomst,
            lid=lid,
            status=status,
            voorrang=_is_core_of_organiser(lid, bijeenkomst),
        )
    else:
        if may_mail is not None and not may_mail():
            return existing
        if existing is not None:
            # Replaced by a new registration with a new link: the old link stops working.
            existing.status = Status.GEANNULEERD
            existing.save(update_fields=["status", "gewijzigd_op"])
        # A guest holds no place until confirmed; the place is decided on confirmation.
        aanmelding = Aanmelding(
            bijeenkomst=bijeenkomst,
            gast_naam=gast_naam.strip(),
            gast_email=gast_email,
            status=Status.AANGEMELD,
            bevestigd=False,
            taal=taal or settings.LANGUAGE_CODE,
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
        mails.queue_registration_mail(aanmelding.pk, "gast_bevestigen")
    else:
        mails.queue_registration_mail(aanmelding.pk, aanmelding.status)
    return aanmelding


def guest_registration_from_token(token: str) -> Aanmelding | None:
    """The guest registration a confirmation link is for, or None if the link is not valid.

    Links mailed before the tokens became opaque (a dict with the address) no longer work, nor
    does the link of a registration replaced by a newer one.
    """
    guests = _guest_registrations(token, salt=GUEST_TOKEN_SALT, max_age=GUEST_TOKEN_MAX_AGE)
    return guests.exclude(status=Status.GEANNULEERD, bevestigd=False).first()


def _guest_registrations(token: str, *, salt: str, max_age: int | None = None):
    """The guest registration (as a queryset of at most one) whose signed id `token` holds."""
    try:
        pk = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return Aanmelding.objects.none()
    if not isinstance(pk, int):
        return Aanmelding.objects.none()
    return Aanmelding.objects.select_related("bijeenkomst").filter(
        pk=pk, lid__isnull=True, geanonimiseerd=False
    )


def guest_registration_from_cancel_token(token: str) -> Aanmelding | None:
    """The guest registration a cancel link is for, or None if the link is not valid."""
    return _guest_registrations(token, salt=GUEST_CANCEL_SALT).first()


@transaction.atomic
def registration_confirm_guest(*, aanmelding_id: int, now: datetime | None = None) -> Aanmelding:
    """Confirm a guest's registration: a place if one is free, else the waiting list."""
    aanmelding = Aanmelding.objects.get(pk=aanmelding_id)
    bijeenkomst = _lock(aanmelding.bijeenkomst_id)
    aanmelding.refresh_from_db()
    if aanmelding.bevestigd or aanmelding.status == Status.GEANNULEERD:
        return aanmelding
    if not is_registration_open(bijeenkomst, now=now):
        raise RegistrationClosed(_("Registration for this meeting is closed."), code="closed")
    aanmelding.status = Status.AANGEMELD if _has_room(bijeenkomst) else Status.WACHTLIJST
    aanmelding.bevestigd = True
    aanmelding.aangemeld_op = now or timezone.now()  # waiting-list order counts from confirmation
    aanmelding.save(update_fields=["status", "bevestigd", "aangemeld_op", "gewijzigd_op"])
    mails.queue_registration_mail(aanmelding.pk, aanmelding.status)
    return aanmelding


@transaction.atomic
def registration_cancel(*, aanmelding_id: int, now: datetime | None = None) -> Aanmelding:
    """Cancel a registration; a freed place goes to the first on the waiting list."""
    aanmelding = Aanmelding.objects.get(pk=aanmelding_id)
    bijeenkomst = _lock(aanmelding.bijeenkomst_id)
    aanmelding.refresh_from_db()
    if aanmelding.status not in CANCELLABLE_STATUSES:
        return aanmelding
    aanmelding.status = Status.GEANNULEERD
    aanmelding.save(update_fields=["status", "gewijzigd_op"])
    if (now or timezone.now()) < bijeenkomst.begin and not bijeenkomst.geannuleerd:
        waiting_list_promote(bijeenkomst)
    return aanmelding


def waiting_list_promote(bijeenkomst: Bijeenkomst) -> list[Aanmelding]:
    """Fill free places from the waiting list, core members first. Call with the row locked."""
    promoted = []
    waiting = bijeenkomst.aanmeldingen.waiting().order_by(*WAITING_ORDER)
    for aanmelding in waiting:
        if not _has_room(bijeenkomst):
            break
        aanmelding.status = Status.AANGEMELD
        aanmelding.save(update_fields=["status", "gewijzigd_op"])
        mails.queue_registration_mail(aanmelding.pk, "doorgeschoven")
        promoted.append(aanmelding)
    return promoted


def waiting_list_fill(*, bijeenkomst_id: int, now: datetime | None = None) -> list:
    """After a coordinator raised (or lifted) the capacity: the new places go to the waiting
    list in its order, before anyone who registers later."""
    bijeenkomst = _lock(bijeenkomst_id)
    if bijeenkomst.geannuleerd or (now or timezone.now()) >= bijeenkomst.begin:
        return []
    return waiting_list_promote(bijeenkomst)


def waiting_list_position(aanmelding: Aanmelding) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if aanmelding.status != Status.WACHTLIJST:
        return None
    row = selectors.with_waiting_position(Aanmelding.objects.filter(pk=aanmelding.pk)).first()
    return row.wachtpositie if row else None
