from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_stubs_ext import StrOrPromise

from portal.accesslog import record_view
from portal.adminhistory import VerboseHistoryMixin
from portal.adminscope import NetworkScopedMixin, request_scope, scope_queryset

from . import privacy, services
from .exports import ADMIN_ACTIONS as EXPORT_ACTIONS
from .models import DigestToestemming, Lid, Lidmaatschap, LidmaatschapQuerySet, Mailvoorkeur, User


class AccountDeletionMixin:
    """Deleting an account or a member in the admin is the member's own erasure
    (`privacy.account_delete`): registrations stay as anonymous rows, places to come go to
    the waiting list, coordinators are told. Django's own delete would leave a registration
    with neither member nor guest, which the database refuses (a 500)."""

    def _user_of(self, obj):
        return obj if isinstance(obj, User) else obj.user

    def delete_model(self, request: HttpRequest, obj) -> None:
        privacy.account_delete(user=self._user_of(obj))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


def _member_user_id(obj) -> int | None:
    """Whose details `obj` shows: an account, a profile, or a row of a member (a guest's
    registration is no member's)."""
    if isinstance(obj, User):
        return obj.pk
    if isinstance(obj, Lid):
        return obj.user_id
    lid = getattr(obj, "lid", None)
    return lid.user_id if lid is not None else None


class ViewLoggedMixin:
    """Opening a member's details (their account, profile or a membership) is logged
    (`portal.accesslog`): who, when, whose, which page; the member sees it in their data
    download. The change form is where the details show, for coordinators read-only too."""

    def render_change_form(self, request: HttpRequest, context: dict[str, Any], *args, **kwargs):
        obj = kwargs.get("obj")
        user_id = _member_user_id(obj) if obj is not None and kwargs.get("change") else None
        if obj is not None and user_id is not None:
            record_view(
                viewer=request.user, subject_id=user_id, waar="admin", what=obj._meta.label_lower
            )
        return super().render_change_form(request, context, *args, **kwargs)  # type: ignore[misc]


@admin.register(User)
class UserAdmin(ViewLoggedMixin, VerboseHistoryMixin, AccountDeletionMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_staff", "is_active", "date_joined", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "lid__naam"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class LidmaatschapInline(NetworkScopedMixin, admin.TabularInline):
    model = Lidmaatschap
    network_path = "netwerk"  # a member may belong to other networks: show only yours
    coordinator_permissions = frozenset({"view"})
    extra = 0
    fields = ["netwerk", "schil", "status", "lid_sinds", "beeindigd_op"]
    autocomplete_fields = ["netwerk"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("netwerk")


@admin.register(Lid)
class LidAdmin(
    ViewLoggedMixin, VerboseHistoryMixin, AccountDeletionMixin, NetworkScopedMixin, admin.ModelAdmin
):
    network_path = "lidmaatschappen__netwerk"
    # Coordinators read a member's page (memberships, history); tiers and join requests are
    # handled on the memberships list, where every change is one action.
    coordinator_permissions = frozenset({"view"})
    list_display = ["naam", "user", "rol", "organisatie", "sector", "bpsw_lid"]
    list_filter = ["rol", "bpsw_lid", "digest", "herinneringen"]
    search_fields = ["naam", "user__email", "organisatie"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    inlines = [LidmaatschapInline]
    actions = EXPORT_ACTIONS

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Lid | None = None,
    ) -> HttpResponse:
        if obj is not None:
            # Shown below the fields (templates/admin/leden/lid/change_form.html); read here,
            # where the request says whose networks' meetings the viewer may see.
            attended = obj.aanmeldingen.attended().filter(
                bijeenkomst__begin__year=timezone.localdate().year
            )
            attended = scope_queryset(attended, "bijeenkomst__netwerken", request_scope(request))
            context["attended_this_year"] = attended.select_related("bijeenkomst").order_by(
                "bijeenkomst__begin"
            )
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )


class BerichtForm(forms.Form):
    """The coordinator's message to the member, on the page between choosing and declining."""

    bericht = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        help_text=_("Sent with the mail that tells the member the decision."),
    )


class TierRequestFilter(admin.SimpleListFilter):
    title = _("tier move requested")
    parameter_name = "schilwissel"

    def lookups(self, request: HttpRequest, model_admin):
        return [("ja", _("Yes"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "ja":
            # The filter of LidmaatschapAdmin: its rows are memberships.
            return cast(LidmaatschapQuerySet, queryset).tier_move_requested()
        return queryset


@admin.register(Lidmaatschap)
class LidmaatschapAdmin(ViewLoggedMixin, VerboseHistoryMixin, NetworkScopedMixin, admin.ModelAdmin):
    network_path = "netwerk"
    coordinator_permissions = frozenset({"view", "change"})
    list_display = [
        "lid",
        "netwerk",
        "schil",
        "status",
        "gevraagde_schil",
        "lid_sinds",
        "aangevraagd_op",
    ]
    list_filter = [
        "status",
        TierRequestFilter,
        "schil",
        ("netwerk__koepel", admin.RelatedOnlyFieldListFilter),
        ("netwerk", admin.RelatedOnlyFieldListFilter),  # only the coordinator's networks
    ]
    search_fields = ["lid__naam", "lid__user__email", "netwerk__naam"]
    list_select_related = ["lid", "netwerk"]
    autocomplete_fields = ["lid", "netwerk"]
    date_hierarchy = "aangevraagd_op"
    actions = [
        *EXPORT_ACTIONS,
        "accept_as_core",
        "accept_as_second_tier",
        "decline",
        "move_to_core",
        "move_to_second_tier",
        "accept_tier_move",
        "decline_tier_move",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if self.sees_all_networks(request):
            return super().get_readonly_fields(request, obj)
        # Status changes go through the actions (they mail the member); the rest is history.
        return [
            "lid",
            "netwerk",
            "status",
            "motivatie",
            "aangevraagd_op",
            "gevraagde_schil",
            "schil_gevraagd_op",
        ]

    def _apply(self, request: HttpRequest, queryset, change, done_message, **kwargs) -> None:
        done = 0
        for lidmaatschap in queryset:
            if change(lidmaatschap_id=lidmaatschap.pk, **kwargs):
                done += 1
                self.log_change(request, lidmaatschap, str(done_message))
        if done:
            self.message_user(
                request,
                ngettext("%(n)d membership changed.", "%(n)d memberships changed.", done)
                % {"n": done},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _("Nothing changed: choose pending join requests or active members."),
                messages.WARNING,
            )

    @admin.action(description=_("Accept the join request into the core"), permissions=["change"])
    def accept_as_core(self, request: HttpRequest, queryset) -> None:
        self._apply(
            request,
            queryset,
            services.membership_accept,
            _("Accepted into the core."),
            schil=Lidmaatschap.Schil.KERN,
        )

    @admin.action(
        description=_("Accept the join request into the second tier"), permissions=["change"]
    )
    def accept_as_second_tier(self, request: HttpRequest, queryset) -> None:
        self._apply(
            request,
            queryset,
            services.membership_accept,
            _("Accepted into the second tier."),
            schil=Lidmaatschap.Schil.BETROKKEN,
        )

    def _with_message(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        *,
        title: StrOrPromise,
        pending: QuerySet,
        apply: Callable[[str], None],
    ) -> TemplateResponse | None:
        """An intermediate page: the coordinator writes the member a message, then confirms."""
        form = BerichtForm(request.POST if "bevestigd" in request.POST else None)
        if form.is_bound and form.is_valid():
            apply(form.cleaned_data["bericht"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "form": form,
            "rows": pending.select_related("lid", "netwerk"),
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
        }
        return TemplateResponse(request, "leden/admin/bericht_bevestigen.html", context)

    @admin.action(
        description=_("Decline the join request (with a message)"), permissions=["change"]
    )
    def decline(self, request: HttpRequest, queryset):
        return self._with_message(
            request,
            queryset,
            title=_("Decline join requests"),
            pending=queryset.pending(),
            apply=lambda bericht: self._apply(
                request,
                queryset,
                services.membership_decline,
                _("Join request declined."),
                message=bericht,
            ),
        )

    @admin.action(description=_("Grant the requested tier move"), permissions=["change"])
    def accept_tier_move(self, request: HttpRequest, queryset) -> None:
        self._apply(request, queryset, services.membership_tier_accept, _("Tier move granted."))

    @admin.action(
        description=_("Refuse the requested tier move (with a message)"), permissions=["change"]
    )
    def decline_tier_move(self, request: HttpRequest, queryset):
        return self._with_message(
            request,
            queryset,
            title=_("Refuse tier moves"),
            pending=queryset.tier_move_requested(),
            apply=lambda bericht: self._apply(
                request,
                queryset,
                services.membership_tier_decline,
                _("Tier move refused."),
                message=bericht,
            ),
        )

    @admin.action(description=_("Move to the core"), permissions=["change"])
    def move_to_core(self, request: HttpRequest, queryset) -> None:
        self._apply(
            request,
            queryset,
            services.membership_tier_change,
            _("Moved to the core."),
            schil=Lidmaatschap.Schil.KERN,
        )

    @admin.action(description=_("Move to the second tier"), permissions=["change"])
    def move_to_second_tier(self, request: HttpRequest, queryset) -> None:
        self._apply(
            request,
            queryset,
            services.membership_tier_change,
            _("Moved to the second tier."),
            schil=Lidmaatschap.Schil.BETROKKEN,
        )


@admin.register(DigestToestemming)
class DigestToestemmingAdmin(admin.ModelAdmin):
    list_display = ["lid", "frequentie", "gevraagd_op", "bevestigd_op", "ingetrokken_op"]
    list_filter = ["frequentie", ("bevestigd_op", admin.EmptyFieldListFilter)]
    search_fields = ["lid__naam", "lid__user__email"]
    list_select_related = ["lid"]
    raw_id_fields = ["lid"]
    readonly_fields = [
        "lid",
        "sleutel",
        "frequentie",
        "tekst",
        "gevraagd_op",
        "gevraagd_via",
        "bevestigd_op",
        "ingetrokken_op",
        "ingetrokken_via",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Mailvoorkeur)
class MailvoorkeurAdmin(admin.ModelAdmin):
    list_display = ["lid", "netwerk", "herinneringen", "nieuwsbrief", "gewijzigd_op"]
    list_filter = ["herinneringen", "nieuwsbrief", ("netwerk", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["lid__naam", "lid__user__email"]
    list_select_related = ["lid", "netwerk"]
    raw_id_fields = ["lid"]
