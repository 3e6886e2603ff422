"""Registration and attendance lists: per meeting and per half-year programme.

Registered with the export page at the end (`portal.exports.register`): a list of
programmes and one of meetings, each row with its download buttons.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from leden.permissions import can_export, exportable_network_ids
from portal.exports import DB_CHUNK_SIZE, BaseExport, Exporter, register

from .models import Aanmelding, Bijeenkomst, Halfjaarprogramma

LISTED = 50  # meetings and programmes offered on the page


def exportable_meetings(user) -> QuerySet:
    """Meetings whose registrations this user may export: any organised by their networks."""
    allowed = exportable_network_ids(user)
    if allowed is None:
        return Bijeenkomst.objects.all()
    through = Bijeenkomst.netwerken.through.objects.filter(netwerk_id__in=allowed)
    return Bijeenkomst.objects.filter(pk__in=through.values("bijeenkomst_id"))


def exportable_programmes(user) -> QuerySet:
    allowed = exportable_network_ids(user)
    if allowed is None:
        return Halfjaarprogramma.objects.all()
    return Halfjaarprogramma.objects.filter(netwerk_id__in=allowed)


class RegistrationExport(BaseExport):
    """Who registered, who is on the waiting list, who attended (and who cancelled)."""

    identifier = "registrations"
    verbose_name = _("Registrations")
    columns = [
        _("meeting"),
        _("date"),
        _("name"),
        _("e-mail address"),
        _("organisation"),
        _("member"),
        _("status"),
        _("priority"),
        _("registered on"),
    ]
    fields = (
        "bijeenkomst__titel",
        "bijeenkomst__begin",
        "lid_id",
        "lid__naam",
        "lid__user__email",
        "lid__organisatie",
        "gast_naam",
        "gast_email",
        "status",
        "bevestigd",
        "voorrang",
        "aangemeld_op",
    )

    def __init__(
        self,
        *,
        user,
        bijeenkomst: Bijeenkomst | None = None,
        programma: Halfjaarprogramma | None = None,
    ) -> None:
        if (bijeenkomst is None) == (programma is None):
            raise ValueError("Export one meeting or one programme.")
        self.bijeenkomst = bijeenkomst
        self.programma = programma
        filters: dict[str, Any]
        if bijeenkomst is not None:
            filters = {"bijeenkomst": bijeenkomst.pk, "titel": bijeenkomst.titel}
        else:
            assert programma is not None  # one of the two, checked above
            filters = {"programma": programma.pk, "programma_naam": str(programma)}
        super().__init__(user=user, filters=filters)

    def filename(self) -> str:
        if self.bijeenkomst is not None:
            name = self.bijeenkomst.slug
        else:
            assert self.programma is not None  # one of the two (see __init__)
            name = f"programma-{self.programma.pk}"
        return f"{self.identifier}-{name}"

    def estimate(self) -> int:
        return self.queryset().count()

    def queryset(self) -> QuerySet:
        where = (
            Q(bijeenkomst=self.bijeenkomst)
            if self.bijeenkomst is not None
            else Q(bijeenkomst__programma=self.programma)
        )
        return (
            Aanmelding.objects.filter(where)
            .order_by("bijeenkomst__begin", "bijeenkomst_id", "aangemeld_op", "pk")
            .values_list(*self.fields)
        )

    def rows(self) -> Iterator[Sequence[Any]]:
        statuses = {value: str(label) for value, label in Aanmelding.Status.choices}
        # A guest who has not confirmed is not registered: whoever counts "registered" rows
        # in the sheet must not count them (nor do the places taken on the site).
        unconfirmed = gettext("unconfirmed")
        anonymous = gettext("anonymous")
        for (
            titel,
            begin,
            lid_id,
            naam,
            email,
            org,
            gast_naam,
            gast_email,
            status,
            bevestigd,
            voorrang,
            op,
        ) in self.queryset().iterator(chunk_size=DB_CHUNK_SIZE):
            member = lid_id is not None
            if not bevestigd and status != Aanmelding.Status.GEANNULEERD:
                label = unconfirmed
            else:
                label = statuses.get(status, status)
            yield (
                titel,
                begin,
                naam if member else (gast_naam or anonymous),
                email if member else gast_email,
                org if member else "",
                member,
                label,
                voorrang,
                op,
            )


# --- The export page ----------------------------------------------------------------------


class ProgrammeRegistrationsExporter(Exporter):
    url_name = "programme"
    route = "programma/<int:pk>/"
    template = "bijeenkomsten/_export_programmes.html"
    order = 20

    def allowed(self, user) -> bool:
        return can_export(user)

    def section_context(self, user) -> dict[str, Any]:
        programmes = (
            exportable_programmes(user)
            .select_related("netwerk")
            .order_by("-jaar", "-helft", "netwerk__naam")[:LISTED]
        )
        return {"programmes": programmes}

    def get_object(self, user, **url_kwargs: Any) -> Halfjaarprogramma:
        return get_object_or_404(exportable_programmes(user), pk=url_kwargs["pk"])

    def export(self, user, obj, filters: dict[str, Any]) -> RegistrationExport:
        return RegistrationExport(user=user, programma=obj)


class MeetingRegistrationsExporter(Exporter):
    url_name = "meeting"
    route = "bijeenkomst/<int:pk>/"
    template = "bijeenkomsten/_export_meetings.html"
    order = 30

    def allowed(self, user) -> bool:
        return can_export(user)

    def section_context(self, user) -> dict[str, Any]:
        now = timezone.now()
        meetings = (
            exportable_meetings(user)
            .filter(begin__gte=now - timedelta(days=365), begin__lte=now + timedelta(days=183))
            .prefetch_related("netwerken")
            .order_by("-begin")[:LISTED]
        )
        return {"meetings": meetings}

    def get_object(self, user, **url_kwargs: Any) -> Bijeenkomst:
        return get_object_or_404(exportable_meetings(user), pk=url_kwargs["pk"])

    def export(self, user, obj, filters: dict[str, Any]) -> RegistrationExport:
        return RegistrationExport(user=user, bijeenkomst=obj)


register(ProgrammeRegistrationsExporter())
register(MeetingRegistrationsExporter())
