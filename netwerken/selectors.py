"""Reads of networks."""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from leden.models import Lidmaatschap

from .models import Netwerk

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
    from django.contrib.auth import get_user_model

    from bijeenkomsten.models import Halfjaarprogramma

    half = 1 if today.month <= 6 else 2
    current = (
        Halfjaarprogramma.objects.filter(netwerk=OuterRef("pk"), gepubliceerd=True)
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
            "speerpunten",
            "partners",
            Prefetch("coordinators", queryset=get_user_model().objects.select_related("lid")),
        )
        .first()
    )


FELLOW_MEMBERS_SHOWN = 100


def fellow_members(user, netwerk: Netwerk, *, limit: int = FELLOW_MEMBERS_SHOWN) -> list:
    """Names of a network's active members, for its members, coordinators and staff only.

    The public sees counts only. Organisation and e-mail show where the member allowed it.
    At most `limit`, core first: the page states the totals.
    """
    from portal.permissions import active_network_ids, coordinated_network_ids, is_portal_staff

    if not user.is_authenticated:
        return []
    members = (
        Lidmaatschap.objects.filter(netwerk=netwerk, status=Lidmaatschap.Status.ACTIEF)
        .select_related("lid__user")
        .order_by("-schil", "lid__naam")  # "kern" sorts after "betrokken": core first
    )
    if not is_portal_staff(user):
        # The permission check rides along in the same query.
        members = members.filter(
            Exists(
                Netwerk.objects.filter(pk=netwerk.pk).filter(
                    Q(pk__in=active_network_ids(user)) | Q(pk__in=coordinated_network_ids(user))
                )
            )
        )
    return list(members[:limit])


def own_membership(user, netwerk: Netwerk) -> Lidmaatschap | None:
    """The viewer's own membership of `netwerk` (any status), to show where they stand."""
    if not user.is_authenticated:
        return None
    return Lidmaatschap.objects.filter(lid__user=user, netwerk=netwerk).first()
