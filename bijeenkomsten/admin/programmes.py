"""The half-year programme editor: a programme with its meetings as rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import WithAnnotations

from netwerken.models import Netwerk
from portal.adminhistory import VerboseHistoryMixin, field_names
from portal.adminscope import (
    ALL_PERMISSIONS,
    NetworkScopedMixin,
    request_scope,
    scope_queryset,
)

from .. import services
from ..models import Bijeenkomst, Halfjaarprogramma
from ..services import DeleteOutcome
from .common import (
    DeleteThroughServiceMixin,
    MeetingForm,
    _Counted,
    _meetings_with_registrations,
    _next_half_year,
)

if TYPE_CHECKING:
    from .meetings import BijeenkomstAdmin

# --- Half-year programmes -------------------------------------------------------------------


class ProgrammaBijeenkomstInline(NetworkScopedMixin, admin.TabularInline):
    """The programme's meetings, one row each; new rows are proposed on the usual day."""

    model = Bijeenkomst
    form = MeetingForm
    network_path = None  # the programme is scoped already
    coordinator_permissions = ALL_PERMISSIONS
    # What planning a half-year needs, so a row fits a 1366 px screen; the rest (kind, place,
    # online link, parts…) is on the meeting's own page, one click away in every row.
    fields = ["begin", "einde", "titel", "thema", "doelgroep", "capaciteit", "details_link"]
    readonly_fields = ["details_link"]
    extra = 1
    verbose_name_plural = _("meetings in this programme")

    class Media:
        css = {"all": ["bijeenkomsten/admin/programme.css"]}

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).annotate(aantal_onderdelen=Count("onderdelen"))

    def get_formset(self, request: HttpRequest, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        row_form: Any = formset.form  # a class made by the formset factory

        class RowForm(row_form):
            def hand_clean_DELETE(self) -> None:
                """Django refuses the delete box of a row whose registrations are protected;
                here it goes to `services.meeting_delete`, which cancels such a meeting."""

        formset.form = RowForm
        help_texts = {
            "thema": _("One of the programme's themes."),
            "titel": _("Rows left as proposed are not saved: give a title to keep one."),
        }
        for name, text in help_texts.items():
            if name in formset.form.base_fields:
                formset.form.base_fields[name].help_text = text
        return formset

    def get_extra(self, request: HttpRequest, obj=None, **kwargs) -> int:
        programme_admin = cast(
            "HalfjaarprogrammaAdmin", self.admin_site.get_model_admin(Halfjaarprogramma)
        )
        proposals = programme_admin.proposals(request, obj)
        return len(proposals) if proposals else self.extra

    @admin.display(description=_("place, link, parts…"))
    def details_link(self, obj: Bijeenkomst) -> str:
        if not obj.pk:
            return "–"
        url = reverse("admin:bijeenkomsten_bijeenkomst_change", args=[obj.pk])
        aantal = getattr(obj, "aantal_onderdelen", 0)
        label = ngettext("all details (%(n)d part)", "all details (%(n)d parts)", aantal) % {
            "n": aantal
        }
        return format_html('<a href="{}">{}</a>', url, label)


@admin.register(Halfjaarprogramma)
class HalfjaarprogrammaAdmin(
    VerboseHistoryMixin, DeleteThroughServiceMixin, NetworkScopedMixin, admin.ModelAdmin
):
    network_path = "netwerk"
    coordinator_permissions = ALL_PERMISSIONS
    list_display = ["__str__", "netwerk", "jaar", "helft", "aantal_bijeenkomsten", "gepubliceerd"]
    list_filter = [
        "gepubliceerd",
        "jaar",
        "helft",
        ("netwerk__koepel", admin.RelatedOnlyFieldListFilter),
        ("netwerk", admin.RelatedOnlyFieldListFilter),  # only the coordinator's networks
    ]
    # "jaar__exact": "2027" finds that year (compared as text, so "Twente" is no error).
    search_fields = ["netwerk__naam", "themas", "jaar__exact"]
    list_select_related = ["netwerk"]
    autocomplete_fields = ["netwerk"]
    fields = [
        "netwerk",
        "jaar",
        "helft",
        "themas",
        "toelichting",
        "gepubliceerd",
        "gepubliceerd_op",
    ]
    readonly_fields = ["gepubliceerd", "gepubliceerd_op"]
    inlines = [ProgrammaBijeenkomstInline]
    actions = ["delete_selected", "publish", "copy_to_next_half_year"]

    def get_queryset(self, request: HttpRequest):
        # A GROUP BY query drops Meta.ordering; autocomplete pages need a stable order.
        queryset = super().get_queryset(request).annotate(aantal=Count("bijeenkomsten"))
        return queryset.order_by(*(Halfjaarprogramma._meta.ordering or ()), "pk")

    @admin.display(description=_("meetings"), ordering="aantal")
    def aantal_bijeenkomsten(self, obj: WithAnnotations[Halfjaarprogramma, _Counted]) -> int:
        return obj.aantal

    # Defaults for a new programme: the network (when the coordinator has one) and the next
    # half-year; its meetings are proposed as extra rows every six weeks on the usual day.
    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial: dict[str, Any] = super().get_changeform_initial_data(request)
        jaar, helft = _next_half_year(timezone.localdate())
        initial.setdefault("jaar", jaar)
        initial.setdefault("helft", helft)
        scope = request_scope(request)
        if "netwerk" not in initial and scope is not None and len(scope) == 1:
            initial["netwerk"] = scope[0]
        return initial

    def _proposal_target(self, request: HttpRequest, obj: Halfjaarprogramma | None):
        if obj is not None and obj.pk:
            if obj.bijeenkomsten.exists():
                return None
            return obj.netwerk, obj.jaar, obj.helft
        # Add view: from the URL's defaults, the same on GET and POST, so rows left as
        # proposed count as unchanged and are skipped when saving.
        initial = self.get_changeform_initial_data(request)
        try:
            netwerk_id, jaar, helft = (
                int(initial["netwerk"]),
                int(initial["jaar"]),
                int(initial["helft"]),
            )
        except (KeyError, TypeError, ValueError):
            return None
        netwerk = scope_queryset(
            Netwerk.objects.filter(pk=netwerk_id), "pk", request_scope(request)
        ).first()
        return (netwerk, jaar, helft) if netwerk else None

    def proposals(self, request: HttpRequest, obj: Halfjaarprogramma | None) -> list[tuple]:
        """The meeting times proposed as extra rows (derived anew each time: nothing is kept on
        the request)."""
        target = self._proposal_target(request, obj)
        if not target:
            return []
        return services.proposed_meeting_times(netwerk=target[0], jaar=target[1], helft=target[2])

    def get_formset_kwargs(self, request: HttpRequest, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        proposals = (
            self.proposals(request, obj) if isinstance(inline, ProgrammaBijeenkomstInline) else []
        )
        if proposals:
            kwargs["initial"] = [{"begin": begin, "einde": einde} for begin, einde in proposals]
        return kwargs

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not Bijeenkomst:
            return super().save_formset(request, form, formset, change)
        outcomes = services.programme_save_meetings(
            programma=form.instance,
            meetings=formset.save(commit=False),
            removed=formset.deleted_objects,
        )
        formset.save_m2m()
        meeting_admin = cast("BijeenkomstAdmin", self.admin_site.get_model_admin(Bijeenkomst))
        # Each meeting's own history shows its edits too, not only the programme's.
        row = formset.forms[0] if formset.forms else None
        for obj in formset.new_objects:
            meeting_admin.log_addition(request, obj, [{"added": {}}])
        for obj, fields in formset.changed_objects:
            changed = field_names(Bijeenkomst, fields, row)
            meeting_admin.log_change(request, obj, [{"changed": {"fields": changed}}])
        deleted = []
        for obj in formset.deleted_objects:
            outcome = outcomes[obj.pk]
            meeting_admin.report_outcome(request, obj, outcome)
            if outcome == DeleteOutcome.DELETED:
                deleted.append(obj)
            elif outcome == DeleteOutcome.CANCELLED:
                formset.changed_objects.append((obj, ["geannuleerd"]))
        formset.deleted_objects = deleted  # the programme's history says what really happened

    def get_deleted_objects(self, objs, request: HttpRequest):
        """The confirmation page of deleting programmes: each meeting as the meeting's own delete
        page shows it (those with registrations are cancelled instead); a programme that keeps
        such a meeting stays."""
        programmes = list(objs)
        meetings = list(Bijeenkomst.objects.filter(programma__in=programmes))
        meeting_admin = self.admin_site.get_model_admin(Bijeenkomst)
        to_delete, model_count, perms_needed, protected = meeting_admin.get_deleted_objects(
            meetings, request
        )
        registered = _meetings_with_registrations(meetings)
        keeping = {m.programma_id for m in meetings if m.pk in registered}
        lines = []
        for programma in programmes:
            if not self.has_delete_permission(request, programma):
                perms_needed.add(str(self.opts.verbose_name))
            if programma.pk in keeping:
                lines.append(
                    gettext("%(programma)s stays: it keeps its meetings with registrations.")
                    % {"programma": programma}
                )
            else:
                lines.append(f"{capfirst(self.opts.verbose_name)}: {programma}")
        deleted_programmes = len(programmes) - len(keeping)
        model_count = {**model_count}
        if deleted_programmes:
            model_count[str(self.opts.verbose_name_plural)] = deleted_programmes
        return lines + to_delete, model_count, perms_needed, protected

    def delete_through_service(self, request: HttpRequest, obj: Halfjaarprogramma):
        result = services.programme_delete(programma_id=obj.pk)
        for bijeenkomst in Bijeenkomst.objects.filter(pk__in=result.cancelled):
            meeting_admin = cast("BijeenkomstAdmin", self.admin_site.get_model_admin(Bijeenkomst))
            meeting_admin.log_cancellation(request, bijeenkomst)
        return result.outcome

    def kept_message(self, obj: Halfjaarprogramma, outcome: DeleteOutcome) -> str:
        return gettext(
            "%(programma)s has meetings with registrations, so it is not deleted. Those "
            "meetings are cancelled instead (everyone registered gets a mail), or kept when they "
            "have begun; its other meetings are deleted."
        ) % {"programma": obj}

    def response_change(self, request: HttpRequest, obj: Halfjaarprogramma):
        if "_publish" in request.POST:
            self._publish_one(request, obj)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def _publish_one(self, request: HttpRequest, obj: Halfjaarprogramma) -> bool:
        if services.programme_publish(programma_id=obj.pk):
            self.log_change(
                request,
                obj,
                [{"changed": {"fields": field_names(Halfjaarprogramma, ["gepubliceerd"])}}],
            )
            self.message_user(
                request,
                _("%(programma)s is published: members see it and its meetings now.")
                % {"programma": obj},
                messages.SUCCESS,
            )
            return True
        return False

    @admin.action(description=_("Publish the selected programmes"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset) -> None:
        for programma in queryset:
            self._publish_one(request, programma)

    @admin.action(
        description=_("Copy to the next half-year (as a draft, dates moved on)"),
        permissions=["add"],
    )
    def copy_to_next_half_year(self, request: HttpRequest, queryset) -> None:
        for programma in queryset:
            try:
                copy = services.programme_copy_to_next_half_year(programma_id=programma.pk)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            self.log_addition(request, copy, [{"added": {}}])
            self.message_user(
                request,
                _("Copied to %(copy)s: check the dates, then publish.") % {"copy": copy},
                messages.SUCCESS,
            )
