"""Who may see what: the one place that answers it, for views, admin, feeds and exports.

Rules for meetings:
- staff see everything;
- coordinators see every meeting of the networks they coordinate, drafts included;
- everybody else sees only published meetings (no programme, or a published one), and of those:
  open meetings always, members-only meetings when they are an active member of any network,
  core-only meetings when they are an active core member of an organising network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, Q, QuerySet

if TYPE_CHECKING:
    from bijeenkomsten.models import Bijeenkomst
    from leden.models import User


def coordinated_network_ids(user: User) -> QuerySet:
    from netwerken.models import Netwerk

    return Netwerk.objects.filter(coordinators=user).values("pk")


def active_network_ids(user: User, *, schil: str | None = None) -> QuerySet:
    from leden.models import Lidmaatschap

    memberships = Lidmaatschap.objects.filter(lid__user=user, status=Lidmaatschap.Status.ACTIEF)
    if schil:
        memberships = memberships.filter(schil=schil)
    return memberships.values("netwerk_id")


def _meetings_of(network_ids: QuerySet) -> QuerySet:
    from bijeenkomsten.models import Bijeenkomst

    return Bijeenkomst.netwerken.through.objects.filter(netwerk_id__in=network_ids).values(
        "bijeenkomst_id"
    )


def visible_meetings_q(user: User) -> Q | None:
    """A filter for the meetings this user may see; None means all of them."""
    if user.is_authenticated and user.is_staff:
        return None
    published = Q(programma__isnull=True) | Q(programma__gepubliceerd=True)
    audience = Q(doelgroep="open")
    if not user.is_authenticated:
        return published & audience
    # Members-only meetings are for anyone who is an active member of some network.
    audience |= Q(Exists(active_network_ids(user)), doelgroep="leden")
    audience |= Q(doelgroep="kern", pk__in=_meetings_of(active_network_ids(user, schil="kern")))
    return (published & audience) | Q(pk__in=_meetings_of(coordinated_network_ids(user)))


def visible_meetings(user: User, queryset: QuerySet | None = None) -> QuerySet:
    from bijeenkomsten.models import Bijeenkomst

    queryset = Bijeenkomst.objects.all() if queryset is None else queryset
    q = visible_meetings_q(user)
    return queryset if q is None else queryset.filter(q)


def can_view_meeting(user: User, bijeenkomst: Bijeenkomst) -> bool:
    return visible_meetings(user).filter(pk=bijeenkomst.pk).exists()
