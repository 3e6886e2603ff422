"""Who may fill in, steer and read a survey: the one place that answers it.

- an open survey: anyone with the link; a members-only one: the network's active members;
- its results and open answers: the network's coordinators (rights in force, i.e. with TOTP)
  and umbrella staff; an umbrella's survey: staff only;
- published questions' results: everyone, on the network's page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from leden.permissions import active_network_ids
from netwerken.permissions import coordinated_network_ids, is_portal_staff

from .models import Bevraging

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from leden.models import User


def can_respond(user: User | AnonymousUser, bevraging: Bevraging) -> bool:
    if bevraging.doelgroep == Bevraging.Doelgroep.OPEN:
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return active_network_ids(user).filter(netwerk_id=bevraging.netwerk_id).exists()


def managed_surveys(user: User | AnonymousUser) -> QuerySet[Bevraging]:
    """The surveys whose results `user` may read, tag and export."""
    if not (user.is_authenticated and user.is_active):
        return Bevraging.objects.none()
    if is_portal_staff(user):
        return Bevraging.objects.all()
    return Bevraging.objects.filter(Q(netwerk__in=coordinated_network_ids(user)))


def can_manage(user: User | AnonymousUser, bevraging: Bevraging) -> bool:
    return managed_surveys(user).filter(pk=bevraging.pk).exists()
