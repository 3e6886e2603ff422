"""Reads of the confidential channel: texts decrypted only here, for the pages that may show
them (the committee's, and the reporter's own with their code)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q

from . import crypto
from .models import Afzender, Inzage, Melding


@dataclass(frozen=True)
class Regel:
    afzender: str
    afzender_label: str
    datum: date
    tekst: str
    auteur: str = ""


def conversation(melding: Melding, *, for_committee: bool) -> list[Regel]:
    """The report's text and its messages in order, decrypted. The reporter never sees which
    committee member wrote a reply."""
    regels = [
        Regel(Afzender.MELDER, str(Afzender.MELDER.label), melding.ontvangen_op,
              crypto.decrypt(melding.tekst_versleuteld))
    ]  # fmt: skip
    for bericht in melding.berichten.select_related("auteur").order_by("pk"):
        auteur = ""
        if for_committee and bericht.auteur is not None:
            auteur = bericht.auteur.email
        regels.append(
            Regel(
                bericht.afzender,
                str(Afzender(bericht.afzender).label),
                bericht.datum,
                crypto.decrypt(bericht.tekst_versleuteld),
                auteur,
            )
        )
    return regels


def reports_for_committee():
    """The list: no texts, only what the committee needs to choose one."""
    return Melding.objects.annotate(
        van_melder=Count("berichten", filter=Q(berichten__afzender=Afzender.MELDER)),
        laatste=Max("berichten__datum"),
    ).order_by("status", "-pk")


def readings(melding: Melding):
    return Inzage.objects.filter(nummer=melding.pk).select_related("gebruiker").order_by("-pk")
