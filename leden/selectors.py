"""Reads of members."""

from __future__ import annotations

from django.db.models import Exists, Q

from netwerken.models import Netwerk
from netwerken.permissions import coordinated_network_ids, is_portal_staff

from .models import Lid, Lidmaatschap
from .permissions import active_network_ids


def lid_for_user(user) -> Lid | None:
    """The member profile of a logged-in user, or None (visitors, accounts without profile)."""
    if not user.is_authenticated:
        return None
    try:
        return user.lid
    except Lid.DoesNotExist:
        return None


FELLOW_MEMBERS_SHOWN = 100


def fellow_members(user, netwerk: Netwerk, *, limit: int = FELLOW_MEMBERS_SHOWN) -> list:
    """Names of a network's active members, for its members, coordinators and staff only.

    The public sees counts only. Organisation and e-mail show where the member allowed it.
    At most `limit`, core first: the page states the totals.
    """
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
