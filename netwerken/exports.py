"""The processing record ("verwerkingsregister", AVG art. 30) for the umbrellas' data-protection
officers: the register of personal data as a spreadsheet, one row per entry, on the export page
for staff (logged like every export, behind the TOTP door of the export pages)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.exports import BaseExport, Exporter, register
from portal.personal_data import described

from .models import Koepel
from .permissions import is_portal_staff


class ProcessingRecordExport(BaseExport):
    identifier = "processing_record"
    verbose_name = _("Processing record")
    columns = [
        _("what"),
        _("model"),
        _("fields"),
        _("purpose"),
        _("legal ground"),
        _("who sees it"),
        _("retention rule"),
        _("period in days"),
        _("how long"),
        _("responsible"),
    ]

    def rows(self) -> Iterator[Sequence[Any]]:
        responsible = "; ".join(
            f"{k.privacy_organisatie or k.naam} ({k.privacy_contact})".replace(" ()", "")
            for k in Koepel.objects.order_by("naam")
        )
        for row in described():
            rule = row.entry.retention
            yield (
                row.what,
                row.entry.model,
                ", ".join(row.fields),
                str(row.entry.purpose),
                row.ground,
                str(row.entry.seen_by),
                rule.key if rule else "",
                rule.days if rule else None,
                "; ".join(text for text in (row.period, row.kept) if text),
                responsible,
            )


class ProcessingRecordExporter(Exporter):
    url_name = "verwerkingsregister"
    route = "verwerkingsregister/"
    template = "netwerken/_export_register.html"
    order = 90

    def allowed(self, user) -> bool:
        return is_portal_staff(user)

    def section_context(self, user) -> dict[str, Any]:
        return {"action": reverse("portal:verwerkingsregister")}

    def export(self, user, obj, filters: dict[str, Any]) -> ProcessingRecordExport:
        return ProcessingRecordExport(user=user, filters=filters)


register(ProcessingRecordExporter())
