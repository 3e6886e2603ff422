"""History entries that read well: the admin's change messages name fields by their verbose
names, the strings the translations know ("start" shows as "begin"), where Django stores form
labels ("Start", which no translation has, so a Dutch history read "Start en End")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model
from django.http import HttpRequest
from django.utils.translation import override as translation_override


def field_names(
    model: type[Model], names: Iterable[str], form: forms.BaseForm | None = None
) -> list[str]:
    """The untranslated verbose names of fields `names` of `model` (a field only the form has:
    its label), as a change message stores them; the history translates them when shown."""
    labels = []
    with translation_override(None):
        for name in names:
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                model_field = None
            if isinstance(model_field, Field):
                label = model_field.verbose_name
            else:  # not on the model (a reverse relation is never a form's field)
                field = form.fields.get(name) if form is not None else None
                label = field.label if field is not None and field.label else name
            labels.append(str(label))
    return labels


def change_message(form: forms.ModelForm, formsets: Iterable, add: bool) -> list[dict]:
    """Django's `construct_change_message`, naming fields by `field_names`."""
    changed_data = form.changed_data  # before translations are off, as Django does
    message: list[dict] = []
    if add:
        message.append({"added": {}})
    elif changed_data:
        message.append({"changed": {"fields": field_names(form._meta.model, changed_data, form)}})
    with translation_override(None):
        for formset in formsets or ():
            row = formset.forms[0] if formset.forms else None
            for obj in formset.new_objects:
                message.append({"added": _about(obj)})
            for obj, fields in formset.changed_objects:
                message.append(
                    {"changed": {**_about(obj), "fields": field_names(type(obj), fields, row)}}
                )
            for obj in formset.deleted_objects:
                message.append({"deleted": _about(obj)})
    return message


def _about(obj: Model) -> dict:
    return {"name": str(obj._meta.verbose_name), "object": str(obj)}


class VerboseHistoryMixin:
    """Mix into a ModelAdmin: its history names changed fields as the models do."""

    def construct_change_message(
        self, request: HttpRequest, form: forms.BaseForm, formsets, add: bool = False
    ) -> list[dict]:
        # The admin's forms are model forms; the stubs type this one as a plain Form.
        return change_message(cast(forms.ModelForm, form), formsets, add)
