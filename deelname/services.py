"""Writes: issuing a certificate for an attendance record, and the coordinators' edits of a
meeting's educational time (through the admin)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from bijeenkomsten.models import Aanmelding
from leden.models import Lid

from .models import Deelnamebewijs
from .selectors import meeting_times


class NoCertificate(Exception):
    """No certificate: not attended, or the meeting offers none."""


def certificate_issue(*, lid: Lid, bijeenkomst_id: int) -> Deelnamebewijs:
    """The member's certificate for a meeting they were marked present at: the one issued
    before, or a new one. Only an attendance record gives one; anything else raises
    `NoCertificate` (the views answer 404)."""
    aanmelding = (
        Aanmelding.objects.attended().filter(lid=lid, bijeenkomst_id=bijeenkomst_id).first()
    )
    if aanmelding is None:
        raise NoCertificate
    if not meeting_times([bijeenkomst_id])[bijeenkomst_id].certificate_offered:
        raise NoCertificate
    existing = Deelnamebewijs.objects.filter(aanmelding=aanmelding).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Deelnamebewijs.objects.create(aanmelding=aanmelding)
    except IntegrityError:  # a second click at the same moment made it first
        return Deelnamebewijs.objects.get(aanmelding=aanmelding)
