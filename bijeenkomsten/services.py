"""Writes for meetings. Capacity and the waiting list are decided here and nowhere else.

Every registration change locks the meeting row first (SELECT … FOR UPDATE on PostgreSQL; on
SQLite every write transaction is IMMEDIATE, which serialises writers), so concurrent requests
can never fill more places than the meeting has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leden.models import Lid, Lidmaatschap
from netwerken.models import Netwerk
from portal.pagecache import bump_content_version

from . import mails, selectors
from .mails import GUEST_CANCEL_SALT, GUEST_TOKEN_SALT
from .mails import guest_cancel_token as guest_cancel_token
from .mails import guest_token as guest_token
from .models import (
    LIVE_STATUSES,
    TAKES_A_PLACE,
    Aanmelding,
    Bijeenkomst,
    Halfjaarprogramma,
    Programmaonderdeel,
    VorigeSlug,
    half_year_label,
)
from .permissions import can_view_meeting

GUEST_TOKEN_MAX_AGE = 7 * 24 * 3600
GUEST_LINK_RENEW_AFTER = timedelta(hours=1)
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


def _guest_link_may_be_renewed(aanmelding: Aanmelding, *, now: datetime | None) -> bool:
    return (
        aanmelding.lid_id is None
        and not aanmelding.bevestigd
        and aanmelding.aangemeld_op <= (now or timezone.now()) - GUEST_LINK_RENEW_AFTER
    )


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
    may_mail: Callable[[], bool] | None = None,
    now: datetime | None = None,
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
        status = "aangemeld" if _has_room(bijeenkomst) else "wachtlijst"
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
            existing.status = "geannuleerd"
            existing.save(update_fields=["status", "gewijzigd_op"])
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
    return guests.exclude(status="geannuleerd", bevestigd=False).first()


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
    mails.queue_registration_mail(aanmelding.pk, aanmelding.status)
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
        mails.queue_registration_mail(aanmelding.pk, "doorgeschoven")
        promoted.append(aanmelding)
    return promoted


def meeting_capacity_changed(*, bijeenkomst_id: int, now: datetime | None = None) -> list:
    """After a coordinator raised (or lifted) the capacity: the new places go to the waiting
    list in its order, before anyone who registers later."""
    bijeenkomst = _lock(bijeenkomst_id)
    if bijeenkomst.geannuleerd or (now or timezone.now()) >= bijeenkomst.begin:
        return []
    return promote_from_waiting_list(bijeenkomst)


def waiting_list_position(aanmelding: Aanmelding) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if aanmelding.status != "wachtlijst":
        return None
    row = selectors.with_waiting_position(Aanmelding.objects.filter(pk=aanmelding.pk)).first()
    return row.wachtpositie if row else None


# --- Programme planning (coordinators) ---
# Writes behind the coordinators' admin: planning, publishing and running meetings. The admin
# only collects input and calls these; mails are queued through `mails` inside the
# transaction (the outbox sends them once the transaction commits).


PROPOSAL_INTERVAL = timedelta(weeks=6)
PROPOSAL_DURATION = timedelta(hours=2)
HALF_YEAR_SHIFT = timedelta(weeks=26)  # whole weeks: a copied meeting keeps its weekday


def proposed_meeting_times(*, netwerk: Netwerk, jaar: int, helft: int) -> list[tuple]:
    """Start and end of about one meeting every six weeks on the network's usual day and time.

    The first falls on the usual weekday from 15 January (first half) or 1 September (second
    half: after the summer holidays); meetings last two hours. Empty when the network has no
    usual weekday or start time.
    """
    if netwerk.vaste_weekdag is None or netwerk.vaste_aanvang is None:
        return []
    day = date(jaar, 1, 15) if helft == 1 else date(jaar, 9, 1)
    last = date(jaar, 6, 30) if helft == 1 else date(jaar, 12, 15)
    day += timedelta(days=(netwerk.vaste_weekdag - day.weekday()) % 7)
    times = []
    while day <= last:
        begin = timezone.make_aware(datetime.combine(day, netwerk.vaste_aanvang))
        times.append((begin, begin + PROPOSAL_DURATION))
        day += PROPOSAL_INTERVAL
    return times


def unique_meeting_slug(titel: str, begin: datetime) -> str:
    """A readable, unique slug: the title and the date, numbered if that is taken."""
    base = f"{slugify(titel)[:180] or 'bijeenkomst'}-{timezone.localdate(begin):%Y-%m-%d}"
    slug, number = base, 2
    while (
        Bijeenkomst.objects.filter(slug=slug).exists()
        or VorigeSlug.objects.filter(slug=slug).exists()
    ):
        slug, number = f"{base}-{number}", number + 1
    return slug


def _shift_local(moment: datetime | None, shift: timedelta) -> datetime | None:
    """Move a moment by whole days keeping the wall-clock time (across summer time)."""
    if moment is None:
        return None
    local = timezone.localtime(moment)
    return timezone.make_aware(datetime.combine(local.date() + shift, local.time()))


@transaction.atomic
def programme_publish(*, programma_id: int, now: datetime | None = None) -> bool:
    """Publish a programme: it and its meetings become visible to members at once.

    `gepubliceerd_op` tells the digest what is new. Publishing twice changes nothing (a
    conditional update), so the digest never announces a programme twice. Returns whether
    this call published it.
    """
    published = Halfjaarprogramma.objects.filter(pk=programma_id, gepubliceerd=False).update(
        gepubliceerd=True, gepubliceerd_op=now or timezone.now()
    )
    bump_content_version()  # update() sends no signal
    return bool(published)


@transaction.atomic
def programme_copy_to_next_half_year(*, programma_id: int) -> Halfjaarprogramma:
    """Copy a programme's themes, meetings and programme parts to the next half-year, as a
    draft, with every date moved on 26 weeks (same weekday, same time of day).

    Registrations, materials and reports are not copied; nor are cancelled meetings.
    """
    source = Halfjaarprogramma.objects.select_related("netwerk").get(pk=programma_id)
    jaar, helft = (source.jaar, 2) if source.helft == 1 else (source.jaar + 1, 1)
    if Halfjaarprogramma.objects.filter(netwerk=source.netwerk, jaar=jaar, helft=helft).exists():
        raise ValidationError(
            _(
                "%(netwerk)s already has a programme for the %(periode)s. "
                "Edit that one, or delete it first."
            )
            % {"netwerk": source.netwerk, "periode": half_year_label(jaar, helft)},
            code="exists",
        )
    copy = Halfjaarprogramma.objects.create(
        netwerk=source.netwerk,
        jaar=jaar,
        helft=helft,
        themas=source.themas,
        toelichting=source.toelichting,
    )
    meetings = source.bijeenkomsten.filter(geannuleerd=False).prefetch_related(
        "netwerken", "onderdelen"
    )
    for old in meetings:
        new = Bijeenkomst(
            programma=copy,
            soort=old.soort,
            titel=old.titel,
            thema=old.thema,
            begin=_shift_local(old.begin, HALF_YEAR_SHIFT),
            einde=_shift_local(old.einde, HALF_YEAR_SHIFT),
            locatie=old.locatie,
            adres=old.adres,
            online_link=old.online_link,
            doelgroep=old.doelgroep,
            capaciteit=old.capaciteit,
            aanmelden_verplicht=old.aanmelden_verplicht,
            aanmelden_tot=_shift_local(old.aanmelden_tot, HALF_YEAR_SHIFT),
            beschrijving=old.beschrijving,
        )
        new.slug = unique_meeting_slug(new.titel, new.begin)
        new.save()
        new.netwerken.set(old.netwerken.all())
        Programmaonderdeel.objects.bulk_create(
            Programmaonderdeel(
                bijeenkomst=new,
                soort=part.soort,
                titel=part.titel,
                sprekers=part.sprekers,
                begintijd=part.begintijd,
                eindtijd=part.eindtijd,
                beschrijving=part.beschrijving,
                volgorde=part.volgorde,
            )
            for part in old.onderdelen.all()
        )
    return copy


@transaction.atomic
def meeting_cancel(*, bijeenkomst_id: int) -> bool:
    """Cancel a meeting: calendar feeds see a new SEQUENCE and every registrant gets a mail.

    Cancelling a cancelled meeting changes nothing. Returns whether this call cancelled it.
    """
    cancelled = Bijeenkomst.objects.filter(pk=bijeenkomst_id, geannuleerd=False).update(
        geannuleerd=True, sequence=F("sequence") + 1, gewijzigd_op=timezone.now()
    )
    if cancelled:
        bump_content_version()  # update() sends no signal
        mails.queue_meeting_update_mails(bijeenkomst_id, "geannuleerd")
    return bool(cancelled)


@transaction.atomic
def meeting_move(*, bijeenkomst: Bijeenkomst, begin: datetime, einde: datetime) -> Bijeenkomst:
    """Give a meeting a new start and end, saving it (with any other edits made on it).

    When the time really changes, the calendar SEQUENCE goes up and every registrant of a
    meeting that is not cancelled gets a mail (see `meeting_save`).
    """
    bijeenkomst.begin, bijeenkomst.einde = begin, einde
    return meeting_save(bijeenkomst=bijeenkomst)


@transaction.atomic
def meeting_save(
    *,
    bijeenkomst: Bijeenkomst,
    programma: Halfjaarprogramma | None = None,
    now: datetime | None = None,
) -> Bijeenkomst:
    """Save a coordinator's edit of a meeting (or a new one), whichever admin page it came from:
    the meeting's own form or its row in a half-year programme.

    What the edit means is decided here, against the stored row (locked), not from what a
    form thinks changed:
    - a new start or end raises the calendar SEQUENCE and mails every registrant of a meeting
      that is not cancelled ("gewijzigd");
    - a raised or lifted capacity admits the waiting list first, in its order, before anyone
      who registers later;
    - a narrower audience is refused while it leaves out people who registered
      (`meeting_audience_problem`).
    The cancellation and the SEQUENCE are never taken from the form: only `meeting_cancel`
    changes them. A new meeting of a programme gets a slug and the programme's network.
    """
    if programma is not None:
        bijeenkomst.programma = programma
    if not bijeenkomst.slug:
        bijeenkomst.slug = unique_meeting_slug(bijeenkomst.titel, bijeenkomst.begin)
    if bijeenkomst.pk is None:
        bijeenkomst.full_clean(exclude=["netwerken"], validate_unique=False)
        bijeenkomst.save()
        if programma is not None:
            bijeenkomst.netwerken.add(programma.netwerk_id)
        return bijeenkomst

    stored = _lock(bijeenkomst.pk)
    problem = meeting_audience_problem(bijeenkomst=stored, doelgroep=bijeenkomst.doelgroep)
    if problem:
        raise ValidationError({"doelgroep": problem}, code="audience")
    # To the second, as the admin shows times: a form that dropped microseconds moved nothing.
    moved = not (
        _same_second(stored.begin, bijeenkomst.begin)
        and _same_second(stored.einde, bijeenkomst.einde)
    )
    if not moved:
        bijeenkomst.begin, bijeenkomst.einde = stored.begin, stored.einde
    bijeenkomst.geannuleerd = stored.geannuleerd
    bijeenkomst.sequence = stored.sequence + 1 if moved else stored.sequence
    if moved and timezone.localdate(stored.begin) != timezone.localdate(bijeenkomst.begin):
        # The address holds the date: a new one, and the old one leads there.
        VorigeSlug.objects.get_or_create(slug=stored.slug, defaults={"bijeenkomst": stored})
        bijeenkomst.slug = unique_meeting_slug(bijeenkomst.titel, bijeenkomst.begin)
    bijeenkomst.full_clean(exclude=["netwerken", "slug"], validate_unique=False)
    bijeenkomst.save()
    if moved and not bijeenkomst.geannuleerd:
        mails.queue_meeting_update_mails(bijeenkomst.pk, "gewijzigd")
    if stored.capaciteit != bijeenkomst.capaciteit:  # promotes only into free places
        meeting_capacity_changed(bijeenkomst_id=bijeenkomst.pk, now=now)
    return bijeenkomst


def _same_second(a: datetime, b: datetime) -> bool:
    return a.replace(microsecond=0) == b.replace(microsecond=0)


_AUDIENCE_WIDTH = {
    Bijeenkomst.Doelgroep.KERN: 0,
    Bijeenkomst.Doelgroep.NETWERK: 1,
    Bijeenkomst.Doelgroep.LEDEN: 2,
    Bijeenkomst.Doelgroep.OPEN: 3,
}


def meeting_audience_problem(*, bijeenkomst: Bijeenkomst, doelgroep: str) -> str:
    """Why the stored meeting may not get audience `doelgroep`, or "" when it may.

    A wider audience always may. A narrower one may not while a live registration belongs to
    someone it leaves out (a guest, or a member who could no longer see the meeting, and so
    could not even cancel): they would keep a place, and get reminders, for a meeting closed to
    them. The coordinator asks them first, or cancels the meeting. Who may see a meeting is
    decided in one place, `bijeenkomsten.permissions`: it is asked here with the new audience tried
    out in a savepoint that is always rolled back.
    """
    if _AUDIENCE_WIDTH[doelgroep] >= _AUDIENCE_WIDTH[bijeenkomst.doelgroep]:
        return ""
    live = bijeenkomst.aanmeldingen.filter(status__in=LIVE_STATUSES, geanonimiseerd=False)
    guests = live.filter(lid__isnull=True).count()
    with transaction.atomic():
        Bijeenkomst.objects.filter(pk=bijeenkomst.pk).update(doelgroep=doelgroep)
        members = sum(
            not can_view_meeting(aanmelding.lid.user, bijeenkomst)
            for aanmelding in live.filter(lid__isnull=False).select_related("lid__user")
        )
        transaction.set_rollback(True)
    left_out = guests + members
    if not left_out:
        return ""
    return ngettext(
        "%(n)d person who registered is not in this audience. Ask them to cancel first, or "
        "cancel the meeting.",
        "%(n)d people who registered are not in this audience. Ask them to cancel first, or "
        "cancel the meeting.",
        left_out,
    ) % {"n": left_out}


class DeleteOutcome(StrEnum):
    DELETED = "deleted"
    CANCELLED = "cancelled"  # had registrations: cancelled instead (mails, feeds)
    KEPT = "kept"  # had registrations and had begun or was cancelled already: left as it was


@transaction.atomic
def meeting_delete(*, bijeenkomst_id: int, now: datetime | None = None) -> DeleteOutcome:
    """Delete a meeting nobody registered for. Every admin path that removes a meeting (its
    delete page, the bulk delete, a programme's delete box, deleting the programme) comes here.

    A meeting with registrations is never deleted (the database refuses it too, PROTECT): one
    still to come is cancelled instead through `meeting_cancel` (a mail to every registrant,
    STATUS:CANCELLED in calendar feeds); one that has begun, or was cancelled already, stays as
    it is, its registrations being the attendance record.
    """
    bijeenkomst = _lock(bijeenkomst_id)
    if not bijeenkomst.aanmeldingen.exists():
        bijeenkomst.delete()
        return DeleteOutcome.DELETED
    if bijeenkomst.geannuleerd or (now or timezone.now()) >= bijeenkomst.begin:
        return DeleteOutcome.KEPT
    meeting_cancel(bijeenkomst_id=bijeenkomst_id)
    return DeleteOutcome.CANCELLED


@dataclass(frozen=True)
class ProgrammeDeletion:
    outcome: DeleteOutcome
    cancelled: list[int]  # the meetings this call cancelled instead of deleting


@transaction.atomic
def programme_delete(*, programma_id: int, now: datetime | None = None) -> ProgrammeDeletion:
    """Delete a half-year programme with its meetings, each through `meeting_delete`.

    When a meeting had registrations (and so was cancelled or kept), the programme stays with
    it: the meeting stays where members look for it, and a draft's meetings stay unpublished
    (a meeting without a programme counts as published). Returns DELETED when the programme is
    gone, else CANCELLED when this call cancelled a meeting, else KEPT; and which meetings it
    cancelled.
    """
    programma = Halfjaarprogramma.objects.select_for_update().get(pk=programma_id)
    meeting_ids = list(programma.bijeenkomsten.values_list("pk", flat=True))
    outcomes = {pk: meeting_delete(bijeenkomst_id=pk, now=now) for pk in meeting_ids}
    cancelled = [pk for pk, outcome in outcomes.items() if outcome == DeleteOutcome.CANCELLED]
    if set(outcomes.values()) <= {DeleteOutcome.DELETED}:
        programma.delete()
        return ProgrammeDeletion(DeleteOutcome.DELETED, cancelled)
    outcome = DeleteOutcome.CANCELLED if cancelled else DeleteOutcome.KEPT
    return ProgrammeDeletion(outcome, cancelled)


@transaction.atomic
def meeting_mark_attendance(
    *, bijeenkomst_id: int, aanwezig: Iterable[int] = (), afwezig: Iterable[int] = ()
) -> int:
    """Mark registrations of one meeting as attended (`aanwezig`) or not (`afwezig`).

    Registered rows can become attended; waiting-list rows only once the meeting has begun
    (they came anyway), since before that an attended row would take a place past the
    capacity. Unmarking puts an attended row back to registered. Two UPDATEs however many
    people came. Returns the number changed.
    """
    now = timezone.now()
    rows = Aanmelding.objects.filter(bijeenkomst_id=bijeenkomst_id)
    may_attend = Q(status="aangemeld") | Q(status="wachtlijst", bijeenkomst__begin__lte=now)
    changed = rows.filter(may_attend, pk__in=list(aanwezig)).update(
        status="aanwezig", gewijzigd_op=now
    )
    changed += rows.filter(pk__in=list(afwezig), status="aanwezig").update(
        status="aangemeld", gewijzigd_op=now
    )
    bump_content_version()  # update() sends no signal
    return changed
