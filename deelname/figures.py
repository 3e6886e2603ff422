"""Engagement figures: per network for its coordinators, across networks for staff.

A fixed number of queries however many meetings, members or registrations. Attendance counts
only where it was recorded: a meeting nobody was marked present at has no no-shows (its
attendance was simply not kept).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from bijeenkomsten.models import Aanmelding, Bijeenkomst
from leden.models import Lidmaatschap
from netwerken.models import Netwerk
from themas.models import Stem

from .suppression import SuppressedTable, suppress

KERN, BETROKKEN = Lidmaatschap.Schil.KERN, Lidmaatschap.Schil.BETROKKEN
AANWEZIG, AANGEMELD = Aanmelding.Status.AANWEZIG, Aanmelding.Status.AANGEMELD


def half_year_bounds(jaar: int, helft: int) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime(jaar, 1 if helft == 1 else 7, 1))
    end = timezone.make_aware(datetime(jaar, 7, 1) if helft == 1 else datetime(jaar + 1, 1, 1))
    return start, end


def current_half_year(now: datetime | None = None) -> tuple[int, int]:
    now = timezone.localtime(now or timezone.now())
    return now.year, 1 if now.month <= 6 else 2


@dataclass
class MeetingFigures:
    pk: int
    titel: str
    begin: datetime
    aanmeldingen: int = 0  # registrations holding a place (the forecast)
    goedkeuringen: int | None = None  # the theme round's approvals, when it came from one
    aanwezig: int = 0
    kern: int = 0
    betrokken: int = 0
    overig: int = 0  # guests and members of other networks
    no_shows: int = 0
    recorded: bool = False  # anyone marked present at all


@dataclass
class NetworkFigures:
    netwerk: Netwerk
    jaar: int
    helft: int
    meetings: list[MeetingFigures]
    kern_size: int
    betrokken_size: int
    missed_last_three: list[str] = field(default_factory=list)  # core members' names
    last_three_known: bool = False

    @property
    def kern_status(self) -> str:
        if self.kern_size < self.netwerk.kern_min:
            return "below"
        if self.kern_size > self.netwerk.kern_max:
            return "above"
        return "within"

    @property
    def totals(self) -> MeetingFigures:
        total = MeetingFigures(pk=0, titel="", begin=timezone.now(), goedkeuringen=0)
        for m in self.meetings:
            total.aanmeldingen += m.aanmeldingen
            total.goedkeuringen = (total.goedkeuringen or 0) + (m.goedkeuringen or 0)
            total.aanwezig += m.aanwezig
            total.kern += m.kern
            total.betrokken += m.betrokken
            total.overig += m.overig
            total.no_shows += m.no_shows
        return total


def network_figures(
    netwerk: Netwerk, jaar: int, helft: int, *, now: datetime | None = None
) -> NetworkFigures:
    """A network's half-year: per meeting the forecast (registrations, approvals) against
    attendance by tier and the no-shows; the core's size against its target; and the core
    members who were at none of the last three meetings with recorded attendance. Seven
    queries, however many meetings and members."""
    now = now or timezone.now()
    start, end = half_year_bounds(jaar, helft)
    meetings = {
        pk: MeetingFigures(pk=pk, titel=titel, begin=begin)
        for pk, titel, begin in Bijeenkomst.objects.filter(
            netwerken=netwerk, begin__gte=start, begin__lt=end, geannuleerd=False
        )
        .order_by("begin", "pk")
        .values_list("pk", "titel", "begin")
    }
    tiers = dict(
        Lidmaatschap.objects.active().filter(netwerk=netwerk).values_list("lid_id", "schil")
    )
    registrations = Aanmelding.objects.filter(
        bijeenkomst__in=list(meetings), status__in=[AANGEMELD, AANWEZIG], bevestigd=True
    ).values_list("bijeenkomst_id", "lid_id", "status")
    rows = list(registrations)
    for bijeenkomst_id, _lid, status in rows:
        if status == AANWEZIG:
            meetings[bijeenkomst_id].recorded = True
    for bijeenkomst_id, lid_id, status in rows:
        m = meetings[bijeenkomst_id]
        m.aanmeldingen += 1
        if status == AANWEZIG:
            m.aanwezig += 1
            tier = tiers.get(lid_id)
            if tier == KERN:
                m.kern += 1
            elif tier == BETROKKEN:
                m.betrokken += 1
            else:
                m.overig += 1
        elif m.recorded and m.begin < now:
            m.no_shows += 1
    for bijeenkomst_id, n in (
        Stem.objects.filter(voorstel__bijeenkomst__in=list(meetings))
        .values_list("voorstel__bijeenkomst")
        .annotate(n=Count("pk"))
    ):
        meetings[bijeenkomst_id].goedkeuringen = n
    kern_ids = {lid_id for lid_id, schil in tiers.items() if schil == KERN}
    figures = NetworkFigures(
        netwerk=netwerk,
        jaar=jaar,
        helft=helft,
        meetings=list(meetings.values()),
        kern_size=len(kern_ids),
        betrokken_size=sum(1 for schil in tiers.values() if schil == BETROKKEN),
    )
    attended = Aanmelding.objects.filter(bijeenkomst=OuterRef("pk"), status=AANWEZIG)
    last_three = list(
        Bijeenkomst.objects.filter(netwerken=netwerk, geannuleerd=False, begin__lt=now)
        .filter(Exists(attended))
        .order_by("-begin")
        .values_list("pk", flat=True)[:3]
    )
    if len(last_three) == 3:
        figures.last_three_known = True
        present = set(
            Aanmelding.objects.filter(bijeenkomst__in=last_three, status=AANWEZIG).values_list(
                "lid_id", flat=True
            )
        )
        missing = kern_ids - present
        figures.missed_last_three = sorted(
            Lidmaatschap.objects.filter(netwerk=netwerk, lid_id__in=missing).values_list(
                "lid__naam", flat=True
            )
        )
    return figures


# --- Staff: across networks, small groups suppressed ---------------------------------------

OUTCOME_COLUMNS = ["kern", "betrokken", "overig", "no_show"]
TIER_COLUMNS = ["kern", "betrokken"]


@dataclass
class StaffFigures:
    jaar: int
    helft: int
    netwerken: list[Netwerk]
    uitkomsten: SuppressedTable  # rows: networks; columns: OUTCOME_COLUMNS
    schillen: SuppressedTable  # rows: networks; columns: TIER_COLUMNS

    @property
    def rows(
        self,
    ) -> list[tuple[Netwerk, list[int | None], int | None, list[int | None], int | None]]:
        return [
            (
                n,
                self.uitkomsten.cells[i],
                self.uitkomsten.row_totals[i],
                self.schillen.cells[i],
                self.schillen.row_totals[i],
            )
            for i, n in enumerate(self.netwerken)
        ]


def staff_figures(jaar: int, helft: int, *, now: datetime | None = None) -> StaffFigures:
    """Every network's half-year in two tables: registrations by outcome (attended by tier,
    no-show) and members by tier, every group under three suppressed so it cannot be worked
    out from the rest (`suppression`). Three queries, aggregated in the database."""
    now = now or timezone.now()
    start, end = half_year_bounds(jaar, helft)
    netwerken = list(Netwerk.objects.select_related("koepel").order_by("koepel__naam", "naam"))
    index = {n.pk: i for i, n in enumerate(netwerken)}
    recorded = Aanmelding.objects.filter(bijeenkomst=OuterRef("bijeenkomst"), status=AANWEZIG)
    schil = Lidmaatschap.objects.filter(
        lid=OuterRef("lid"),
        netwerk=OuterRef("netwerk_id"),
        status=Lidmaatschap.Status.ACTIEF,
    ).values("schil")[:1]
    outcomes = (
        Aanmelding.objects.filter(
            bijeenkomst__begin__gte=start,
            bijeenkomst__begin__lt=min(end, now) if start < now else start,
            bijeenkomst__geannuleerd=False,
            bevestigd=True,
        )
        .filter(Q(status=AANWEZIG) | Q(Exists(recorded), status=AANGEMELD))
        .annotate(netwerk_id=F("bijeenkomst__netwerken"))
        .annotate(schil=Subquery(schil))
        .values("netwerk_id", "status", "schil")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table = [[0] * len(OUTCOME_COLUMNS) for _ in netwerken]
    for row in outcomes:
        i = index[row["netwerk_id"]]
        if row["status"] == AANGEMELD:
            column = "no_show"
        else:
            column = row["schil"] if row["schil"] in (KERN, BETROKKEN) else "overig"
        table[i][OUTCOME_COLUMNS.index(column)] += row["n"]
    tiers = [[0] * len(TIER_COLUMNS) for _ in netwerken]
    for netwerk_id, schil_, n in (
        Lidmaatschap.objects.active()
        .values_list("netwerk_id", "schil")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        tiers[index[netwerk_id]][TIER_COLUMNS.index(schil_)] += n
    return StaffFigures(
        jaar=jaar,
        helft=helft,
        netwerken=netwerken,
        uitkomsten=suppress(table),
        schillen=suppress(tiers),
    )
