from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from leden.models import Lid, Lidmaatschap
from netwerken.models import Koepel, Netwerk
from portal.exports import Format
from portal.permissions import exportable_network_ids


def _optional(choices) -> list:
    return [("", _("all"))] + list(choices)


class ExportFormatForm(forms.Form):
    formaat = forms.ChoiceField(label=_("format"), choices=Format.CHOICES)


class MemberExportForm(ExportFormatForm):
    """The member list filter; a coordinator can pick only the networks they coordinate."""

    koepel = forms.ModelChoiceField(
        label=_("umbrella"), queryset=Koepel.objects.none(), required=False, empty_label=_("all")
    )
    netwerk = forms.ModelChoiceField(
        label=_("network"), queryset=Netwerk.objects.none(), required=False, empty_label=_("all")
    )
    schil = forms.ChoiceField(
        label=_("tier"), choices=_optional(Lidmaatschap.Schil.choices), required=False
    )
    status = forms.ChoiceField(
        label=_("status"), choices=_optional(Lidmaatschap.Status.choices), required=False
    )
    rol = forms.ChoiceField(label=_("role"), choices=_optional(Lid.Rol.choices), required=False)
    lid_sinds_vanaf = forms.DateField(
        label=_("member since, on or after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    field_order = ["koepel", "netwerk", "schil", "status", "rol", "lid_sinds_vanaf", "formaat"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        networks = Netwerk.objects.select_related("koepel").order_by("naam")
        allowed = exportable_network_ids(user)
        if allowed is not None:
            networks = networks.filter(pk__in=allowed)
        self.fields["netwerk"].queryset = networks
        self.fields["koepel"].queryset = Koepel.objects.filter(
            pk__in=networks.values("koepel_id")
        ).order_by("naam")

    def export_filters(self) -> dict[str, Any]:
        """The cleaned filter as JSON-ready values, for the export and its log entry."""
        data = self.cleaned_data
        filters = {
            "koepel": data["koepel"].pk if data.get("koepel") else None,
            "netwerk": data["netwerk"].pk if data.get("netwerk") else None,
            "schil": data.get("schil") or None,
            "status": data.get("status") or None,
            "rol": data.get("rol") or None,
            "lid_sinds_vanaf": (
                data["lid_sinds_vanaf"].isoformat() if data.get("lid_sinds_vanaf") else None
            ),
        }
        return {key: value for key, value in filters.items() if value is not None}
