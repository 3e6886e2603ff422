"""Coordinators build their networks' surveys here; umbrella staff also the umbrellas'.

A survey's sections and questions are inlines on its page; a question's options on the
question's own page (Django has no nested inlines). Responses are not in the admin at all:
coordinators read them as results (suppressed) and as the anonymous export.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.adminhistory import VerboseHistoryMixin
from portal.adminscope import ALL_PERMISSIONS, NetworkScopedMixin

from .models import Bevraging, Optie, Sectie, Vraag

_PARENT_ATTR = "_bevraging_in_admin"


class SectieInline(NetworkScopedMixin, admin.TabularInline):
    model = Sectie
    network_path = None
    coordinator_permissions = ALL_PERMISSIONS
    fields = ["volgorde", "titel", "toelichting"]
    extra = 0


class VraagInline(NetworkScopedMixin, admin.TabularInline):
    model = Vraag
    network_path = None
    coordinator_permissions = ALL_PERMISSIONS
    fields = ["sectie", "volgorde", "tekst", "soort", "verplicht", "publiceren", "opties_link"]
    readonly_fields = ["opties_link"]
    extra = 0

    def get_formset(self, request: HttpRequest, obj=None, **kwargs):
        setattr(request, _PARENT_ATTR, obj)
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "sectie":
            parent = getattr(request, _PARENT_ATTR, None)
            kwargs["queryset"] = (
                Sectie.objects.filter(bevraging=parent) if parent else Sectie.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("options"))
    def opties_link(self, obj: Vraag) -> str:
        if obj.pk is None or not obj.is_choice:
            return "–"
        url = reverse("admin:bevragingen_vraag_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("edit options"))


@admin.register(Bevraging)
class BevragingAdmin(VerboseHistoryMixin, NetworkScopedMixin, admin.ModelAdmin):
    network_path = "netwerk"
    coordinator_permissions = frozenset({"view", "add", "change"})
    list_display = ["titel", "netwerk", "koepel", "opent_op", "sluit_op", "doelgroep", "responses"]
    list_filter = ["doelgroep", ("netwerk", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["netwerk", "koepel"]
    search_fields = ["titel"]
    autocomplete_fields = ["netwerk"]
    fields = [
        "titel",
        "netwerk",
        "koepel",
        "doelgroep",
        "een_per_persoon",
        "opent_op",
        "sluit_op",
        "welkomtekst",
        "danktekst",
        "resultaten_toelichting",
        "links",
    ]
    readonly_fields = ["links"]
    inlines = [SectieInline, VraagInline]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).annotate(n_responses=Count("responsen", distinct=True))

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.sees_all_networks(request):
            fields.append("koepel")  # umbrella surveys are staff's
        return fields

    @admin.display(description=_("responses"), ordering="n_responses")
    def responses(self, obj: Bevraging) -> int:
        return getattr(obj, "n_responses", 0)

    @admin.display(description=_("links"))
    def links(self, obj: Bevraging) -> str:
        if obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.get_absolute_url(),
            _("the survey (link to share)"),
            reverse("bevragingen:resultaten", kwargs={"sleutel": obj.sleutel}),
            _("results"),
        )


class OptieInline(NetworkScopedMixin, admin.TabularInline):
    model = Optie
    network_path = None
    coordinator_permissions = ALL_PERMISSIONS
    fields = ["volgorde", "tekst"]
    extra = 3


@admin.register(Vraag)
class VraagAdmin(NetworkScopedMixin, admin.ModelAdmin):
    network_path = "bevraging__netwerk"
    coordinator_permissions = frozenset({"view", "change"})
    list_display = ["tekst", "bevraging", "soort", "verplicht", "publiceren"]
    list_select_related = ["bevraging"]
    list_filter = ["soort", "publiceren"]
    fields = [
        "bevraging",
        "sectie",
        "volgorde",
        "tekst",
        "toelichting",
        "soort",
        "verplicht",
        "publiceren",
    ]
    readonly_fields = ["bevraging", "sectie"]
    inlines = [OptieInline]

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return False  # questions are added on their survey's page
