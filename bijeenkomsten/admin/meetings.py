"""Meetings with their registrations, parts and materials; attendance."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from leden.admin import ViewLoggedMixin
from portal.adminhistory import VerboseHistoryMixin, field_names
from portal.adminscope import (
    ALL_PERMISSIONS,
    NetworkScopedMixin,
    request_scope,
)

from .. import services
from ..admin_actions import send_reminder_now
from ..models import Aanmelding, Bijeenkomst, Materiaal, Programmaonderdeel
from ..services import DeleteOutcome
from .common import (
    DeleteThroughServiceMixin,
    MeetingForm,
    _meeting_outcome_message,
    _meetings_with_registrations,
)

# --- Meetings -------------------------------------------------------------------------------


class AttendanceForm(forms.ModelForm):
    aanwezig = forms.BooleanField(label=_("attended"), required=False)

    class Meta:
        model = Aanmelding
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aanwezig"].initial = self.instance.status == Aanmelding.Status.AANWEZIG


_STATUS_ORDER = Case(
    When(status__in=[Aanmelding.Status.AANGEMELD, Aanmelding.Status.AANWEZIG], then=Value(0)),
    When(status=Aanmelding.Status.WACHTLIJST, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def report_refused_attendance(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    marks: services.AttendanceMarks,
    names: dict[int, str],
) -> None:
    """Say who was not marked as attended and why, one message per reason."""
    by_reason: dict[str, list[str]] = {}
    for pk, reason in marks.refused.items():
        by_reason.setdefault(reason, []).append(names.get(pk, str(pk)))
    for reason, who in by_reason.items():
        model_admin.message_user(
            request,
            gettext("%(names)s not marked as attended: %(reason)s.")
            % {"names": ", ".join(sorted(who)), "reason": reason},
            messages.WARNING,
        )


class AanmeldingInline(NetworkScopedMixin, admin.TabularInline):
    """Registrations first, then the waiting list in its order, then cancellations; tick
    "attended" after the meeting and save once (two UPDATEs however many came)."""

    model = Aanmelding
    form = AttendanceForm
    network_path = None
    coordinator_permissions = frozenset({"view", "change"})
    fields = ["naam", "status", "voorrang", "bevestigd", "aangemeld_op", "aanwezig"]
    readonly_fields = ["naam", "status", "voorrang", "bevestigd", "aangemeld_op"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("registrations and waiting list (tick who attended)")

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .select_related("lid")
            .order_by(_STATUS_ORDER, "-voorrang", "aangemeld_op", "id")
        )

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # people register themselves (the waiting-list rules live in one service)

    @admin.display(description=_("name"))
    def naam(self, obj: Aanmelding) -> str:
        return obj.naam


class ProgrammaonderdeelInline(NetworkScopedMixin, admin.TabularInline):
    model = Programmaonderdeel
    network_path = None
    coordinator_permissions = ALL_PERMISSIONS
    fields = ["volgorde", "begintijd", "eindtijd", "soort", "titel", "sprekers", "beschrijving"]
    extra = 0


class MateriaalForm(forms.ModelForm):
    class Meta:
        model = Materiaal
        fields = ["soort", "titel", "pdf", "url", "afbeelding", "tekst"]

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # a ModelForm's clean() returns its cleaned_data
        soort = data.get("soort")
        # A file refused by its field has said why already.
        if soort == Materiaal.Soort.SLIDES and not data.get("pdf") and "pdf" not in self.errors:
            self.add_error("pdf", _("Slides are shared as a PDF file: choose the file here."))
        if soort == Materiaal.Soort.VIDEO and not data.get("url"):
            self.add_error("url", _("Paste the link to the video here."))
        if (
            soort == Materiaal.Soort.FOTO
            and not data.get("afbeelding")
            and "afbeelding" not in self.errors
        ):
            self.add_error("afbeelding", _("Choose the photo here."))
        return data


class MateriaalInline(NetworkScopedMixin, admin.StackedInline):
    model = Materiaal
    form = MateriaalForm
    network_path = None
    coordinator_permissions = ALL_PERMISSIONS
    extra = 0


@admin.register(Bijeenkomst)
class BijeenkomstAdmin(
    VerboseHistoryMixin, DeleteThroughServiceMixin, NetworkScopedMixin, admin.ModelAdmin
):
    form = MeetingForm
    network_path = "netwerken"
    coordinator_permissions = ALL_PERMISSIONS
    list_display = [
        "titel",
        "begin",
        "soort",
        "organisatoren",
        "programma",
        "doelgroep",
        "capaciteit",
        "geannuleerd",
    ]
    list_filter = [
        "soort",
        "doelgroep",
        "geannuleerd",
        ("netwerken__koepel", admin.RelatedOnlyFieldListFilter),
        ("netwerken", admin.RelatedOnlyFieldListFilter),  # only the coordinator's networks
    ]
    search_fields = ["titel", "thema", "beschrijving", "locatie"]
    date_hierarchy = "begin"
    prepopulated_fields = {"slug": ["titel"]}
    autocomplete_fields = ["netwerken", "programma"]
    readonly_fields = ["geannuleerd", "sequence"]
    fieldsets = [
        (None, {"fields": ["netwerken", "programma", "soort", "titel", "slug", "thema"]}),
        (
            _("When and where"),
            {"fields": ["begin", "einde", "locatie", "adres", "online_link", "subregio"]},
        ),
        (
            _("Registration"),
            {
                "fields": [
                    "doelgroep",
                    "capaciteit",
                    "aanmelden_verplicht",
                    "aanmelden_tot",
                    "beschrijving",
                ]
            },
        ),
        (_("Afterwards"), {"fields": ["verslag"]}),
        (_("Status"), {"fields": ["geannuleerd", "sequence"]}),
    ]
    inlines = [AanmeldingInline, ProgrammaonderdeelInline, MateriaalInline]
    # delete_selected: Django's bulk delete, through `services.meeting_delete`.
    actions = ["delete_selected", "cancel_meetings", send_reminder_now]

    # Technical fields: the slug follows the title and date, the sequence the calendar.
    TECHNICAL = frozenset({"slug", "sequence"})

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request_scope(request) is None:  # umbrella staff see everything
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in self.TECHNICAL]})
            for name, options in fieldsets
        ]

    def get_prepopulated_fields(self, request: HttpRequest, obj=None) -> dict:
        if request_scope(request) is None:
            return super().get_prepopulated_fields(request, obj)
        return {}

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial: dict[str, Any] = super().get_changeform_initial_data(request)
        scope = request_scope(request)
        if "netwerken" not in initial and scope is not None and len(scope) == 1:
            initial["netwerken"] = [scope[0]]  # a coordinator of one network
        return initial

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .select_related("programma__netwerk")
            .prefetch_related("netwerken")
        )

    @admin.display(description=_("organising networks"))
    def organisatoren(self, obj: Bijeenkomst) -> str:
        return ", ".join(n.naam for n in obj.netwerken.all())

    def save_model(self, request: HttpRequest, obj: Bijeenkomst, form, change: bool) -> None:
        # A move mails, more room admits the waiting list, the organisers are checked.
        services.meeting_save(bijeenkomst=obj, netwerk_ids=form.organiser_ids())

    def get_deleted_objects(self, objs, request: HttpRequest):
        """What the delete pages show: a meeting with registrations is not deleted but cancelled
        (`services.meeting_delete`), so its registrations are neither listed nor "protected"."""
        meetings = list(objs)
        registered = _meetings_with_registrations(meetings)
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(
            [m for m in meetings if m.pk not in registered], request
        )
        notes = [
            gettext(
                "%(titel)s has registrations: it is cancelled instead of deleted (everyone "
                "registered gets a mail), or kept as it is when it has begun."
            )
            % {"titel": m}
            for m in meetings
            if m.pk in registered
        ]
        return notes + to_delete, model_count, perms_needed, protected

    def delete_through_service(self, request: HttpRequest, obj: Bijeenkomst) -> DeleteOutcome:
        return services.meeting_delete(bijeenkomst_id=obj.pk)

    def log_kept(self, request: HttpRequest, obj: Bijeenkomst, outcome: DeleteOutcome) -> None:
        if outcome == DeleteOutcome.CANCELLED:
            self.log_cancellation(request, obj)

    def kept_message(self, obj: Bijeenkomst, outcome: DeleteOutcome) -> str:
        return _meeting_outcome_message(obj, outcome)

    def log_cancellation(self, request: HttpRequest, obj: Bijeenkomst) -> None:
        fields = field_names(Bijeenkomst, ["geannuleerd"])
        self.log_change(request, obj, [{"changed": {"fields": fields}}])

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not Aanmelding:
            return super().save_formset(request, form, formset, change)
        aanwezig: list[int] = []
        afwezig: list[int] = []
        ticked: list[Aanmelding] = []
        for row in formset.forms:
            if "aanwezig" not in row.changed_data:
                continue
            (aanwezig if row.cleaned_data.get("aanwezig") else afwezig).append(row.instance.pk)
            ticked.append(row.instance)
        refused: dict[int, str] = {}
        if ticked:
            marks = services.meeting_mark_attendance(
                bijeenkomst_id=form.instance.pk, aanwezig=aanwezig, afwezig=afwezig
            )
            refused = marks.refused
            report_refused_attendance(self, request, marks, {a.pk: a.naam for a in ticked})
        # What the admin's history message is built from: the rows really changed.
        changed = [(a, ["aanwezig"]) for a in ticked if a.pk not in refused]
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], changed, []

    def response_change(self, request: HttpRequest, obj: Bijeenkomst):
        if "_cancel_meeting" in request.POST:
            self._cancel_one(request, obj)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def _cancel_one(self, request: HttpRequest, obj: Bijeenkomst) -> None:
        if services.meeting_cancel(bijeenkomst_id=obj.pk):
            self.log_cancellation(request, obj)
            self.message_user(
                request,
                _("%(titel)s is cancelled; everyone registered gets a mail.") % {"titel": obj},
                messages.SUCCESS,
            )

    @admin.action(
        description=_("Cancel the selected meetings (registrants get a mail)"),
        permissions=["change"],
    )
    def cancel_meetings(self, request: HttpRequest, queryset) -> None:
        for bijeenkomst in queryset:
            self._cancel_one(request, bijeenkomst)


@admin.register(Aanmelding)
class AanmeldingAdmin(ViewLoggedMixin, VerboseHistoryMixin, NetworkScopedMixin, admin.ModelAdmin):
    network_path = "bijeenkomst__netwerken"
    coordinator_permissions = frozenset({"view"})
    list_display = ["__str__", "bijeenkomst", "status", "voorrang", "bevestigd", "aangemeld_op"]
    list_filter = ["status", "voorrang", "bevestigd"]
    search_fields = ["lid__naam", "gast_naam", "gast_email", "bijeenkomst__titel"]
    list_select_related = ["lid", "bijeenkomst"]
    autocomplete_fields = ["bijeenkomst", "lid"]
    date_hierarchy = "aangemeld_op"
    actions = ["mark_attended", "mark_not_attended"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Not even for umbrella staff: a registration is cancelled (by the member, or with its
        # meeting), and anonymised when an account goes, never deleted. A deleted row would
        # free no place for the waiting list and mail nobody.
        return False

    def has_attendance_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def _mark(self, request: HttpRequest, queryset, attended: bool) -> None:
        per_meeting: dict[int, list[int]] = {}
        names = {}
        for aanmelding in queryset.select_related("lid"):
            per_meeting.setdefault(aanmelding.bijeenkomst_id, []).append(aanmelding.pk)
            names[aanmelding.pk] = aanmelding.naam
        changed, refused = 0, {}
        for bijeenkomst_id, ids in per_meeting.items():
            marks = services.meeting_mark_attendance(
                bijeenkomst_id=bijeenkomst_id,
                aanwezig=ids if attended else (),
                afwezig=() if attended else ids,
            )
            changed += marks.changed
            refused.update(marks.refused)
        marks = services.AttendanceMarks(changed=changed, refused=refused)
        if changed:
            self.message_user(
                request,
                ngettext("%(n)d registration changed.", "%(n)d registrations changed.", changed)
                % {"n": changed},
                messages.SUCCESS,
            )
        elif not refused:
            self.message_user(
                request,
                gettext("Nothing changed: the selected registrations were marked so already."),
                messages.WARNING,
            )
        report_refused_attendance(self, request, marks, names)

    @admin.action(description=_("Mark as attended"), permissions=["attendance"])
    def mark_attended(self, request: HttpRequest, queryset) -> None:
        self._mark(request, queryset, attended=True)

    @admin.action(description=_("Mark as not attended"), permissions=["attendance"])
    def mark_not_attended(self, request: HttpRequest, queryset) -> None:
        self._mark(request, queryset, attended=False)


@admin.register(Programmaonderdeel)
class ProgrammaonderdeelAdmin(VerboseHistoryMixin, NetworkScopedMixin, admin.ModelAdmin):
    network_path = "bijeenkomst__netwerken"
    coordinator_permissions = ALL_PERMISSIONS
    list_display = ["titel", "soort", "sprekers", "bijeenkomst"]
    list_filter = ["soort"]
    search_fields = ["titel", "sprekers", "bijeenkomst__titel"]
    list_select_related = ["bijeenkomst"]
    autocomplete_fields = ["bijeenkomst"]


@admin.register(Materiaal)
class MateriaalAdmin(VerboseHistoryMixin, NetworkScopedMixin, admin.ModelAdmin):
    network_path = "bijeenkomst__netwerken"
    coordinator_permissions = ALL_PERMISSIONS
    form = MateriaalForm
    fields = ["bijeenkomst", "soort", "titel", "pdf", "url", "afbeelding", "tekst"]
    list_display = ["titel", "soort", "bijeenkomst", "toegevoegd_op"]
    list_filter = ["soort"]
    search_fields = ["titel", "bijeenkomst__titel"]
    list_select_related = ["bijeenkomst"]
    autocomplete_fields = ["bijeenkomst"]
