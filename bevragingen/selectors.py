"""Reads of surveys: the questions for the form, and the results.

Results are aggregated in the database, a fixed number of GROUP BY queries whatever the
number of responses (see `survey_results`), then suppressed (`suppression`): no figure below
five respondents, and no hidden figure to be had by subtraction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, FilteredRelation, Max, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from .models import Antwoord, Bevraging, Optie, Respons, Sectie, Vraag
from .suppression import MIN_CELL, Table, suppress_counts, suppress_table

NO_ANSWER = None  # the category key of "no answer"
SCALE = [1, 2, 3, 4, 5]
# Sent responses never change, so a survey's counts are kept under a key that names how
# many there are and the last one: a new response makes a new key.
AGGREGATES_SECONDS = 3600
CHART_ROW, CHART_LEFT, CHART_BAR = 28, 190, 250  # px: one bar's height, labels, 100 %


def questions_of(bevraging: Bevraging, *, published_only: bool = False) -> list[Vraag]:
    """The survey's questions in order, with their section and options (two queries)."""
    qs = Vraag.objects.filter(bevraging=bevraging)
    if published_only:
        qs = qs.filter(publiceren=True)
    return list(
        qs.select_related("sectie").prefetch_related(
            Prefetch("opties", queryset=Optie.objects.order_by("volgorde", "pk"))
        )
    )


def sections_with_questions(bevraging: Bevraging) -> list[tuple[Sectie, list[Vraag]]]:
    by_section: dict[int, list[Vraag]] = defaultdict(list)
    sections: dict[int, Sectie] = {}
    for vraag in questions_of(bevraging):
        sections[vraag.sectie_id] = vraag.sectie
        by_section[vraag.sectie_id].append(vraag)
    return [(sections[pk], by_section[pk]) for pk in sections]


def current_answers(respons: Respons | None) -> dict[int, list[str]]:
    """The answers given so far, as the form's values by question id."""
    answers: dict[int, list[str]] = defaultdict(list)
    if respons is None:
        return answers
    for vraag_id, optie_id, getal, tekst in respons.antwoorden.values_list(
        "vraag_id", "optie_id", "getal", "tekst"
    ):
        if optie_id is not None:
            answers[vraag_id].append(str(optie_id))
        elif getal is not None:
            answers[vraag_id].append(str(getal))
        else:
            answers[vraag_id].append(tekst)
    return answers


# --- results -------------------------------------------------------------------------------


@dataclass
class Figure:
    label: str
    count: int | None  # None: suppressed
    percent: float | None

    @property
    def bar(self) -> float:
        return round(self.percent or 0.0, 1)


@dataclass
class BreakdownRow:
    label: str
    size: int | None
    cells: list[Figure]


@dataclass
class Breakdown:
    by: Vraag
    columns: list[str]
    rows: list[BreakdownRow]
    withheld: bool = False


@dataclass
class QuestionResult:
    vraag: Vraag
    figures: list[Figure] = field(default_factory=list)
    answered: int | None = None
    mean: float | None = None
    breakdown: Breakdown | None = None

    @property
    def chart_height(self) -> int:
        return CHART_ROW * len(self.figures) + 8

    @property
    def chart_rows(self) -> list[dict]:
        """Where each bar goes in the SVG chart (labels left, bars right, figures after)."""
        return [
            {
                "label": f.label if len(f.label) <= 24 else f.label[:23] + "…",
                "y": CHART_ROW * i + 4,
                "text_y": CHART_ROW * i + 21,
                "width": round(CHART_BAR * (f.percent or 0) / 100, 1),
                "end": CHART_LEFT + round(CHART_BAR * (f.percent or 0) / 100, 1) + 6,
                "figure": f,
            }
            for i, f in enumerate(self.figures)
        ]


@dataclass
class Results:
    bevraging: Bevraging
    total: int
    questions: list[QuestionResult]

    @property
    def shown(self) -> bool:
        return self.total >= MIN_CELL


def _categories(vraag: Vraag, no_answer: int) -> list[tuple[object, str]]:
    if vraag.soort == Vraag.Soort.SCHAAL:
        cats: list[tuple[object, str]] = [(n, str(n)) for n in SCALE]
    else:
        cats = [(o.pk, o.tekst) for o in vraag.opties.all()]
    exclusive = vraag.soort != Vraag.Soort.MEER
    if exclusive and (not vraag.verplicht or no_answer):
        cats.append((NO_ANSWER, _("no answer")))
    return cats


def _answered_shown(vraag: Vraag, answered: int, total: int) -> bool:
    """How many answered, unless it gives away how few did not (all answering a required
    question is no news)."""
    if vraag.verplicht and answered == total:
        return True
    return answered >= MIN_CELL and total - answered >= MIN_CELL


def _percent(count: int, of: int) -> float:
    return 100.0 * count / of if of else 0.0


def _aggregates(bevraging: Bevraging, questions: list[Vraag], by: Vraag | None) -> tuple:
    """The counts in the database: per category, per number or text question, and per
    category and group of `by`. Every answer to these questions, minus those of responses
    not sent (few, found by index): no join of every answer with its response. With a
    breakdown one query (a LEFT JOIN of each answer to its respondent's answer to `by`)
    gives both the counts and the pairs."""
    categorical = [q.pk for q in questions if q.is_categorical]
    other = [q.pk for q in questions if not q.is_categorical]
    every = Antwoord.objects.all()
    unsent = Antwoord.objects.filter(respons__bevraging=bevraging, respons__afgerond=False)

    counts: dict[int, dict[object, int]] = defaultdict(lambda: defaultdict(int))
    pairs: dict[int, dict[tuple[object, object], int]] = defaultdict(lambda: defaultdict(int))
    for answers, sign in ((every, 1), (unsent, -1)):
        if by is None:
            rows = (
                answers.filter(vraag_id__in=categorical)
                .values_list("vraag_id", "optie_id", "getal")
                .annotate(n=Count("id"))
                .order_by()
            )
            for vraag_id, optie_id, getal, n in rows:
                counts[vraag_id][optie_id if optie_id is not None else getal] += sign * n
            continue
        rows = (
            answers.filter(vraag_id__in=categorical)
            .annotate(
                groep=FilteredRelation(
                    "respons__antwoorden", condition=Q(respons__antwoorden__vraag=by)
                )
            )
            .values_list("vraag_id", "optie_id", "getal", "groep__optie_id", "groep__getal")
            .annotate(n=Count("id"))
            .order_by()
        )
        for vraag_id, optie_id, getal, g_optie, g_getal, n in rows:
            key = optie_id if optie_id is not None else getal
            counts[vraag_id][key] += sign * n
            if vraag_id != by.pk and (g_optie is not None or g_getal is not None):
                group = g_optie if g_optie is not None else g_getal
                pairs[vraag_id][(group, key)] += sign * n

    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # answers, sum of numbers
    for answers, sign in ((every, 1), (unsent, -1)):
        for vraag_id, n, added in (
            answers.filter(vraag_id__in=other)
            .values_list("vraag_id")
            .annotate(n=Count("id"), added=Sum("getal"))
            .order_by()
        ):
            sums[vraag_id][0] += sign * n
            sums[vraag_id][1] += sign * (added or 0)
    # Plain dicts: cached (pickled) as they are.
    return (
        {k: dict(v) for k, v in counts.items()},
        {k: list(v) for k, v in sums.items()},
        {k: dict(v) for k, v in pairs.items()},
    )


def survey_results(
    bevraging: Bevraging, *, by: Vraag | None = None, published_only: bool = False
) -> Results:
    """Every question's figures, suppressed, and a breakdown by `by` (a one-choice or scale
    question) when asked. Eight queries at most, however many responses (three when the
    counts are in the cache)."""
    questions = questions_of(bevraging, published_only=published_only)
    sent = (
        Respons.objects.filter(bevraging=bevraging)
        .complete()
        .aggregate(n=Count("pk"), last=Max("pk"))
    )
    total = sent["n"]
    key = (
        f"bevragingen:cijfers:{bevraging.sleutel}:{by.pk if by else 0}:{total}:{sent['last']}:"
        + ",".join(str(q.pk) for q in questions)
    )
    figures = cache.get(key)
    if figures is None:
        figures = _aggregates(bevraging, questions, by)
        cache.set(key, figures, AGGREGATES_SECONDS)
    counts, sums, pairs = figures
    answered: dict[int, tuple[int, float | None]] = {}
    for vraag in questions:
        if vraag.pk in sums:
            n, added = sums[vraag.pk]
            answered[vraag.pk] = (n, added / n if n else None)
        elif vraag.soort in (Vraag.Soort.EEN, Vraag.Soort.SCHAAL):
            n = sum(counts.get(vraag.pk, {}).values())
            added = sum(k * v for k, v in counts.get(vraag.pk, {}).items() if isinstance(k, int))
            mean = added / n if n and vraag.soort == Vraag.Soort.SCHAAL else None
            answered[vraag.pk] = (n, mean)
    counts = defaultdict(dict, counts)
    pairs = defaultdict(dict, pairs)

    results: dict[int, QuestionResult] = {}
    margins: dict[int, tuple[list[tuple[object, str]], list[int], list[bool]]] = {}
    for vraag in questions:
        n_answered, mean = answered.get(vraag.pk, (0, None))
        result = QuestionResult(vraag=vraag)
        results[vraag.pk] = result
        if total < MIN_CELL:
            continue
        result.answered = n_answered if _answered_shown(vraag, n_answered, total) else None
        if not vraag.is_categorical:
            if vraag.soort == Vraag.Soort.GETAL and n_answered >= MIN_CELL and mean is not None:
                result.mean = round(float(mean), 1)
            continue
        if vraag.soort == Vraag.Soort.SCHAAL and n_answered >= MIN_CELL and mean is not None:
            result.mean = round(float(mean), 2)
        exclusive = vraag.soort != Vraag.Soort.MEER
        no_answer = total - n_answered
        cats = _categories(vraag, no_answer)
        values = [
            no_answer if key is NO_ANSWER else counts[vraag.pk].get(key, 0) for key, _l in cats
        ]
        shown = suppress_counts(values, total, add_up=exclusive)
        margins[vraag.pk] = (cats, values, shown)
        result.figures = [
            Figure(label, value if ok else None, _percent(value, total) if ok else None)
            for (_key, label), value, ok in zip(cats, values, shown, strict=True)
        ]

    if by is not None and by.pk in margins and by.soort in (Vraag.Soort.EEN, Vraag.Soort.SCHAAL):
        for vraag in questions:
            if vraag.pk == by.pk or vraag.pk not in margins:
                continue
            results[vraag.pk].breakdown = _breakdown(
                by, margins[by.pk], vraag, margins[vraag.pk], pairs[vraag.pk], total
            )
    return Results(bevraging=bevraging, total=total, questions=list(results.values()))


def _breakdown(
    by: Vraag,
    by_margin: tuple[list[tuple[object, str]], list[int], list[bool]],
    vraag: Vraag,
    margin: tuple[list[tuple[object, str]], list[int], list[bool]],
    pairs: dict[tuple[object, object], int],
    total: int,
) -> Breakdown:
    groups, group_sizes, group_shown = by_margin
    cats, cat_counts, cat_shown = margin
    exclusive = vraag.soort != Vraag.Soort.MEER
    cells = [
        [pairs.get((g, c), 0) for c, _l in cats] for g, _gl in groups
    ]  # "no answer" rows and columns are filled in below, from the margins
    g_none = [i for i, (g, _l) in enumerate(groups) if g is NO_ANSWER]
    c_none = [j for j, (c, _l) in enumerate(cats) if c is NO_ANSWER]
    if g_none:
        gi = g_none[0]
        for j, (c, _l) in enumerate(cats):
            if c is not NO_ANSWER:
                cells[gi][j] = cat_counts[j] - sum(
                    cells[i][j] for i in range(len(groups)) if i != gi
                )
    if exclusive and c_none:
        cj = c_none[0]
        for i in range(len(groups)):
            cells[i][cj] = group_sizes[i] - sum(cells[i][j] for j in range(len(cats)) if j != cj)
    mask = suppress_table(
        Table(
            cells=cells,
            row_totals=group_sizes,
            col_totals=cat_counts,
            total=total,
            row_shown=group_shown,
            col_shown=cat_shown,
            rows_add_up=exclusive,
        )
    )
    columns = [label for _c, label in cats]
    if mask is None:
        return Breakdown(by=by, columns=columns, rows=[], withheld=True)
    rows = []
    for i, (_g, label) in enumerate(groups):
        size = group_sizes[i] if group_shown[i] else None
        rows.append(
            BreakdownRow(
                label=label,
                size=size,
                cells=[
                    Figure(
                        label=columns[j],
                        count=cells[i][j] if mask[i][j] else None,
                        percent=_percent(cells[i][j], size) if mask[i][j] and size else None,
                    )
                    for j in range(len(cats))
                ],
            )
        )
    return Breakdown(by=by, columns=columns, rows=rows)


def breakdown_choices(questions: Sequence[Vraag]) -> list[Vraag]:
    return [q for q in questions if q.soort in (Vraag.Soort.EEN, Vraag.Soort.SCHAAL)]


def open_answers(vraag: Vraag) -> QuerySet[Antwoord]:
    """A question's open answers for its coordinators, newest responses last, with tags."""
    return (
        Antwoord.objects.filter(vraag=vraag, respons__afgerond=True)
        .exclude(tekst="")
        .prefetch_related("labels")
        .order_by("pk")
    )


def published_surveys(netwerk) -> QuerySet[Bevraging]:
    return Bevraging.objects.filter(netwerk=netwerk, vragen__publiceren=True).distinct()
