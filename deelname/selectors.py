"""Reads: a member's attended meetings and their educational time, certificates' facts, the
yearly overview. The figures for coordinators and staff are in `figures`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from bijeenkomsten.models import Aanmelding, Bijeenkomst, Programmaonderdeel
from leden.models import Lid

from .educational import MeetingTime, Part, meeting_time
from .models import Categorie, Deelnamebewijs, Leertijd


def _time_of(bijeenkomst: Bijeenkomst) -> MeetingTime:
    try:
        leertijd: Leertijd | None = bijeenkomst.leertijd  # type: ignore[attr-defined]
    except Leertijd.DoesNotExist:
        leertijd = None
    parts = [Part(p.soort, p.begintijd, p.eindtijd) for p in bijeenkomst.onderdelen.all()]
    return meeting_time(
        soort=bijeenkomst.soort,
        begin=bijeenkomst.begin,
        einde=bijeenkomst.einde,
        leertijd=leertijd,
        parts=parts,
    )


def meeting_times(bijeenkomsten: Iterable[int] | QuerySet[Bijeenkomst]) -> dict[int, MeetingTime]:
    """Educational time of each meeting (ids, or a queryset of meetings), in two queries
    however many; read as plain values, since a year holds thousands of meetings."""
    meetings: QuerySet[Bijeenkomst] = (
        bijeenkomsten
        if isinstance(bijeenkomsten, QuerySet)
        else Bijeenkomst.objects.filter(pk__in=list(bijeenkomsten))
    )
    parts: dict[int, list[Part]] = {}
    for bijeenkomst_id, soort, begintijd, eindtijd in Programmaonderdeel.objects.filter(
        bijeenkomst__in=meetings
    ).values_list("bijeenkomst_id", "soort", "begintijd", "eindtijd"):
        parts.setdefault(bijeenkomst_id, []).append(Part(soort, begintijd, eindtijd))
    result = {}
    for (
        pk,
        soort,
        begin,
        einde,
        leertijd_pk,
        minuten,
        categorie,
        accreditatie_id,
        bewijs,
    ) in meetings.order_by().values_list(
        "pk",
        "soort",
        "begin",
        "einde",
        "leertijd__pk",
        "leertijd__minuten",
        "leertijd__categorie",
        "leertijd__accreditatie_id",
        "leertijd__bewijs",
    ):
        leertijd = (
            Leertijd(
                minuten=minuten,
                categorie=categorie,
                accreditatie_id=accreditatie_id,
                bewijs=bewijs,
            )
            if leertijd_pk is not None
            else None
        )
        result[pk] = meeting_time(
            soort=soort, begin=begin, einde=einde, leertijd=leertijd, parts=parts.get(pk, ())
        )
    return result


@dataclass(frozen=True)
class Attended:
    """One meeting a member attended, with what it counts for."""

    aanmelding_id: int
    bijeenkomst: Bijeenkomst
    netwerken: list[str]
    tijd: MeetingTime

    @property
    def datum(self) -> datetime:
        return timezone.localtime(self.bijeenkomst.begin)


def attended_meetings(lid: Lid, *, jaar: int | None = None) -> list[Attended]:
    """The meetings `lid` was marked present at (newest first), in three queries."""
    rows = (
        Aanmelding.objects.attended()
        .filter(lid=lid)
        .select_related("bijeenkomst__leertijd")
        .prefetch_related(
            "bijeenkomst__netwerken",
            Prefetch("bijeenkomst__onderdelen", queryset=Programmaonderdeel.objects.all()),
        )
        .order_by("-bijeenkomst__begin", "pk")
    )
    if jaar is not None:
        rows = rows.filter(
            bijeenkomst__begin__gte=_year_start(jaar), bijeenkomst__begin__lt=_year_start(jaar + 1)
        )
    return [
        Attended(
            aanmelding_id=a.pk,
            bijeenkomst=a.bijeenkomst,
            netwerken=[n.naam for n in a.bijeenkomst.netwerken.all()],
            tijd=_time_of(a.bijeenkomst),
        )
        for a in rows
    ]


def _year_start(jaar: int) -> datetime:
    return timezone.make_aware(datetime(jaar, 1, 1))


@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate states, and whether it still holds."""

    code: str
    naam: str
    registernummer: str
    bijeenkomst: Bijeenkomst
    netwerken: list[str]
    tijd: MeetingTime
    geldig: bool

    @property
    def datum(self) -> datetime:
        return timezone.localtime(self.bijeenkomst.begin)


def certificate_facts(code: str) -> CertificateFacts | None:
    """The facts behind a verification id, read afresh (None: no such certificate)."""
    bewijs = (
        Deelnamebewijs.objects.filter(code=code)
        .select_related("aanmelding__lid", "aanmelding__bijeenkomst__leertijd")
        .prefetch_related(
            "aanmelding__bijeenkomst__netwerken", "aanmelding__bijeenkomst__onderdelen"
        )
        .first()
    )
    if bewijs is None:
        return None
    aanmelding = bewijs.aanmelding
    tijd = _time_of(aanmelding.bijeenkomst)
    geldig = (
        aanmelding.status == Aanmelding.Status.AANWEZIG
        and aanmelding.lid is not None
        and tijd.certificate_offered
    )
    return CertificateFacts(
        code=bewijs.code,
        naam=aanmelding.lid.naam if aanmelding.lid else "",
        registernummer=aanmelding.lid.registernummer if aanmelding.lid else "",
        bijeenkomst=aanmelding.bijeenkomst,
        netwerken=[n.naam for n in aanmelding.bijeenkomst.netwerken.all()],
        tijd=tijd,
        geldig=geldig,
    )


@dataclass
class YearOverview:
    lid: Lid
    jaar: int
    rows: list[Attended]
    totals: dict[str, int] = field(default_factory=dict)  # minutes per category
    overig_max_punten: int = 0

    @property
    def overig_above_max(self) -> bool:
        return self.totals.get(Categorie.OVERIG, 0) > self.overig_max_punten * 60


def year_overview(lid: Lid, jaar: int) -> YearOverview:
    """Every meeting `lid` attended in `jaar`, with minutes per category and their totals.
    The register's maximum for "other" is pointed out, never applied here."""
    rows = attended_meetings(lid, jaar=jaar)
    rows.reverse()  # oldest first, as a register reads a year
    totals: dict[str, int] = {}
    for row in rows:
        for cat, minutes in row.tijd.minuten.items():
            totals[cat] = totals.get(cat, 0) + minutes
    return YearOverview(
        lid=lid,
        jaar=jaar,
        rows=rows,
        totals=totals,
        overig_max_punten=settings.DEELNAME_OVERIG_MAX_PUNTEN,
    )


def year_totals_all(jaar: int, *, chunk_size: int = 5000) -> Iterator[tuple[int, dict[str, int]]]:
    """Every member's totals per category for `jaar` (minutes), member by member: the yearly
    overview's figures for all members at once (the benchmark's subject). The meetings' times
    are decided once, then the attendance is streamed in member order."""
    meetings = Bijeenkomst.objects.filter(
        begin__gte=_year_start(jaar), begin__lt=_year_start(jaar + 1)
    )
    times = meeting_times(meetings)
    rows = (
        Aanmelding.objects.attended()
        .filter(lid__isnull=False, bijeenkomst__in=meetings)
        .order_by("lid_id")
        .values_list("lid_id", "bijeenkomst_id")
        .iterator(chunk_size=chunk_size)
    )
    current: int | None = None
    totals: dict[str, int] = {}
    for lid_id, bijeenkomst_id in rows:
        if lid_id != current:
            if current is not None:
                yield current, totals
            current, totals = lid_id, {}
        for cat, minutes in times[bijeenkomst_id].minuten.items():
            totals[cat] = totals.get(cat, 0) + minutes
    if current is not None:
        yield current, totals
