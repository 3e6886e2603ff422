"""Registration and attendance lists: per meeting and per half-year programme."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.exports import DB_CHUNK_SIZE, BaseExport
from portal.permissions import exportable_network_ids

from .models import Aanmelding, Bijeenkomst, Halfjaarprogramma


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
        filters = (
            {"bijeenkomst": bijeenkomst.pk, "titel": bijeenkomst.titel}
            if bijeenkomst is not None
            else {"programma": programma.pk, "programma_naam": str(programma)}
        )
        super().__init__(user=user, filters=filters)

    def filename(self) -> str:
        name = self.bijeenkomst.slug if self.bijeenkomst else f"programma-{self.programma.pk}"
        return f"{self.identifier}-{name}"

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
