"""Writes for meetings as coordinators run them: saving an edit (a move, a new capacity, a
narrower audience), cancelling, deleting and marking attendance.

Every admin path that performs one of these (change form, programme row, bulk action, delete
page) calls the same function here. Mails are queued through `bijeenkomsten.mails` inside the
transaction (that module queues them once the transaction commits).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from netwerken.models import Subregio
from portal.pagecache import bump_content_version

from .. import mails
from ..models import Aanmelding, Bijeenkomst, Halfjaarprogramma, VorigeSlug
from ..permissions import can_view_meeting
from .registration import _lock, waiting_list_fill


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
    netwerk_ids: Iterable[int] | None = None,
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
      (`meeting_audience_problem`);
    - a sub-region must belong to an organising network (`meeting_subregion_problem`).
    `netwerk_ids`, when given, are the organising networks the meeting gets (else it keeps
    its own; a new row of a programme gets the programme's network).
    The cancellation and the SEQUENCE are never taken from the form: only `meeting_cancel`
    changes them. A new meeting of a programme gets a slug and the programme's network.
    """
    if programma is not None:
        bijeenkomst.programma = programma
    organisers = _organisers(bijeenkomst, programma=programma, netwerk_ids=netwerk_ids)
    problem = meeting_subregion_problem(subregio=bijeenkomst.subregio, netwerk_ids=organisers)
    if problem:
        raise ValidationError({"subregio": problem}, code="subregion")
    if not bijeenkomst.slug:
        bijeenkomst.slug = unique_meeting_slug(bijeenkomst.titel, bijeenkomst.begin)
    if bijeenkomst.pk is None:
        bijeenkomst.full_clean(exclude=["netwerken"], validate_unique=False)
        bijeenkomst.save()
        bijeenkomst.netwerken.set(organisers)
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
    if netwerk_ids is not None:
        bijeenkomst.netwerken.set(organisers)
    if moved and not bijeenkomst.geannuleerd:
        mails.queue_meeting_update_mails(bijeenkomst.pk, "gewijzigd")
    if stored.capaciteit != bijeenkomst.capaciteit:  # promotes only into free places
        waiting_list_fill(bijeenkomst_id=bijeenkomst.pk, now=now)
    return bijeenkomst


def _organisers(
    bijeenkomst: Bijeenkomst,
    *,
    programma: Halfjaarprogramma | None,
    netwerk_ids: Iterable[int] | None,
) -> set[int]:
    if netwerk_ids is not None:
        return set(netwerk_ids)
    if bijeenkomst.pk is None:
        return {programma.netwerk_id} if programma is not None else set()
    through = Bijeenkomst.netwerken.through.objects.filter(bijeenkomst_id=bijeenkomst.pk)
    return set(through.values_list("netwerk_id", flat=True))


def meeting_subregion_problem(*, subregio: Subregio | None, netwerk_ids: Iterable[int]) -> str:
    """Why a meeting organised by `netwerk_ids` may not belong to `subregio`, or "" when it
    may: a sub-region is a place within one network's region, so it must be an organiser's."""
    if subregio is None or subregio.netwerk_id in set(netwerk_ids):
        return ""
    return _(
        "%(subregio)s is a sub-region of %(netwerk)s, which does not organise this meeting. "
        "Choose a sub-region of an organising network, or none."
    ) % {"subregio": subregio, "netwerk": subregio.netwerk}


def _same_second(a: datetime, b: datetime) -> bool:
    return a.replace(microsecond=0) == b.replace(microsecond=0)


_AUDIENCE_WIDTH: dict[str, int] = {
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
    live = bijeenkomst.aanmeldingen.live().filter(geanonimiseerd=False)
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
class AttendanceMarks:
    """What `meeting_mark_attendance` did: how many registrations changed, and why the ones
    it would not mark as attended were refused (by registration id)."""

    changed: int
    refused: dict[int, str] = field(default_factory=dict)


def _attendance_refusal(status: str, *, begun: bool) -> str:
    """Why a registration with `status` may not be marked as attended, or "" when it may."""
    if status in (Aanmelding.Status.AANGEMELD, Aanmelding.Status.AANWEZIG):
        return ""
    if status == Aanmelding.Status.WACHTLIJST:
        if begun:
            return ""  # they came anyway
        return _(
            "the meeting has not started yet: someone on the waiting list counts as attended "
            "only once it has begun (before that, they would take a place past the capacity)"
        )
    return _("only people who registered can be marked as attended, not a cancelled registration")


@transaction.atomic
def meeting_mark_attendance(
    *, bijeenkomst_id: int, aanwezig: Iterable[int] = (), afwezig: Iterable[int] = ()
) -> AttendanceMarks:
    """Mark registrations of one meeting as attended (`aanwezig`) or not (`afwezig`).

    Registered rows can become attended; waiting-list rows only once the meeting has begun
    (they came anyway), since before that an attended row would take a place past the
    capacity; cancelled rows never. Unmarking puts an attended row back to registered. Two
    UPDATEs however many people came. Returns the number changed and why others were refused.
    """
    now = timezone.now()
    begun = _lock(bijeenkomst_id).begin <= now  # registrations change with the meeting locked
    Status = Aanmelding.Status
    rows = Aanmelding.objects.filter(bijeenkomst_id=bijeenkomst_id)
    asked = rows.filter(pk__in=list(aanwezig)).exclude(status=Status.AANWEZIG)
    attending, refused = [], {}
    for pk, status in asked.values_list("pk", "status"):
        reason = _attendance_refusal(status, begun=begun)
        if reason:
            refused[pk] = reason
        else:
            attending.append(pk)
    changed = rows.filter(pk__in=attending).update(status=Status.AANWEZIG, gewijzigd_op=now)
    changed += rows.filter(pk__in=list(afwezig), status=Status.AANWEZIG).update(
        status=Status.AANGEMELD, gewijzigd_op=now
    )
    bump_content_version()  # update() sends no signal
    return AttendanceMarks(changed=changed, refused=refused)
