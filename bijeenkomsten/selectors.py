"""Reads of meetings that are more than a filter. Each returns a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from netwerken.models import Netwerk
from portal.permissions import visible_meetings

from .models import Bijeenkomst

TAKEN = Q(aanmeldingen__status__in=["aangemeld", "aanwezig"], aanmeldingen__bevestigd=True)


def with_listing_data(queryset: QuerySet) -> QuerySet:
    """What a meeting list shows: organisers and the number of places taken."""
    return queryset.annotate(bezet=Count("aanmeldingen", filter=TAKEN)).prefetch_related(
        Prefetch("netwerken", queryset=Netwerk.objects.select_related("koepel").order_by("naam"))
    )


def upcoming_meetings(user, *, netwerk: Netwerk | None = None) -> QuerySet:
    queryset = visible_meetings(user).filter(einde__gte=timezone.now())
    if netwerk is not None:
        queryset = queryset.filter(netwerken=netwerk)
    return with_listing_data(queryset.order_by("begin", "id"))


def past_meetings(user, *, netwerk: Netwerk | None = None) -> QuerySet:
    queryset = visible_meetings(user).filter(einde__lt=timezone.now())
    if netwerk is not None:
        queryset = queryset.filter(netwerken=netwerk)
    return with_listing_data(queryset.order_by("-begin", "-id"))


def meeting_for_page(user, slug: str) -> Bijeenkomst | None:
    """The meeting with its programme and materials, or None if this user may not see it."""
    return (
        with_listing_data(visible_meetings(user).filter(slug=slug))
        .select_related("programma__netwerk")
        .prefetch_related("onderdelen", "materialen")
        .first()
    )
