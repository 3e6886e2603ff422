"""Writes of theme rounds: open, propose, support, merge, vote, close.

Every path (the members' pages, the admin, the periodic task) calls these. Each checks the
round's phase itself, so a form posted after a deadline is refused whatever sent it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leden.models import Lid, Lidmaatschap
from netwerken.models import Netwerk

from . import mails
from .models import (
    Reactie,
    RondeStatus,
    Stem,
    Stembiljet,
    Steun,
    Themaronde,
    Themavoorstel,
    Vorm,
)
from .selection import seq_pav


def _require_member(ronde: Themaronde, lid: Lid) -> None:
    active = Lidmaatschap.objects.active().filter(lid=lid, netwerk_id=ronde.netwerk_id)
    if not active.exists():
        raise ValidationError(_("Only active members of the network take part in its round."))


def _require_phase(ronde: Themaronde, phase: str, now: datetime | None = None) -> None:
    if ronde.status(now) != phase:
        if phase == RondeStatus.VOORSTELLEN:
            raise ValidationError(_("Proposals are closed for this round."))
        raise ValidationError(_("Voting is not open for this round."))


@transaction.atomic
def round_open(
    *,
    netwerk: Netwerk,
    jaar: int,
    helft: int,
    voorstellen_tot: datetime,
    stemmen_tot: datetime,
    max_stemmen: int = 3,
    aantal_themas: int = 4,
) -> Themaronde:
    """Open a round for a network's half-year and tell its active members."""
    ronde = Themaronde(
        netwerk=netwerk,
        jaar=jaar,
        helft=helft,
        voorstellen_tot=voorstellen_tot,
        stemmen_tot=stemmen_tot,
        max_stemmen=max_stemmen,
        aantal_themas=aantal_themas,
    )
    ronde.full_clean()
    ronde.save()
    mails.queue_round_opened(ronde.pk)
    return ronde


@transaction.atomic
def proposal_create(
    *, ronde: Themaronde, lid: Lid, titel: str, waarom: str, vorm: str = ""
) -> Themavoorstel:
    """A member proposes a theme while proposals are open; the proposer supports it."""
    _require_member(ronde, lid)
    _require_phase(ronde, RondeStatus.VOORSTELLEN)
    if vorm and vorm not in Vorm.values:
        raise ValidationError(_("Unknown form."))
    voorstel = Themavoorstel(ronde=ronde, titel=titel, waarom=waarom, vorm=vorm, indiener=lid)
    voorstel.full_clean()
    voorstel.save()
    Steun.objects.create(voorstel=voorstel, lid=lid)
    return voorstel


@transaction.atomic
def proposal_support(*, voorstel: Themavoorstel, lid: Lid, steun: bool = True) -> None:
    """Support a proposal (or withdraw one's support) while proposals are open."""
    ronde = voorstel.ronde
    _require_member(ronde, lid)
    _require_phase(ronde, RondeStatus.VOORSTELLEN)
    if voorstel.samengevoegd_in_id:
        raise ValidationError(_("This proposal was merged into another one."))
    if steun:
        Steun.objects.bulk_create([Steun(voorstel=voorstel, lid=lid)], ignore_conflicts=True)
    else:
        Steun.objects.filter(voorstel=voorstel, lid=lid).delete()


@transaction.atomic
def proposal_merge(*, voorstel: Themavoorstel, into: Themavoorstel) -> Themavoorstel:
    """A coordinator merges a duplicate into another proposal of the same round.

    Its supporters, approvals and comments move to `into`; a member who backed both counts
    once. The proposers of both are told. Not after the round is closed (the result would change).
    """
    # Lock both rows in a fixed order: two merges of the same pair cannot interleave.
    locked = {
        v.pk: v
        for v in Themavoorstel.objects.select_for_update()
        .filter(pk__in=[voorstel.pk, into.pk])
        .order_by("pk")
    }
    voorstel, into = locked[voorstel.pk], locked[into.pk]
    if voorstel.pk == into.pk or voorstel.ronde_id != into.ronde_id:
        raise ValidationError(_("Merge a proposal into another proposal of the same round."))
    if voorstel.samengevoegd_in_id or into.samengevoegd_in_id:
        raise ValidationError(_("This proposal was merged into another one."))
    ronde = Themaronde.objects.get(pk=voorstel.ronde_id)
    if ronde.gesloten_op:
        raise ValidationError(_("The round is closed."))
    # Carry over what `into` does not have yet; the rest (double backing) goes.
    Steun.objects.filter(voorstel=voorstel).exclude(
        lid__in=Steun.objects.filter(voorstel=into).values("lid")
    ).update(voorstel=into)
    Steun.objects.filter(voorstel=voorstel).delete()
    Stem.objects.filter(voorstel=voorstel).exclude(
        biljet__in=Stem.objects.filter(voorstel=into).values("biljet")
    ).update(voorstel=into)
    Stem.objects.filter(voorstel=voorstel).delete()
    # The discussion follows the theme it was about.
    Reactie.objects.filter(voorstel=voorstel).update(voorstel=into)
    voorstel.samengevoegd_in = into
    voorstel.save(update_fields=["samengevoegd_in"])
    mails.queue_proposal_merged(voorstel.pk)
    return into


@transaction.atomic
def comment_create(
    *, voorstel: Themavoorstel, lid: Lid, tekst: str, now: datetime | None = None
) -> Reactie:
    """A member comments briefly on a proposal while proposals or voting are open."""
    ronde = Themaronde.objects.get(pk=voorstel.ronde_id)
    _require_member(ronde, lid)
    if ronde.status(now) not in {RondeStatus.VOORSTELLEN, RondeStatus.STEMMEN}:
        raise ValidationError(_("Comments are closed for this round."))
    if Themavoorstel.objects.filter(pk=voorstel.pk, samengevoegd_in__isnull=False).exists():
        raise ValidationError(_("This proposal was merged into another one."))
    tekst = tekst.strip()
    if not tekst:
        raise ValidationError(_("Write a comment first."))
    if len(tekst) > Reactie.MAX_LENGTH:
        raise ValidationError(
            _("Keep your comment to %(limit)s characters.") % {"limit": Reactie.MAX_LENGTH}
        )
    reactie = Reactie(voorstel=voorstel, lid=lid, tekst=tekst, aangemaakt_op=now or timezone.now())
    reactie.full_clean()
    reactie.save()
    return reactie


@transaction.atomic
def comment_delete(*, reactie: Reactie) -> None:
    """A coordinator removes a comment (moderation)."""
    reactie.delete()


def _lock_ballot(ronde: Themaronde, lid: Lid) -> Stembiljet:
    """The member's ballot row, made if missing, locked until the transaction ends."""
    biljet, _created = Stembiljet.objects.get_or_create(ronde=ronde, lid=lid)
    return Stembiljet.objects.select_for_update().get(pk=biljet.pk)


@transaction.atomic
def ballot_save(
    *, ronde: Themaronde, lid: Lid, voorstel_ids: Collection[int], now: datetime | None = None
) -> Stembiljet:
    """Replace a member's approvals while voting runs, at most the round's limit.

    The ballot row is locked first, so two requests of one member cannot together pass the
    limit: the second waits and then replaces what the first wrote.
    """
    _require_member(ronde, lid)
    _require_phase(ronde, RondeStatus.STEMMEN, now)
    wanted = set(voorstel_ids)
    if len(wanted) > ronde.max_stemmen:
        raise ValidationError(_("Tick at most %(limit)s themes.") % {"limit": ronde.max_stemmen})
    valid = set(
        Themavoorstel.objects.filter(
            ronde=ronde, samengevoegd_in__isnull=True, pk__in=wanted
        ).values_list("pk", flat=True)
    )
    if valid != wanted:
        raise ValidationError(_("Choose from this round's themes."))
    biljet = _lock_ballot(ronde, lid)
    biljet.stemmen.all().delete()
    Stem.objects.bulk_create(Stem(biljet=biljet, voorstel_id=pk) for pk in sorted(wanted))
    biljet.bijgewerkt_op = now or timezone.now()
    biljet.save(update_fields=["bijgewerkt_op"])
    return biljet


def round_ballots(ronde: Themaronde) -> list[set[int]]:
    """Every ballot of the round as a set of proposal ids, without its voter."""
    ballots: dict[int, set[int]] = {}
    lines = Stem.objects.filter(biljet__ronde=ronde, voorstel__samengevoegd_in__isnull=True)
    for biljet_id, voorstel_id in lines.values_list("biljet_id", "voorstel_id").iterator(
        chunk_size=2000
    ):
        ballots.setdefault(biljet_id, set()).add(voorstel_id)
    return list(ballots.values())


@transaction.atomic
def round_close(*, ronde: Themaronde, now: datetime | None = None) -> list[int]:
    """Close the round, choose its themes (seq-PAV) and mail the result; once only.

    The conditional update claims the close: a second call (the beat and a coordinator at
    once) finds the round closed and does nothing. Returns the chosen ids in order.
    """
    now = now or timezone.now()
    claimed = Themaronde.objects.filter(pk=ronde.pk, gesloten_op__isnull=True).update(
        gesloten_op=now
    )
    if not claimed:
        return []
    ronde.refresh_from_db()
    chosen = seq_pav(round_ballots(ronde), ronde.aantal_themas)
    for place, pk in enumerate(chosen, start=1):
        Themavoorstel.objects.filter(pk=pk).update(gekozen_als=place)
    mails.queue_results(ronde.pk)
    return chosen


ROUND_FIELDS = {"voorstellen_tot", "stemmen_tot", "max_stemmen", "aantal_themas"}
PROPOSAL_FIELDS = {"titel", "waarom", "vorm"}


@transaction.atomic
def round_update(*, ronde: Themaronde, **changes: object) -> Themaronde:
    """A coordinator moves a round's deadlines or limits; not once it is closed."""
    if set(changes) - ROUND_FIELDS:
        raise ValidationError(_("These fields cannot be changed."))
    if Themaronde.objects.filter(pk=ronde.pk, gesloten_op__isnull=False).exists():
        raise ValidationError(_("The round is closed."))
    for name, value in changes.items():
        setattr(ronde, name, value)
    ronde.full_clean()
    ronde.save()
    return ronde


@transaction.atomic
def proposal_update(*, voorstel: Themavoorstel, **changes: object) -> Themavoorstel:
    """A coordinator corrects a proposal's title, reason or form."""
    if set(changes) - PROPOSAL_FIELDS:
        raise ValidationError(_("These fields cannot be changed."))
    for name, value in changes.items():
        setattr(voorstel, name, value)
    voorstel.full_clean()
    voorstel.save()
    return voorstel
