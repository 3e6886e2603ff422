from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ContactForm(forms.Form):
    error_messages = {
        "too_many": _(
            "Too many messages were sent from your connection or address in a short time. "
            "Try again in an hour."
        ),
    }

    naam = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("Your e-mail address"), help_text=_("The answer comes to this address.")
    )
    bericht = forms.CharField(label=_("Your message"), max_length=5000, widget=forms.Textarea)
    wil_meedoen = forms.BooleanField(label=_("I'd like to join"), required=False)


class UmbrellaContactForm(ContactForm):
    """For an umbrella's staff: joining goes through a network, so no checkbox."""

    wil_meedoen = None  # type: ignore[assignment]
