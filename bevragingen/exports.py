"""The anonymous answers of a survey, one row per complete response, for its coordinators.

Rows are numbered in order, not by database id, and carry no date: nothing to tie a row to
a moment or a person. Registered with the export page (`portal.exports.register`), so the
download is formula-safe and logged like the member exports.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from portal.exports import DB_CHUNK_SIZE, BaseExport, Exporter, register

from .models import Antwoord, Bevraging, Vraag
from .permissions import managed_surveys
from .selectors import questions_of

LISTED = 50


class SurveyAnswersExport(BaseExport):
    identifier = "survey-answers"
    verbose_name = _("Survey answers")
    columns = ()  # one per question: see `headers`

    def __init__(self, *, user, bevraging: Bevraging) -> None:
        super().__init__(user=user, filters={"bevraging": bevraging.pk})
        self.bevraging = bevraging
        self.questions: list[Vraag] = questions_of(bevraging)

    def headers(self) -> list[str]:
        return [str(_("response")), *[q.tekst for q in self.questions]]

    def filename(self) -> str:
        return f"bevraging-{self.bevraging.pk}-" + super().filename()

    def rows(self) -> Iterator[Sequence[Any]]:
        position = {q.pk: i for i, q in enumerate(self.questions)}
        answers = (
            Antwoord.objects.filter(respons__bevraging=self.bevraging, respons__afgerond=True)
            .order_by("respons_id", "vraag_id", "optie__volgorde", "optie_id")
            .values_list("respons_id", "vraag_id", "optie__tekst", "getal", "tekst")
        )
        current = None
        row: list[list[str | int]] = []
        number = 0
        for respons_id, vraag_id, optie, getal, tekst in answers.iterator(chunk_size=DB_CHUNK_SIZE):
            if respons_id != current:
                if current is not None:
                    yield self._row(number, row)
                current, number = respons_id, number + 1
                row = [[] for _q in self.questions]
            value = optie if optie is not None else (getal if getal is not None else tekst)
            if vraag_id in position:
                row[position[vraag_id]].append(value)
        if current is not None:
            yield self._row(number, row)

    @staticmethod
    def _row(number: int, row: list[list[str | int]]) -> Sequence[Any]:
        cells: list[Any] = [number]
        for values in row:
            if not values:
                cells.append(None)
            elif len(values) == 1:
                cells.append(values[0])
            else:
                cells.append("; ".join(str(v) for v in values))
        return cells


class SurveyAnswersExporter(Exporter):
    url_name = "survey"
    route = "bevraging/<str:sleutel>/"
    template = "bevragingen/_export.html"
    order = 40

    def allowed(self, user) -> bool:
        return managed_surveys(user).exists()

    def section_context(self, user) -> dict[str, Any]:
        surveys = managed_surveys(user).select_related("netwerk", "koepel").order_by("-opent_op")
        return {"surveys": surveys[:LISTED]}

    def get_object(self, user, **url_kwargs: Any) -> Bevraging:
        return get_object_or_404(managed_surveys(user), sleutel=url_kwargs["sleutel"])

    def export(self, user, obj, filters: dict[str, Any]) -> SurveyAnswersExport:
        return SurveyAnswersExport(user=user, bevraging=obj)


register(SurveyAnswersExporter())
