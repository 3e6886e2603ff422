"""Writes of date polls: a closed round's themes get their evenings, chosen together.

The coordinator offers candidate evenings (`date_poll_open`); the network's members answer
each with yes / if need be / no until the poll closes (`availability_save`); the planner
proposes one evening per chosen theme for the whole half-year at once (`date_plan_propose`);
the coordinator adjusts and accepts (`date_plan_accept`), which puts the meetings in the
network's programme draft through `bijeenkomsten.services`. Publishing stays where it was.

Evenings are wall-clock dates and times in Europe/Amsterdam, as members read them; they
become moments only when a meeting is made.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from bijeenkomsten import services as meeting_services
from bijeenkomsten.models import Bijeenkomst, Halfjaarprogramma, half_year_label
from leden.models import Lid, Lidmaatschap

from . import planner
from .models import (
    Antwoord,
    Beschikbaarheid,
    Datumpeiling,
    Kandidaatavond,
    Themaronde,
    Themavoorstel,
    Vorm,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# The sociaal café is a kind of meeting of its own; every other form is a themed meeting.
MEETING_KIND: dict[str, str] = {Vorm.SOCIAAL_CAFE: Bijeenkomst.Soort.SOCIAAL_CAFE}


def evening_start(avond: Kandidaatavond) -> datetime:
    return timezone.make_aware(datetime.combine(avond.datum, avond.begintijd), AMSTERDAM)


def evening_end(avond: Kandidaatavond) -> datetime:
    return timezone.make_aware(datetime.combine(avond.datum, avond.eindtijd), AMSTERDAM)


def chosen_themes(ronde: Themaronde) -> list[Themavoorstel]:
    """The round's chosen themes, in the order the rule chose them, each with its meeting once
    the plan is accepted and `goedkeuringen`, its approvals: the attendance forecast. Only a
    closed round has chosen themes (`gekozen_als` is set at the close), so no count leaves
    here while voting runs. One query."""
    return list(
        Themavoorstel.objects.filter(ronde=ronde, gekozen_als__isnull=False)
        .select_related("bijeenkomst")
        .annotate(goedkeuringen=Count("stemmen", distinct=True))
        .order_by("gekozen_als")
    )


def _in_half_year(day: date, ronde: Themaronde) -> bool:
    return day.year == ronde.jaar and (day.month <= 6) == (ronde.helft == 1)


def _spacing_message() -> str:
    return _(
        "Consecutive meetings must lie %(min)s to %(max)s days (5 to 7 weeks) apart. "
        "Choose other evenings."
    ) % {"min": planner.MIN_GAP_DAYS, "max": planner.MAX_GAP_DAYS}


@transaction.atomic
def date_poll_open(
    *,
    ronde: Themaronde,
    sluit_op: datetime,
    avonden: Iterable[tuple[date, time, time]],
    now: datetime | None = None,
) -> Datumpeiling:
    """A coordinator opens the date poll of a closed round with candidate evenings
    (date, start, end; Europe/Amsterdam), answered until `sluit_op`.

    Refused before the round has chosen its themes, a second time, with fewer evenings than
    themes, or with evenings outside the round's half-year or before the poll closes.
    """
    now = now or timezone.now()
    ronde = Themaronde.objects.select_for_update().get(pk=ronde.pk)
    if ronde.gesloten_op is None:
        raise ValidationError(_("The round has not chosen its themes yet."))
    if Datumpeiling.objects.filter(ronde=ronde).exists():
        raise ValidationError(_("This round already has a date poll."))
    needed = len(chosen_themes(ronde))
    if not needed:
        raise ValidationError(_("The round chose no themes: there is nothing to plan."))
    if sluit_op <= now:
        raise ValidationError(_("The poll must close in the future."))
    evenings = sorted(avonden)
    days = [day for day, _start, _end in evenings]
    if len(set(days)) != len(days):
        raise ValidationError(_("Offer each date once."))
    if len(days) < needed:
        raise ValidationError(
            _("Offer at least %(count)s evenings: one for each chosen theme.") % {"count": needed}
        )
    closing_day = timezone.localtime(sluit_op, AMSTERDAM).date()
    for day in days:
        if not _in_half_year(day, ronde):
            raise ValidationError(
                _("Every evening must fall in the %(period)s.")
                % {"period": half_year_label(ronde.jaar, ronde.helft)}
            )
        if day <= closing_day:
            raise ValidationError(_("Every evening must fall after the poll closes."))
    peiling = Datumpeiling(ronde=ronde, sluit_op=sluit_op, geopend_op=now)
    peiling.full_clean()
    peiling.save()
    rows = [
        Kandidaatavond(peiling=peiling, datum=day, begintijd=start, eindtijd=end)
        for day, start, end in evenings
    ]
    for row in rows:
        row.full_clean(exclude=["peiling"], validate_unique=False)
    Kandidaatavond.objects.bulk_create(rows)
    return peiling


@transaction.atomic
def availability_save(
    *,
    peiling: Datumpeiling,
    lid: Lid,
    antwoorden: Mapping[int, str],
    now: datetime | None = None,
) -> None:
    """A member of the network answers candidate evenings (evening id → "yes", "if_need_be",
    "no", or "" to withdraw an answer) until the poll closes or a plan is accepted.

    The poll row is locked, so an answer cannot slip in while the coordinator accepts.
    """
    now = now or timezone.now()
    peiling = Datumpeiling.objects.select_for_update().select_related("ronde").get(pk=peiling.pk)
    active = Lidmaatschap.objects.active().filter(lid=lid, netwerk_id=peiling.ronde.netwerk_id)
    if not active.exists():
        raise ValidationError(_("Only active members of the network answer its date poll."))
    if not peiling.is_open(now):
        raise ValidationError(_("The date poll is closed."))
    if set(antwoorden.values()) - {*Antwoord.values, ""}:
        raise ValidationError(_("Answer yes, if need be or no."))
    evening_ids = set(peiling.avonden.values_list("pk", flat=True))
    if set(antwoorden) - evening_ids:
        raise ValidationError(_("Answer this poll's evenings."))
    withdrawn = [pk for pk, antwoord in antwoorden.items() if not antwoord]
    Beschikbaarheid.objects.filter(lid=lid, avond_id__in=withdrawn).delete()
    Beschikbaarheid.objects.bulk_create(
        [
            Beschikbaarheid(lid=lid, avond_id=pk, antwoord=antwoord, bijgewerkt_op=now)
            for pk, antwoord in sorted(antwoorden.items())
            if antwoord
        ],
        update_conflicts=True,
        unique_fields=["lid", "avond"],
        update_fields=["antwoord", "bijgewerkt_op"],
    )


@dataclass(frozen=True)
class CandidateRow:
    """One candidate evening with its score and who answered what (names)."""

    avond: Kandidaatavond
    score: int
    yes: list[str]
    if_need_be: list[str]
    no: list[str]
    unanswered: int


@dataclass(frozen=True)
class ProposedPlan:
    """The planner's proposal: each chosen theme (in the round's order) on an evening."""

    meetings: list[tuple[Themavoorstel, CandidateRow]]
    candidates: list[CandidateRow]
    score: int
    members: int
    answered: int


def date_plan_propose(*, peiling: Datumpeiling) -> ProposedPlan:
    """Plan one evening per chosen theme with `planner.plan_meetings`, over the answers of the
    network's active members (core members weigh most), and pair the evenings in date order
    with the themes in the order the round chose them. Five queries, whatever the sizes.

    Raises `ValidationError` when no evenings lie 5 to 7 weeks apart in turn.
    """
    ronde = peiling.ronde
    themes = chosen_themes(ronde)
    evenings = {avond.datum: avond for avond in peiling.avonden.order_by("datum")}
    memberships = list(
        Lidmaatschap.objects.active()
        .filter(netwerk_id=ronde.netwerk_id)
        .select_related("lid")
        .order_by("lid__naam", "pk")
    )
    answers: dict[int, dict[date, str]] = {}
    for lid_id, day, antwoord in Beschikbaarheid.objects.filter(avond__peiling=peiling).values_list(
        "lid_id", "avond__datum", "antwoord"
    ):
        answers.setdefault(lid_id, {})[day] = antwoord
    members = [
        planner.Member(key=m.lid_id, tier=m.schil, answers=answers.get(m.lid_id, {}))
        for m in memberships
    ]
    try:
        plan = planner.plan_meetings(evenings, members, len(themes))
    except planner.NoFeasiblePlan as error:
        raise ValidationError(
            _(
                "No %(count)s of the candidate evenings lie 5 to 7 weeks apart in turn. "
                "Add evenings or plan by hand."
            )
            % {"count": len(themes)}
        ) from error
    # Keyed as the planner keys its members (any hashable; here the member id).
    names: dict[Hashable, str] = {m.lid_id: m.lid.naam for m in memberships}
    rows = {
        scored.day: CandidateRow(
            avond=evenings[scored.day],
            score=scored.score,
            yes=[names[key] for key in scored.yes],
            if_need_be=[names[key] for key in scored.if_need_be],
            no=[names[key] for key in scored.no],
            unanswered=len(scored.unanswered),
        )
        for scored in plan.candidates
    }
    return ProposedPlan(
        meetings=[(theme, rows[day]) for theme, day in zip(themes, plan.dates, strict=True)],
        candidates=list(rows.values()),
        score=plan.score,
        members=len(memberships),
        answered=sum(1 for m in memberships if m.lid_id in answers),
    )


def programme_of(ronde: Themaronde) -> Halfjaarprogramma | None:
    """The network's programme for the round's half-year, if there is one."""
    return Halfjaarprogramma.objects.filter(
        netwerk_id=ronde.netwerk_id, jaar=ronde.jaar, helft=ronde.helft
    ).first()


def _draft_programme(ronde: Themaronde, themes: list[Themavoorstel]) -> Halfjaarprogramma:
    """The network's programme draft for the round's half-year, made if missing; its themes
    are the round's when it had none yet. A published programme is refused: its meetings
    would show at once, and publishing is the coordinator's own step."""
    programma = (
        Halfjaarprogramma.objects.select_for_update()
        .filter(netwerk_id=ronde.netwerk_id, jaar=ronde.jaar, helft=ronde.helft)
        .first()
    )
    titles = "\n".join(theme.titel for theme in themes)
    if programma is None:
        programma = Halfjaarprogramma(
            netwerk_id=ronde.netwerk_id, jaar=ronde.jaar, helft=ronde.helft, themas=titles
        )
        programma.full_clean()
        programma.save()
    elif programma.gepubliceerd:
        raise ValidationError(
            _(
                "The programme for the %(period)s is already published. Add the meetings "
                "there by hand, or turn it back into a draft first."
            )
            % {"period": programma.periode}
        )
    elif not programma.themas.strip():
        programma.themas = titles
        programma.save(update_fields=["themas"])
    return programma


@transaction.atomic
def date_plan_accept(
    *, peiling: Datumpeiling, toewijzing: Mapping[int, int], now: datetime | None = None
) -> Halfjaarprogramma:
    """The coordinator accepts a plan: `toewijzing` gives each chosen theme (proposal id) its
    candidate evening (id), as proposed or adjusted. Once only.

    The evenings must respect the spacing (`planner.respects_spacing`, in date order). Each
    theme becomes a meeting in the network's programme draft for the half-year (made if
    missing), titled with the theme, through `bijeenkomsten.services`, and the theme is linked
    to its meeting (`Themavoorstel.bijeenkomst`); publishing the programme stays the
    coordinator's own step, with its calendars and digest.
    """
    now = now or timezone.now()
    peiling = Datumpeiling.objects.select_for_update().select_related("ronde").get(pk=peiling.pk)
    if peiling.geaccepteerd_op is not None:
        raise ValidationError(_("A plan was already accepted for this poll."))
    ronde = peiling.ronde
    themes = chosen_themes(ronde)
    if set(toewijzing) != {theme.pk for theme in themes}:
        raise ValidationError(_("Give every chosen theme an evening."))
    if len(set(toewijzing.values())) != len(toewijzing):
        raise ValidationError(_("Give each theme an evening of its own."))
    evenings = peiling.avonden.in_bulk(list(toewijzing.values()))
    if len(evenings) != len(toewijzing):
        raise ValidationError(_("Choose from this poll's evenings."))
    if not planner.respects_spacing(sorted(avond.datum for avond in evenings.values())):
        raise ValidationError(_spacing_message())
    programma = _draft_programme(ronde, themes)
    meetings = []
    for theme in themes:
        avond = evenings[toewijzing[theme.pk]]
        meetings.append(
            Bijeenkomst(
                soort=MEETING_KIND.get(theme.vorm, Bijeenkomst.Soort.THEMA),
                titel=theme.titel,
                thema=theme.titel,
                beschrijving=theme.waarom,
                begin=evening_start(avond),
                einde=evening_end(avond),
            )
        )
    meeting_services.programme_save_meetings(programma=programma, meetings=meetings, now=now)
    # Each theme knows its meeting, so the plan page and the admin show its forecast there.
    for theme, meeting in zip(themes, meetings, strict=True):
        Themavoorstel.objects.filter(pk=theme.pk).update(bijeenkomst=meeting)
    Datumpeiling.objects.filter(pk=peiling.pk).update(geaccepteerd_op=now)
    return programma
