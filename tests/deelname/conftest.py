"""Helpers for attendance tests: past meetings with attendance recorded."""

from datetime import timedelta

from django.utils import timezone

from bijeenkomsten.models import Aanmelding
from bijeenkomsten.services import meeting_mark_attendance
from tests import factories


def past_meeting(netwerk, *, days_ago: int = 10, soort: str = "thema", **kwargs):
    begin = kwargs.pop("begin", timezone.now() - timedelta(days=days_ago))
    return factories.BijeenkomstFactory(
        netwerken=[netwerk],
        soort=soort,
        begin=begin,
        einde=kwargs.pop("einde", begin + timedelta(hours=2)),
        **kwargs,
    )


def attend(bijeenkomst, *users, present: bool = True) -> list[Aanmelding]:
    """Register each user's member, and mark them present (or leave them registered)."""
    rows = [factories.AanmeldingFactory(bijeenkomst=bijeenkomst, lid=u.lid) for u in users]
    if present:
        meeting_mark_attendance(bijeenkomst_id=bijeenkomst.pk, aanwezig=[a.pk for a in rows])
    return rows
