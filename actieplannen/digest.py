"""The action points a member follows, in their digest: the progress noted since the last one.

Registered with `bijeenkomsten.digest` (which knows no action plan) when the app starts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from bijeenkomsten.digest import DigestItem, register_section
from portal.formats import local_date

from .models import Voortgang

SNIPPET_WORDS = 40


def _dated(datum: date, snippet: str) -> str:
    return f"{local_date(datum, 'SHORT_DATE_FORMAT')} {snippet}"


# The note's date in the format of the mail's language, which is known only when it renders.
_note = lazy(_dated, str)


def followed_progress(
    lid_ids: Collection[int], since: datetime, until: datetime
) -> dict[int, list[DigestItem]]:
    """For each member, the progress notes written in [since, until) on the points they
    follow: every note is in one digest, the one after it was written. One query."""
    rows = (
        Voortgang.objects.filter(
            aangemaakt_op__gte=since,
            aangemaakt_op__lt=until,
            actiepunt__volgers__lid_id__in=lid_ids,
        )
        .order_by("actiepunt_id", "datum", "pk")
        .values_list(
            "actiepunt__volgers__lid_id",
            "actiepunt_id",
            "actiepunt__titel",
            "datum",
            "tekst",
            "actiepunt__uitdaging__plan__netwerk__slug",
            "actiepunt__uitdaging__plan__koepel__slug",
        )
    )
    found: dict[int, list[DigestItem]] = defaultdict(list)
    for lid_id, punt_id, titel, datum, tekst, netwerk, koepel in rows:
        if netwerk:
            url = reverse("actieplannen:netwerk", kwargs={"slug": netwerk})
        else:
            url = reverse("actieplannen:koepel", kwargs={"slug": koepel})
        note = _note(datum, Truncator(tekst).words(SNIPPET_WORDS))
        found[lid_id].append(DigestItem(titel=titel, url=f"{url}#punt-{punt_id}", toelichting=note))
    return found


register_section(
    "actieplannen", titel=_("News on the action points you follow"), build=followed_progress
)
