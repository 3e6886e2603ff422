"""Writes for half-year programmes: proposing, publishing, copying and deleting them.

The coordinators' admin only collects input and calls these; a programme's meetings are
changed and removed through `meetings`, so every path does the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import overload

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerken.models import Netwerk
from portal.pagecache import bump_content_version

from ..models import Bijeenkomst, Halfjaarprogramma, Programmaonderdeel, half_year_label
from .meetings import DeleteOutcome, meeting_delete, meeting_save, unique_meeting_slug

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


@overload
def _shift_local(moment: datetime, shift: timedelta) -> datetime: ...
@overload
def _shift_local(moment: None, shift: timedelta) -> None: ...
def _shift_local(moment: datetime | None, shift: timedelta) -> datetime | None:
    """Move a moment by whole days keeping the wall-clock time (across summer time)."""
    if moment is None:
        return None
    local = timezone.localtime(moment)
    return timezone.make_aware(datetime.combine(local.date() + shift, local.time()))


@transaction.atomic
def programme_save_meetings(
    *,
    programma: Halfjaarprogramma,
    meetings: Iterable[Bijeenkomst],
    removed: Iterable[Bijeenkomst] = (),
    now: datetime | None = None,
) -> dict[int, DeleteOutcome]:
    """Save the meeting rows of a programme as the coordinator left them.

    Each new or changed meeting goes through `meeting_save` (a new one gets the programme and
    its network; a move mails the registrants; more room admits the waiting list), each
    removed one through `meeting_delete` (cancelled instead when people registered). Returns
    what became of each removed meeting, by id.
    """
    for bijeenkomst in meetings:
        meeting_save(bijeenkomst=bijeenkomst, programma=programma, now=now)
    return {b.pk: meeting_delete(bijeenkomst_id=b.pk, now=now) for b in removed}


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
