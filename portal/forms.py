"""The export form: an exporter's filter fields (see `portal.exports.Exporter`) and the format."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from .exports import Format


class ExportForm(forms.Form):
    """The filter fields an exporter declares, followed by the format."""

    formaat = forms.ChoiceField(label=_("format"), choices=Format.CHOICES)

    def __init__(self, *args, fields: dict[str, forms.Field] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.has_filters = bool(fields)
        self.fields = {**(fields or {}), "formaat": self.fields["formaat"]}

    def export_filters(self) -> dict[str, Any]:
        """The cleaned filter as JSON-ready values, for the export and its log entry: an
        object as its id, a date in ISO form, an empty choice left out."""
        filters = {}
        for name, value in self.cleaned_data.items():
            if name == "formaat" or value is None or value == "":
                continue
            if isinstance(value, Model):
                value = value.pk
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            filters[name] = value
        return filters
