"""Coordinators keep their networks' action plans here; umbrella staff the umbrella's plans.

Every save, inline row and delete (one or in bulk) goes through `services`, which writes the
history; the history itself is read-only. Scoped to the coordinator's networks by
`portal.adminscope` (an umbrella plan has no network, so only staff see it).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from leden.models import User
from netwerken.models import Subregio
from portal.adminhistory import VerboseHistoryMixin
from portal.adminscope import ALL_PERMISSIONS, NetworkScopedMixin, request_scope

from . import services
from .models import Actieplan, Actiepunt, Uitdaging, Voortgang, Wijziging


def _by(request: HttpRequest) -> User | None:
    """Who made the change, for the history (the admin's users are logged in)."""
    return request.user if isinstance(request.user, User) else None


def _changes(form, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.changed_data if name in names}


def _subregions(request: HttpRequest) -> QuerySet:
    """The sub-regions of the user's networks (the service checks it is the plan's network)."""
    scope = request_scope(request)
    subregions = Subregio.objects.select_related("netwerk")
    return subregions if scope is None else subregions.filter(netwerk_id__in=scope)


class UitdagingInline(NetworkScopedMixin, admin.TabularInline):
    model = Uitdaging
    network_path = None  # rows of an already scoped plan
    coordinator_permissions = ALL_PERMISSIONS
    fields = ["volgorde", "titel", "toelichting", "subregio"]
    extra = 0
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "subregio":
            kwargs["queryset"] = _subregions(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ServiceFormsetMixin:
    """An admin whose inline rows are saved and deleted by the services."""

    def save_row(self, request: HttpRequest, parent: Any, row) -> None:
        raise NotImplementedError

    def delete_row(self, request: HttpRequest, obj: Any) -> None:
        raise NotImplementedError

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        for row in formset.deleted_forms:
            if row.instance.pk:
                self.delete_row(request, row.instance)
        for row in formset.forms:
            if row in formset.deleted_forms or not row.has_changed():
                continue
            self.save_row(request, form.instance, row)
        formset.new_objects = formset.changed_objects = formset.deleted_objects = []


@admin.register(Actieplan)
class ActieplanAdmin(
    VerboseHistoryMixin, ServiceFormsetMixin, NetworkScopedMixin, admin.ModelAdmin
):
    network_path = "netwerk"
    coordinator_permissions = frozenset({"view", "add", "change"})
    list_display = ["titel", "netwerk", "koepel", "vastgesteld_op"]
    list_filter = [("netwerk", admin.RelatedOnlyFieldListFilter), "koepel"]
    list_select_related = ["netwerk", "koepel"]
    search_fields = ["titel", "uitdagingen__titel"]
    autocomplete_fields = ["netwerk"]
    fields = ["netwerk", "koepel", "koepelplan", "titel", "vastgesteld_op", "inleiding"]
    inlines = [UitdagingInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Actieplan | None = None):
        readonly = ["netwerk", "koepel"] if obj is not None and obj.pk else []
        if not self.sees_all_networks(request):
            readonly.append("koepel")  # umbrella plans are the umbrella staff's
        return sorted(set(readonly))

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "koepelplan":
            # The umbrella's plans are outside a coordinator's scope, yet theirs to add to.
            kwargs["queryset"] = Actieplan.objects.filter(netwerk__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Actieplan, form, change: bool) -> None:
        if change:
            services.plan_update(
                plan=obj, door=_by(request), **_changes(form, services.PLAN_FIELDS)
            )
            return
        created = services.plan_create(
            netwerk=obj.netwerk,
            koepel=obj.koepel,
            koepelplan=obj.koepelplan,
            titel=obj.titel,
            inleiding=obj.inleiding,
            vastgesteld_op=obj.vastgesteld_op,
            door=_by(request),
        )
        obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: Actieplan) -> None:
        services.plan_delete(plan=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for plan in queryset:
            services.plan_delete(plan=plan)

    def save_row(self, request: HttpRequest, plan: Actieplan, row) -> None:
        if row.instance.pk:
            services.challenge_update(
                uitdaging=row.instance,
                door=_by(request),
                **_changes(row, services.CHALLENGE_FIELDS),
            )
        else:
            services.challenge_create(
                plan=plan, door=_by(request), **_changes(row, services.CHALLENGE_FIELDS)
            )

    def delete_row(self, request: HttpRequest, uitdaging: Uitdaging) -> None:
        services.challenge_delete(uitdaging=uitdaging, door=_by(request))


@admin.register(Uitdaging)
class UitdagingAdmin(VerboseHistoryMixin, NetworkScopedMixin, admin.ModelAdmin):
    network_path = "plan__netwerk"
    coordinator_permissions = ALL_PERMISSIONS
    list_display = ["titel", "plan", "subregio", "volgorde"]
    list_filter = [("plan__netwerk", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["plan", "subregio"]
    search_fields = ["titel", "plan__titel"]
    fields = ["plan", "volgorde", "titel", "toelichting", "subregio"]
    autocomplete_fields = ["plan"]

    def get_readonly_fields(self, request: HttpRequest, obj: Uitdaging | None = None):
        return ["plan"] if obj is not None and obj.pk else []

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "subregio":
            kwargs["queryset"] = _subregions(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Uitdaging, form, change: bool) -> None:
        if change:
            services.challenge_update(
                uitdaging=obj, door=_by(request), **_changes(form, services.CHALLENGE_FIELDS)
            )
            return
        created = services.challenge_create(
            plan=obj.plan,
            titel=obj.titel,
            toelichting=obj.toelichting,
            volgorde=obj.volgorde,
            subregio=obj.subregio,
            door=_by(request),
        )
        obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: Uitdaging) -> None:
        services.challenge_delete(uitdaging=obj, door=_by(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for uitdaging in queryset.select_related("plan"):
            services.challenge_delete(uitdaging=uitdaging, door=_by(request))


class VoortgangInline(NetworkScopedMixin, admin.StackedInline):
    model = Voortgang
    network_path = None  # rows of an already scoped action point
    coordinator_permissions = ALL_PERMISSIONS
    fields = ["datum", "tekst"]
    extra = 1


@admin.register(Actiepunt)
class ActiepuntAdmin(
    VerboseHistoryMixin, ServiceFormsetMixin, NetworkScopedMixin, admin.ModelAdmin
):
    network_path = "uitdaging__plan__netwerk"
    coordinator_permissions = ALL_PERMISSIONS
    list_display = ["__str__", "uitdaging", "status", "gewijzigd_op"]
    list_filter = ["status", ("uitdaging__plan__netwerk", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["uitdaging"]
    search_fields = ["titel", "doel", "uitdaging__titel"]
    ordering = ["uitdaging__plan", "uitdaging__volgorde", "nummer", "pk"]
    fields = [
        "uitdaging",
        "nummer",
        "titel",
        "doel",
        "status",
        "trekkers",
        "bijeenkomsten",
        "bevragingen",
    ]
    autocomplete_fields = ["uitdaging", "trekkers", "bijeenkomsten", "bevragingen"]
    inlines = [VoortgangInline]

    def save_model(self, request: HttpRequest, obj: Actiepunt, form, change: bool) -> None:
        # The pullers and meetings too (the form's save_m2m is not called, see save_related).
        if change:
            changes = _changes(form, (*services.POINT_FIELDS, *services.POINT_RELATIONS))
            for name in services.POINT_RELATIONS:
                if name in changes:
                    # Keep links the form did not offer (another network's meeting or member).
                    offered = form.fields[name].queryset.values("pk")
                    hidden = getattr(obj, name).exclude(pk__in=offered)
                    changes[name] = [*changes[name], *hidden]
            try:
                services.action_point_update(actiepunt=obj, door=_by(request), **changes)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return
        created = services.action_point_create(
            uitdaging=obj.uitdaging,
            nummer=obj.nummer,
            titel=obj.titel,
            doel=obj.doel,
            status=obj.status,
            trekkers=form.cleaned_data.get("trekkers") or (),
            bijeenkomsten=form.cleaned_data.get("bijeenkomsten") or (),
            bevragingen=form.cleaned_data.get("bevragingen") or (),
            door=_by(request),
        )
        obj.pk = created.pk

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_row(self, request: HttpRequest, punt: Actiepunt, row) -> None:
        if row.instance.pk:
            services.progress_update(
                voortgang=row.instance, door=_by(request), **_changes(row, services.NOTE_FIELDS)
            )
        else:
            services.progress_add(
                actiepunt=Actiepunt.objects.select_related("uitdaging__plan").get(pk=punt.pk),
                tekst=row.cleaned_data["tekst"],
                datum=row.cleaned_data.get("datum"),
                auteur=getattr(request.user, "lid", None),
                door=_by(request),
            )

    def delete_row(self, request: HttpRequest, voortgang: Voortgang) -> None:
        services.progress_delete(voortgang=voortgang, door=_by(request))

    def delete_model(self, request: HttpRequest, obj: Actiepunt) -> None:
        services.action_point_delete(actiepunt=obj, door=_by(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for punt in queryset.select_related("uitdaging__plan"):
            services.action_point_delete(actiepunt=punt, door=_by(request))


@admin.register(Wijziging)
class WijzigingAdmin(NetworkScopedMixin, admin.ModelAdmin):
    """The history of the plans: read only, written by the services."""

    network_path = "plan__netwerk"
    coordinator_permissions = frozenset({"view"})
    list_display = ["op", "plan", "soort", "omschrijving", "door"]
    list_filter = ["soort", ("plan__netwerk", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["plan", "door"]
    search_fields = ["omschrijving"]
    date_hierarchy = "op"
    fields = ["op", "plan", "onderwerp", "actiepunt", "soort", "omschrijving", "velden", "door"]
    readonly_fields = [
        "op",
        "plan",
        "onderwerp",
        "actiepunt",
        "soort",
        "omschrijving",
        "velden",
        "door",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Wijziging | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Wijziging | None = None) -> bool:
        return False
