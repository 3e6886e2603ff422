"""Who sees what of an action plan: the one place that answers it.

- the plan, its challenges, action points, statuses, progress and linked meetings are public
  (the network's page for everyone in the region);
- the names of the members who pull a point are seen by the active members of the plan's
  network (of any network under the umbrella, for an umbrella plan), its coordinators and
  umbrella staff, as the fellow-members rule of `leden.permissions` has it;
- any member with a profile may follow a point;
- coordinators edit their networks' plans in the admin (the scope of `netwerken.permissions`);
  umbrella plans are the umbrella staff's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leden.models import Lidmaatschap
from netwerken.permissions import coordinated_network_ids, is_portal_staff

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from leden.models import User
    from netwerken.models import Koepel, Netwerk


def can_see_pullers(
    user: User | AnonymousUser, *, netwerk: Netwerk | None = None, koepel: Koepel | None = None
) -> bool:
    """On a network's plans (`netwerk`) or an umbrella's (`koepel`). A fixed number of
    queries, none for visitors."""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_portal_staff(user):
        return True
    if netwerk is not None:
        networks: dict = {"netwerk_id": netwerk.pk}
        coordinates = coordinated_network_ids(user).filter(pk=netwerk.pk)
    elif koepel is not None:
        networks = {"netwerk__koepel_id": koepel.pk}
        coordinates = coordinated_network_ids(user).filter(koepel_id=koepel.pk)
    else:
        return False
    member = Lidmaatschap.objects.filter(
        lid__user=user, status=Lidmaatschap.Status.ACTIEF, **networks
    )
    return member.exists() or coordinates.exists()


def can_follow(user: User | AnonymousUser) -> bool:
    """A logged-in member (with a profile) may follow any action point."""
    return bool(user.is_authenticated and user.is_active and hasattr(user, "lid"))
