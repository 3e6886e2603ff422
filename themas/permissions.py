"""Who may see and take part in a theme round: the one place that answers it.

- the active members of the round's network, both tiers, see the round and take part;
- its coordinators (rights in force, i.e. with TOTP) and umbrella staff see it and steer it;
- nobody else sees it (visitors and members of other networks get a 404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leden.permissions import active_network_ids
from netwerken.permissions import coordinated_network_ids, is_portal_staff

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from leden.models import User
    from netwerken.models import Netwerk


def can_take_part(user: User | AnonymousUser, netwerk: Netwerk) -> bool:
    """Propose, support, vote: the network's active members (core and involved)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return active_network_ids(user).filter(netwerk_id=netwerk.pk).exists()


def can_steer(user: User | AnonymousUser, netwerk: Netwerk) -> bool:
    """Open, merge, close: the network's coordinators and umbrella staff."""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_portal_staff(user):
        return True
    return coordinated_network_ids(user).filter(pk=netwerk.pk).exists()


def can_view_rounds(user: User | AnonymousUser, netwerk: Netwerk) -> bool:
    return can_take_part(user, netwerk) or can_steer(user, netwerk)
