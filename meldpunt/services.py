"""Writes of the confidential channel. Views and tasks only collect input and call these."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import crypto
from .models import Afzender, Bericht, Instelling, Inzage, Melding, Status

MAX_LENGTH = 20_000


def _clean_text(tekst: str) -> str:
    tekst = tekst.strip()
    if not tekst:
        raise ValidationError(_("Write what you want to report."))
    if len(tekst) > MAX_LENGTH:
        raise ValidationError(_("Keep it under 20,000 characters."))
    return tekst


@transaction.atomic
def report_create(*, tekst: str) -> tuple[Melding, str]:
    """A new report; returns it with its receipt code, which exists nowhere else (show it
    once). Nothing about who sent it is taken: no request reaches this function."""
    code = crypto.new_code()
    melding = Melding(
        ontvangen_op=timezone.localdate(),
        code_hash=crypto.receipt_digest(crypto.normalise(code)),
        tekst_versleuteld=crypto.encrypt(_clean_text(tekst)),
    )
    melding.full_clean()
    melding.save()
    return melding, code


def report_for_code(code: str) -> Melding | None:
    """The report this receipt code belongs to, or None. A code hashed under an older key
    (before a rotation) is rehashed under the current one."""
    normalised = crypto.normalise(code)
    if not normalised:
        return None
    digests = crypto.receipt_digests(normalised)
    melding = Melding.objects.filter(code_hash__in=digests).first()
    if melding is not None and melding.code_hash != digests[0]:
        Melding.objects.filter(pk=melding.pk).update(code_hash=digests[0])
    return melding


@transaction.atomic
def report_add_information(*, melding: Melding, tekst: str) -> Bericht:
    """The reporter adds information. A closed report is reopened: the committee should see
    it (and its erasure clock stops)."""
    bericht = Bericht.objects.create(
        melding=melding,
        afzender=Afzender.MELDER,
        datum=timezone.localdate(),
        tekst_versleuteld=crypto.encrypt(_clean_text(tekst)),
    )
    Melding.objects.filter(pk=melding.pk).update(status=Status.OPEN, gesloten_op=None, gemeld=False)
    return bericht


def report_reply(*, melding: Melding, auteur, tekst: str) -> Bericht:
    """The committee answers; the reporter reads it when they return with their code."""
    return Bericht.objects.create(
        melding=melding,
        afzender=Afzender.COMMISSIE,
        auteur=auteur,
        datum=timezone.localdate(),
        tekst_versleuteld=crypto.encrypt(_clean_text(tekst)),
    )


def report_close(*, melding: Melding, now: datetime | None = None) -> None:
    Melding.objects.filter(pk=melding.pk, status=Status.OPEN).update(
        status=Status.GESLOTEN, gesloten_op=now or timezone.now()
    )


def report_reopen(*, melding: Melding) -> None:
    Melding.objects.filter(pk=melding.pk).update(status=Status.OPEN, gesloten_op=None)


def reading_log(*, melding: Melding, gebruiker) -> Inzage:
    """Note that `gebruiker` read `melding` (every committee view of a report calls this)."""
    return Inzage.objects.create(melding=melding, nummer=melding.pk, gebruiker=gebruiker)


def retention_set(*, dagen: int) -> Instelling:
    instelling = Instelling.current()
    instelling.bewaartermijn_dagen = dagen
    instelling.full_clean()
    instelling.save(update_fields=["bewaartermijn_dagen"])
    return instelling


def reports_erase(now: datetime, *, batch: int = 500) -> int:
    """Delete the closed reports whose period (the committee's setting) has passed, with their
    messages; the reading log keeps their numbers. Idempotent; returns the reports deleted."""
    cutoff = now - timedelta(days=Instelling.current().bewaartermijn_dagen)
    erased = 0
    while True:
        ids = list(Melding.objects.closed_before(cutoff).values_list("pk", flat=True)[:batch])
        if not ids:
            return erased
        with transaction.atomic():
            Bericht.objects.filter(melding_id__in=ids).delete()
            erased += Melding.objects.filter(pk__in=ids).delete()[1].get("meldpunt.Melding", 0)
