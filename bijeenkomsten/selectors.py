"""Reads of meetings that are more than a filter. Each returns a fixed number of queries."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import TypeAlias, TypedDict

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_stubs_ext import WithAnnotations

from leden.models import Lidmaatschap
from netwerken.models import Netwerk

from .models import (
    LIVE_STATUSES,
    TAKES_A_PLACE,
    Aanmelding,
    Bijeenkomst,
    Halfjaarprogramma,
    Materiaal,
    Programmaonderdeel,
)
from .permissions import visible_meetings


def _organisers() -> Prefetch:
    return Prefetch("netwerken", queryset=Netwerk.objects.order_by("naam"))


class ListingData(TypedDict):
    bezet: int  # places taken


# A meeting as `with_listing_data` gives it.
ListedMeeting: TypeAlias = "WithAnnotations[Bijeenkomst, ListingData]"


def with_listing_data(queryset: QuerySet, *, prefetch: bool = True) -> QuerySet:
    """What a meeting list shows: organisers and the number of places taken.

    The count is a correlated subquery rather than a join: it runs for the rows on the page
    only, and counting the pages stays a plain count of meetings.
    """
    taken = (
        Aanmelding.objects.filter(TAKES_A_PLACE, bijeenkomst=OuterRef("pk"))
        .order_by()
        .values("bijeenkomst")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = queryset.annotate(
        bezet=Coalesce(Subquery(taken, output_field=IntegerField()), 0)
    ).select_related("subregio")
    return queryset.prefetch_related(_organisers()) if prefetch else queryset


def upcoming_meetings(user, *, netwerk: Netwerk | None = None, prefetch: bool = True) -> QuerySet:
    queryset = visible_meetings(user).filter(einde__gte=timezone.now())
    if netwerk is not None:
        queryset = queryset.filter(netwerken=netwerk)
    return with_listing_data(queryset.order_by("begin", "id"), prefetch=prefetch)


def past_meetings(user, *, netwerk: Netwerk | None = None, prefetch: bool = True) -> QuerySet:
    queryset = visible_meetings(user).filter(einde__lt=timezone.now())
    if netwerk is not None:
        queryset = queryset.filter(netwerken=netwerk)
    return with_listing_data(queryset.order_by("-begin", "-id"), prefetch=prefetch)


def upcoming_and_past_meetings(
    user, *, netwerk: Netwerk, limit: int
) -> tuple[list[Bijeenkomst], list[Bijeenkomst]]:
    """The next and the last `limit` meetings of a network, in one query (plus organisers)."""
    upcoming = upcoming_meetings(user, netwerk=netwerk, prefetch=False)
    past = past_meetings(user, netwerk=netwerk, prefetch=False)
    both = with_listing_data(
        Bijeenkomst.objects.filter(
            Q(pk__in=upcoming.values("pk")[:limit]) | Q(pk__in=past.values("pk")[:limit])
        ).order_by("begin", "id")
    )
    now = timezone.now()
    meetings = list(both)
    return (
        [b for b in meetings if b.einde >= now],
        [b for b in reversed(meetings) if b.einde < now],
    )


def meeting_for_page(user, slug: str) -> ListedMeeting | None:
    """The meeting with its programme and materials, or None if this user may not see it."""
    return (
        with_listing_data(visible_meetings(user).filter(slug=slug))
        .select_related("programma__netwerk")
        .prefetch_related("onderdelen", "materialen")
        .first()
    )


def meeting_to_act_on(user, slug: str) -> Bijeenkomst | None:
    """The meeting a form posts to (register, cancel), or None if this user may not see it:
    only its id and slug, since the service locks and reads the row itself. Half the cost of
    `meeting_for_page` in a registration rush, which counted the places and loaded the
    programme only for the redirect."""
    return visible_meetings(user).filter(slug=slug).only("pk", "slug").first()


# Letters a search for the plain letter also finds, lower and upper case: "Babbelonie"
# finds "Babbelonië". A regular expression does this on SQLite and PostgreSQL alike, without
# a database extension (PostgreSQL's unaccent) or a folded copy of every text.
_ACCENTED = {
    "a": "aàáâãäåAÀÁÂÃÄÅ",
    "c": "cçCÇ",
    "e": "eèéêëEÈÉÊË",
    "i": "iìíîïIÌÍÎÏ",
    "n": "nñNÑ",
    "o": "oòóôõöOÒÓÔÕÖ",
    "u": "uùúûüUÙÚÛÜ",
    "y": "yýÿYÝŸ",
}


def accent_insensitive_pattern(text: str) -> str:
    """A regular expression (for `__iregex`) that finds `text` with or without accents."""
    pattern = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)[0].lower()
        if base in _ACCENTED:
            pattern.append(f"[{_ACCENTED[base]}]")
        elif char.isalnum() or char == " ":
            pattern.append(char)
        else:
            pattern.append(re.escape(char))  # "Hoe(Zo" is a search, not a group
    return "".join(pattern)


def filter_meetings(
    queryset: QuerySet,
    *,
    netwerk: str = "",
    koepel: str = "",
    soort: str = "",
    jaar: int | None = None,
    zoek: str = "",
    subregio: int | None = None,
    open_voor_mij: bool = False,
) -> QuerySet:
    """Apply the agenda and archive filters (all optional, combined with AND)."""
    if netwerk:
        queryset = queryset.filter(
            pk__in=Bijeenkomst.netwerken.through.objects.filter(netwerk__slug=netwerk).values(
                "bijeenkomst_id"
            )
        )
    if koepel:
        queryset = queryset.filter(
            pk__in=Bijeenkomst.netwerken.through.objects.filter(
                netwerk__koepel__slug=koepel
            ).values("bijeenkomst_id")
        )
    if soort:
        queryset = queryset.filter(soort=soort)
    if subregio:
        queryset = queryset.filter(subregio_id=subregio)
    if jaar:
        queryset = queryset.filter(begin__year=jaar)
    if zoek:
        pattern = accent_insensitive_pattern(zoek)
        parts = Programmaonderdeel.objects.filter(
            Q(titel__iregex=pattern) | Q(sprekers__iregex=pattern) | Q(beschrijving__iregex=pattern)
        )
        materials = Materiaal.objects.filter(Q(titel__iregex=pattern) | Q(tekst__iregex=pattern))
        # Subqueries, not joins: a meeting with several matching parts is listed once, and the
        # page still counts and fetches its meetings in one query each.
        queryset = queryset.filter(
            Q(titel__iregex=pattern)
            | Q(thema__iregex=pattern)
            | Q(beschrijving__iregex=pattern)
            | Q(verslag__iregex=pattern)
            | Q(pk__in=parts.values("bijeenkomst_id"))
            | Q(pk__in=materials.values("bijeenkomst_id"))
        )
    if open_voor_mij:
        now = timezone.now()
        queryset = queryset.filter(aanmelden_verplicht=True, geannuleerd=False).filter(
            Q(aanmelden_tot__isnull=True, begin__gt=now) | Q(aanmelden_tot__gt=now)
        )
    return queryset


def feed_meetings(queryset: QuerySet) -> QuerySet:
    """Meetings for a calendar feed: from a year back on (an event holds no organisers)."""
    since = timezone.now() - timedelta(days=365)
    return queryset.filter(begin__gte=since).order_by("begin", "id")


# --- A member's own registrations ---------------------------------------------------------


def _waiting_ahead() -> Subquery:
    """How many confirmed waiting registrations of the same meeting come before this one, in
    the waiting list's order (core first, then first come): the row's position minus one."""
    same_rank = Q(voorrang=OuterRef("voorrang")) & (
        Q(aangemeld_op__lt=OuterRef("aangemeld_op"))
        | Q(aangemeld_op=OuterRef("aangemeld_op"), id__lt=OuterRef("id"))
    )
    ahead = (
        Aanmelding.objects.filter(
            bijeenkomst=OuterRef("bijeenkomst"), status=Aanmelding.Status.WACHTLIJST, bevestigd=True
        )
        .filter(Q(voorrang__gt=OuterRef("voorrang")) | same_rank)
        .order_by()
        .values("bijeenkomst")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(ahead, output_field=IntegerField())


def with_waiting_position(queryset: QuerySet) -> QuerySet:
    """Annotate `wachtpositie`: 1 for the first on the waiting list, for waiting rows."""
    return queryset.annotate(wachtpositie=Coalesce(_waiting_ahead(), 0) + 1)


def member_registrations(lid) -> tuple[list[Aanmelding], list[Aanmelding]]:
    """A member's live and past registrations, upcoming first by date, past latest first.

    Cancelled registrations are left out; a cancelled meeting stays in, marked as such."""
    rows = list(
        with_waiting_position(
            Aanmelding.objects.filter(lid=lid, status__in=LIVE_STATUSES).select_related(
                "bijeenkomst"
            )
        ).order_by("bijeenkomst__begin", "bijeenkomst_id")
    )
    prefetch_related_objects([row.bijeenkomst for row in rows], _organisers())
    now = timezone.now()
    upcoming = [row for row in rows if row.bijeenkomst.einde >= now]
    past = [row for row in reversed(rows) if row.bijeenkomst.einde < now]
    return upcoming, past


class RegistrationMarks(dict):
    """Meeting id → the viewer's own live registration status, to mark them in any list.

    `key` varies a cached list with the marks it shows, so two members who share what they
    may see still get their own marks."""

    @property
    def key(self) -> str:
        return ",".join(f"{pk}:{status}" for pk, status in sorted(self.items()))


def registration_marks(user) -> RegistrationMarks:
    """One query for a member (none for a visitor): their live registrations by meeting."""
    if not user.is_authenticated:
        return RegistrationMarks()
    rows = Aanmelding.objects.filter(lid__user=user, status__in=LIVE_STATUSES).values_list(
        "bijeenkomst_id", "status"
    )
    return RegistrationMarks(rows)


def moved_meeting(user, slug: str) -> Bijeenkomst | None:
    """The meeting that `slug` named before it moved, if this user may see it (otherwise
    None, the same as for a slug that never existed)."""
    return visible_meetings(user).filter(vorige_slugs__slug=slug).only("slug").first()


# --- A network's page -----------------------------------------------------------------------

_ACTIVE = Q(lidmaatschappen__status=Lidmaatschap.Status.ACTIEF)


def networks_with_counts() -> QuerySet:
    """Networks with their umbrella and member counts per tier (counts only: no names)."""
    return Netwerk.objects.select_related("koepel").annotate(
        aantal_kern=Count(
            "lidmaatschappen", filter=_ACTIVE & Q(lidmaatschappen__schil=Lidmaatschap.Schil.KERN)
        ),
        aantal_betrokken=Count(
            "lidmaatschappen",
            filter=_ACTIVE & Q(lidmaatschappen__schil=Lidmaatschap.Schil.BETROKKEN),
        ),
    )


def network_for_page(slug: str, *, today: date) -> Netwerk | None:
    """A network with everything its page shows, including its current half-year programme
    (the published one for this half-year, or else the latest before it) as annotations."""
    half = 1 if today.month <= 6 else 2
    current = (
        Halfjaarprogramma.objects.published()
        .filter(netwerk=OuterRef("pk"))
        .filter(Q(jaar__lt=today.year) | Q(jaar=today.year, helft__lte=half))
        .order_by("-jaar", "-helft")
    )
    return (
        networks_with_counts()
        .filter(slug=slug)
        .annotate(
            programma_jaar=Subquery(current.values("jaar")[:1]),
            programma_helft=Subquery(current.values("helft")[:1]),
            programma_themas=Subquery(current.values("themas")[:1]),
        )
        .prefetch_related(
            "subregios",
            "partners",
            Prefetch("coordinators", queryset=get_user_model().objects.select_related("lid")),
        )
        .first()
    )
