"""How much of a meeting counts for the professional register, and in which category.

Pure functions: the selectors load the rows, this decides. The register counts one point per
net hour of educational content; reception, breaks, drinks, welcome words and introductions of
speakers do not count. In order of precedence:

1. the minutes a coordinator set (`Leertijd.minuten`), all in the meeting's category;
2. the programme parts with a start and end time, except parts of kind "other" (breaks,
   welcome, drinks): the time covered by them, parallel workshops counted once, case
   discussions as reflection;
3. the kind's default below, never more than the meeting lasts; a conference or World Social
   Work Day without parts counts its day less the breaks (`_breaks`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils.formats import number_format

from bijeenkomsten.models import Bijeenkomst, Programmaonderdeel

from .models import Categorie, Leertijd

Soort = Bijeenkomst.Soort


@dataclass(frozen=True)
class Default:
    minuten: int | None  # None: the meeting's length less its breaks
    categorie: str
    bewijs: bool


DEFAULTS: dict[str, Default] = {
    Soort.NETWERK: Default(60, Categorie.OVERIG, True),
    Soort.THEMA: Default(120, Categorie.OVERIG, True),
    Soort.SOCIAAL_CAFE: Default(0, Categorie.OVERIG, False),  # informal: no educational aim
    Soort.CONFERENTIE: Default(None, Categorie.OVERIG, True),
    Soort.ONLINE: Default(90, Categorie.OVERIG, True),
    Soort.STUURGROEP: Default(0, Categorie.OVERIG, False),  # organising, not learning
    Soort.WSWD: Default(None, Categorie.OVERIG, True),
    Soort.OVERIG: Default(0, Categorie.OVERIG, False),
}

# Parts that count as reflection rather than in the meeting's category.
REFLECTION_PARTS = frozenset({Programmaonderdeel.Soort.CASUS})
# Parts that never count: breaks, welcome words, drinks are entered as "other".
NOT_COUNTED_PARTS = frozenset({Programmaonderdeel.Soort.OVERIG})


@dataclass(frozen=True)
class Part:
    soort: str
    begintijd: time | None
    eindtijd: time | None


@dataclass(frozen=True)
class MeetingTime:
    """What a meeting counts for: minutes per category, the accreditation id, whether a
    certificate is offered."""

    minuten: dict[str, int] = field(default_factory=dict)
    accreditatie_id: str = ""
    bewijs: bool = False

    @property
    def totaal(self) -> int:
        return sum(self.minuten.values())

    @property
    def certificate_offered(self) -> bool:
        return self.bewijs and self.totaal > 0


def _breaks(length: int) -> int:
    """Breaks of a day without a programme: a quarter of an hour per two hours, and a lunch
    of three quarters when it lasts five hours or more."""
    breaks = 15 * (length // 120)
    if length >= 5 * 60:
        breaks += 45
    return breaks


def _parts_minutes(parts: Sequence[Part], categorie: str) -> dict[str, int]:
    """Minutes covered by counted parts, per category: a minute covered by any part in the
    meeting's category counts there, one covered by case discussions only as reflection."""
    day = date(2000, 1, 1)
    spans: list[tuple[datetime, datetime, bool]] = []
    for part in parts:
        if part.soort in NOT_COUNTED_PARTS or part.begintijd is None or part.eindtijd is None:
            continue
        start, end = datetime.combine(day, part.begintijd), datetime.combine(day, part.eindtijd)
        if end > start:
            spans.append((start, end, part.soort in REFLECTION_PARTS))
    if not spans:
        return {}
    bounds = sorted({t for s, e, _r in spans for t in (s, e)})
    result: dict[str, int] = {}
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        covering = [r for s, e, r in spans if s <= lo and e >= hi]
        if not covering:
            continue
        cat = Categorie.REFLECTIE if all(covering) else categorie
        result[cat] = result.get(cat, 0) + (hi - lo) // timedelta(minutes=1)
    return result


def meeting_time(
    *,
    soort: str,
    begin: datetime,
    einde: datetime,
    leertijd: Leertijd | None,
    parts: Iterable[Part] = (),
) -> MeetingTime:
    """The educational time of one meeting (see the module's docstring for the rules)."""
    default = DEFAULTS.get(soort, DEFAULTS[Soort.OVERIG])
    categorie = leertijd.categorie if leertijd else default.categorie
    accreditatie_id = leertijd.accreditatie_id if leertijd else ""
    bewijs = leertijd.bewijs if leertijd else default.bewijs
    length = max(0, int((einde - begin) / timedelta(minutes=1)))
    if leertijd is not None and leertijd.minuten is not None:
        minuten = {categorie: leertijd.minuten} if leertijd.minuten else {}
    else:
        minuten = _parts_minutes(list(parts), categorie)
        if not minuten:
            wanted = length - _breaks(length) if default.minuten is None else default.minuten
            wanted = min(wanted, length)
            minuten = {categorie: wanted} if wanted > 0 else {}
    return MeetingTime(minuten=minuten, accreditatie_id=accreditatie_id, bewijs=bewijs)


def hours(minutes: int) -> str:
    """Hours with two decimals in the current language's notation: 90 → "1,50" (Dutch, as
    the register reads them), "1.50" in English."""
    return number_format(round(minutes / 60, 2), decimal_pos=2, use_l10n=True)
