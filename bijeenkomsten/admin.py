"""The coordinators' admin for programmes and meetings. Every class is scoped to the networks
the user coordinates by `portal.adminscope`; every write is a function of `services`, the
same one whichever page, row, button or bulk action performs it. The hooks here collect input,
call it, and record in the history and the messages what it did.

Programme parts cannot be nested inside the meeting rows of a programme (Django inlines do not
nest): each meeting row links to that meeting's page, where its parts, materials and
registrations are edited.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import model_ngettext
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import WithAnnotations

from netwerken.models import Netwerk, Subregio
from portal.adminhistory import VerboseHistoryMixin, field_names
from portal.adminscope import (
    ALL_PERMISSIONS,
    NetworkScopedMixin,
    request_scope,
    scope_queryset,
)

from . import services
from .admin_actions import send_reminder_now
from .models import Aanmelding, Bijeenkomst, Halfjaarprogramma, Materiaal, Programmaonderdeel
from .services import DeleteOutcome


def _next_half_year(today: date) -> tuple[int, int]:
    return (today.year, 2) if today.month <= 6 else (today.year + 1, 1)


# --- Changing and deleting meetings: every path through the same services --------------------


class SubregioChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Subregio) -> str:
        return f"{obj.naam} ({obj.netwerk.naam})"


def _model_choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A field of `form` that chooses model objects, whose queryset is set per form."""
    return cast(forms.ModelChoiceField, form.fields[name])


if TYPE_CHECKING:
    # What the mixin below is mixed into, for the type checker only (see portal.adminscope).
    _ModelAdminBase = admin.ModelAdmin[Any]
else:
    _ModelAdminBase = object


class _Counted(TypedDict):
    aantal: int  # the programme's meetings (HalfjaarprogrammaAdmin.get_queryset)


class MeetingForm(forms.ModelForm):
    """A meeting's fields, on its own page and as a row of its programme alike. A narrower
    audience that would leave out people who registered, or a sub-region of a network that
    does not organise the meeting, is refused with the service's reason (`services.meeting_save`
    refuses them too)."""

    class Meta:
        model = Bijeenkomst
        fields = ["doelgroep"]  # the meeting's page and the programme's rows list their own
        field_classes = {"subregio": SubregioChoiceField}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "subregio" in self.fields:
            # Sub-regions of the meeting's organisers; on a new meeting, of the networks the
            # form offers (the service checks the choice against those really chosen).
            if self.instance.pk:
                networks = self.instance.netwerken.all()
            elif "netwerken" in self.fields:
                networks = _model_choices(self, "netwerken").queryset
            else:
                networks = Netwerk.objects.none()
            _model_choices(self, "subregio").queryset = Subregio.objects.filter(
                netwerk__in=networks.values("pk")
            ).select_related("netwerk")

    def organiser_ids(self) -> set[int] | None:
        """The organising networks this form gives the meeting: those chosen, and those it
        has that the form does not offer (another network's, kept by the admin's scope); None
        when the form has no networks field (a programme's row)."""
        if "netwerken" not in self.fields or "netwerken" not in self.cleaned_data:
            return None
        chosen = {n.pk for n in self.cleaned_data["netwerken"]}
        if self.instance.pk:
            offered = _model_choices(self, "netwerken").queryset
            assert offered is not None  # the field of a many-to-many always has one
            chosen |= set(
                self.instance.netwerken.exclude(pk__in=offered.values("pk")).values_list(
                    "pk", flat=True
                )
            )
        return chosen

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # a ModelForm's clean() returns its cleaned_data
        organisers = self.organiser_ids()
        if organisers is not None and data.get("subregio"):
            problem = services.meeting_subregion_problem(
                subregio=data["subregio"], netwerk_ids=organisers
            )
            if problem:
                self.add_error("subregio", problem)
        doelgroep = data.get("doelgroep")
        # Still the stored meeting: the form copies its data onto the instance after clean().
        if self.instance.pk and doelgroep and "doelgroep" in self.changed_data:
            problem = services.meeting_audience_problem(
                bijeenkomst=self.instance, doelgroep=doelgroep
            )
            if problem:
                self.add_error("doelgroep", problem)
        return data


def _meeting_outcome_message(bijeenkomst: Bijeenkomst, outcome: DeleteOutcome) -> str:
    if outcome == DeleteOutcome.CANCELLED:
        return gettext(
            "“%(titel)s” has registrations and is therefore cancelled instead of deleted: "
            "everyone registered gets a mail, and calendars show it as cancelled."
        ) % {"titel": bijeenkomst}
    return gettext(
        "“%(titel)s” has registrations and is therefore not deleted: a meeting that has begun "
        "or was cancelled already keeps its registrations as the attendance record."
    ) % {"titel": bijeenkomst}


class DeleteThroughServiceMixin(_ModelAdminBase):
    """The delete page, the bulk delete action and their history entries, for a model that is
    deleted by a service which may keep the object (and cancel it) instead.

    A subclass says how (`delete_through_service`, returning a `DeleteOutcome`) and what to
    tell the coordinator when the object stays (`kept_message`). The history records what
    really happened, after the service answered: a deletion, or nothing here (the service's
    caller logs the cancellation).
    """

    def delete_through_service(self, request: HttpRequest, obj) -> DeleteOutcome:
        raise NotImplementedError

    def kept_message(self, obj, outcome: DeleteOutcome) -> str:
        raise NotImplementedError

    def log_deletions(self, request: HttpRequest, queryset):
        return []  # logged in `report_outcome` once the service said the object is really gone

    def log_kept(self, request: HttpRequest, obj, outcome: DeleteOutcome) -> None:
        """Record in `obj`'s history what the service did instead of deleting it."""

    def report_outcome(self, request: HttpRequest, obj, outcome: DeleteOutcome) -> None:
        """The history entry and the message for what a delete service did with `obj`."""
        if outcome == DeleteOutcome.DELETED:
            # obj keeps its pk: the service loaded its own. Django only iterates the rows (the
            # stubs ask for a QuerySet, which could no longer find the deleted row).
            super().log_deletions(request, [obj])  # type: ignore[arg-type]
        else:
            self.log_kept(request, obj, outcome)
            self.message_user(request, self.kept_message(obj, outcome), messages.WARNING)

    def delete_one(self, request: HttpRequest, obj) -> DeleteOutcome:
        """Delete `obj` through the service, and say why when it stays."""
        outcome = self.delete_through_service(request, obj)
        self.report_outcome(request, obj, outcome)
        return outcome

    def delete_model(self, request: HttpRequest, obj) -> None:
        self.delete_one(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for obj in queryset:
            self.delete_one(request, obj)

    def response_delete(self, request: HttpRequest, obj_display: str, obj_id):
        if self.model._default_manager.filter(pk=obj_id).exists():
            # Kept (the message says why): back to its page rather than "deleted successfully".
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj_id])
            )
        return super().response_delete(request, obj_display, obj_id)

    @admin.action(
        permissions=["delete"],
        description=_("Delete selected %(verbose_name_plural)s"),
    )
    def delete_selected(self, request: HttpRequest, queryset):
        """Django's bulk delete, whose confirmation page it shows, but counting only what the
        service really deleted."""
        if request.POST.get("post"):
            *_ignored, perms_needed, protected = self.get_deleted_objects(queryset, request)
            if not perms_needed and not protected:
                outcomes = [self.delete_one(request, obj) for obj in queryset]
                deleted = outcomes.count(DeleteOutcome.DELETED)
                if deleted:
                    self.message_user(
                        request,
                        gettext("Successfully deleted %(count)d %(items)s.")
                        % {"count": deleted, "items": model_ngettext(self.opts, deleted)},
                        messages.SUCCESS,
                    )
                return None
        return django_delete_selected(self, request, queryset)


def _meetings_with_registrations(meetings) -> set[int]:
    return set(
        Aanmelding.objects.filter(bijeenkomst__in=meetings)
        .values_list("bijeenkomst_id", flat=True)
        .distinct()
    )


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
class AanmeldingAdmin(VerboseHistoryMixin, NetworkScopedMixin, admin.ModelAdmin):
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
