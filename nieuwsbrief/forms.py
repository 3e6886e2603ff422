from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from netwerken.models import Koepel, Netwerk

from .services import CONSENT_TEXT


class SubscribeForm(forms.Form):
    error_messages = {
        "too_many": _(
            "Too many sign-ups were sent from your connection in a short time. "
            "Try again in a few minutes."
        ),
        "nothing": _("Choose at least one network or umbrella."),
    }

    email = forms.EmailField(label=_("Your e-mail address"))
    netwerken = forms.ModelMultipleChoiceField(
        label=_("Networks"),
        queryset=Netwerk.objects.select_related("koepel").order_by("koepel__naam", "naam"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    koepels = forms.ModelMultipleChoiceField(
        label=_("Or every network of an umbrella, also networks added later"),
        queryset=Koepel.objects.order_by("naam"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    akkoord = forms.BooleanField(label=CONSENT_TEXT, required=True)

    def clean(self) -> dict:
        data = super().clean() or {}
        if not data.get("netwerken") and not data.get("koepels"):
            raise forms.ValidationError(self.error_messages["nothing"], code="nothing")
        return data
