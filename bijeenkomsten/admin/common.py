"""What the programme and meeting admins share: the meeting form and deleting through the
services."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import model_ngettext
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from netwerken.models import Netwerk, Subregio

from .. import services
from ..models import Aanmelding, Bijeenkomst
from ..services import DeleteOutcome


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
