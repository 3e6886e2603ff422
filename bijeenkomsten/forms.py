from datetime import date
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Bijeenkomst


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """A field of `form` declared as a choice field, whose choices are set per request."""
    return cast(forms.ChoiceField, form.fields[name])


class AgendaFilterForm(forms.Form):
    """Filters live in the query string, so a filtered agenda can be shared as a link.

    Network and umbrella choices come from one list of networks (with their umbrellas) that
    the view loads once, so the form adds no queries of its own.
    """

    netwerk = forms.ChoiceField(required=False, label=_("Network"))
    koepel = forms.ChoiceField(required=False, label=_("Umbrella"))
    soort = forms.ChoiceField(
        choices=[("", _("All kinds")), *Bijeenkomst.Soort.choices], required=False, label=_("Kind")
    )
    subregio = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label=_("Sub-region")
    )
    open_voor_mij = forms.BooleanField(
        required=False, label=_("Only meetings I can still register for")
    )

    def __init__(self, data=None, *, networks=(), **kwargs) -> None:
        super().__init__(data, **kwargs)
        _choice_field(self, "netwerk").choices = [("", _("All networks"))] + [
            (n.slug, n.naam) for n in networks
        ]
        koepels = {n.koepel.slug: n.koepel.naam for n in networks}
        _choice_field(self, "koepel").choices = [("", _("NL and Flanders"))] + sorted(
            koepels.items(), key=lambda item: item[1]
        )
        # Grouped by network; the view prefetched them with the networks.
        regions = [
            (n.naam, [(s.pk, s.naam) for s in n.subregios.all()])
            for n in networks
            if n.subregios.all()
        ]
        if regions:
            _choice_field(self, "subregio").choices = [("", _("All sub-regions")), *regions]
        else:
            del self.fields["subregio"]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class ArchiveFilterForm(AgendaFilterForm):
    zoek = forms.CharField(required=False, max_length=100, label=_("Search"))
    jaar = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label=_("Year"),
        choices=[("", _("All years"))] + [(y, y) for y in range(date.today().year, 2009, -1)],
    )
    # Django's way to drop an inherited field; the stubs know it only as a field.
    open_voor_mij = None  # type: ignore[assignment]

    def filters(self) -> dict:
        filters = super().filters()
        if "zoek" in filters:
            filters["zoek"] = filters["zoek"].strip()
        return filters


class GuestRegistrationForm(forms.Form):
    error_messages = {
        "too_many": _(
            "Too many registrations were sent from your connection in a short time. "
            "Try again in a few minutes."
        ),
    }

    gast_naam = forms.CharField(label=_("Your name"), max_length=150)
    gast_email = forms.EmailField(label=_("Your e-mail address"))
