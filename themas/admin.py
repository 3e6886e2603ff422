"""Coordinators steer their networks' theme rounds here: open, adjust, merge, close.

No count columns and no ordering by support or votes: the lists are the same whatever the
ballots say while a round runs. After the close the round's page shows the result with each
theme's approvals (the attendance forecast). Ballots are not in the admin at all: a ballot is
never shown with its voter.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.adminhistory import VerboseHistoryMixin
from portal.adminscope import NetworkScopedMixin

from . import dates, services
from .dates import AMSTERDAM
from .models import Reactie, Themaronde, Themavoorstel


@admin.register(Themaronde)
class ThemarondeAdmin(VerboseHistoryMixin, NetworkScopedMixin, admin.ModelAdmin):
    network_path = "netwerk"
    coordinator_permissions = frozenset({"view", "add", "change"})
    list_display = ["__str__", "netwerk", "status_display", "voorstellen_tot", "stemmen_tot"]
    list_filter = ["jaar", "helft", ("netwerk", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["netwerk"]
    autocomplete_fields = ["netwerk"]
    fields = [
        "netwerk",
        "jaar",
        "helft",
        "voorstellen_tot",
        "stemmen_tot",
        "max_stemmen",
        "aantal_themas",
        "gesloten_op",
        "uitslag",
        "vooruitzicht",
    ]
    readonly_fields = ["gesloten_op", "uitslag", "vooruitzicht"]
    actions = ["close_now"]

    @admin.display(description=_("status"))
    def status_display(self, obj: Themaronde) -> str:
        return obj.status_display()

    @admin.display(description=_("result (approvals = attendance forecast)"))
    def uitslag(self, obj: Themaronde) -> str:
        if obj.pk is None or not obj.results_public:
            return str(_("Counts appear once the round is closed."))
        rows = (
            obj.voorstellen.filter(samengevoegd_in__isnull=True)
            .annotate(n=Count("stemmen"))
            .order_by("gekozen_als", "titel", "pk")
        )
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{}{}: {}</li>",
                ((v.titel, " ✓" if v.gekozen_als else "", v.n) for v in rows),
            ),
        )

    @admin.display(description=_("meetings and attendance forecast"))
    def vooruitzicht(self, obj: Themaronde) -> str:
        """The chosen themes with the meeting each became and its forecast (approvals)."""
        if obj.pk is None or not obj.results_public:
            return str(_("Counts appear once the round is closed."))
        rows = []
        for v in dates.chosen_themes(obj):
            n: int = getattr(v, "goedkeuringen")  # noqa: B009 (an annotation, see chosen_themes)
            rows.append(
                (
                    v.titel,
                    date_format(localtime(v.bijeenkomst.begin, AMSTERDAM), "DATETIME_FORMAT")
                    if v.bijeenkomst
                    else _("no meeting yet"),
                    ngettext("%(n)s member", "%(n)s members", n) % {"n": n},
                )
            )
        if not rows:
            return str(_("No theme was chosen."))
        return format_html("<ol>{}</ol>", format_html_join("", "<li>{} ({}): {}</li>", rows))

    def get_readonly_fields(self, request: HttpRequest, obj: Themaronde | None = None):
        if obj is not None and obj.pk:
            return [*self.readonly_fields, "netwerk", "jaar", "helft"]
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Themaronde, form, change: bool) -> None:
        if change:
            services.round_update(ronde=obj, **{f: getattr(obj, f) for f in form.changed_data})
            return
        created = services.round_open(
            netwerk=obj.netwerk,
            jaar=obj.jaar,
            helft=obj.helft,
            voorstellen_tot=obj.voorstellen_tot,
            stemmen_tot=obj.stemmen_tot,
            max_stemmen=obj.max_stemmen,
            aantal_themas=obj.aantal_themas,
        )
        obj.pk = created.pk

    @admin.action(description=_("Close the selected rounds now and choose their themes"))
    def close_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        for ronde in queryset:
            services.round_close(ronde=ronde)
        messages.success(request, _("The rounds are closed; the members get the result."))


@admin.register(Themavoorstel)
class ThemavoorstelAdmin(VerboseHistoryMixin, NetworkScopedMixin, admin.ModelAdmin):
    network_path = "ronde__netwerk"
    coordinator_permissions = frozenset({"view", "change"})
    # Titles and rounds only: nothing here depends on support or votes.
    list_display = ["titel", "ronde", "vorm", "indiener", "samengevoegd_in"]
    list_filter = [("ronde__netwerk", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["ronde__netwerk", "indiener", "samengevoegd_in"]
    search_fields = ["titel"]
    ordering = ["titel", "pk"]
    fields = ["ronde", "titel", "waarom", "vorm", "indiener", "samengevoegd_in"]
    readonly_fields = ["ronde", "indiener"]
    autocomplete_fields = ["samengevoegd_in"]

    def save_model(self, request: HttpRequest, obj: Themavoorstel, form, change: bool) -> None:
        into = obj.samengevoegd_in
        if "samengevoegd_in" in form.changed_data and into is not None:
            obj.samengevoegd_in = None
            others = [f for f in form.changed_data if f != "samengevoegd_in"]
            services.proposal_update(voorstel=obj, **{f: getattr(obj, f) for f in others})
            try:
                services.proposal_merge(voorstel=obj, into=into)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return
        services.proposal_update(voorstel=obj, **{f: getattr(obj, f) for f in form.changed_data})


@admin.register(Reactie)
class ReactieAdmin(VerboseHistoryMixin, NetworkScopedMixin, admin.ModelAdmin):
    """Moderation: coordinators read their networks' comments and delete what does not
    belong. Nothing to add or change here; members write comments on the round page."""

    network_path = "voorstel__ronde__netwerk"
    coordinator_permissions = frozenset({"view", "delete"})
    list_display = ["__str__", "voorstel", "lid", "aangemaakt_op"]
    list_filter = [("voorstel__ronde__netwerk", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["voorstel", "lid"]
    search_fields = ["tekst"]
    ordering = ["-aangemaakt_op", "-pk"]
    fields = ["voorstel", "lid", "tekst", "aangemaakt_op"]
    readonly_fields = ["voorstel", "lid", "tekst", "aangemaakt_op"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Reactie | None = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Reactie) -> None:
        services.comment_delete(reactie=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for reactie in queryset:
            services.comment_delete(reactie=reactie)
