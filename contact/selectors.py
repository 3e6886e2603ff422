"""Who receives a contact message: the addresses stay here and in the mail log, never on a
page."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from netwerken.models import Netwerk


def coordinator_addresses(netwerk: Netwerk) -> list[str]:
    """The active coordinators' addresses, and the network's own address if it has one."""
    addresses = list(
        netwerk.coordinators.filter(is_active=True).order_by("pk").values_list("email", flat=True)
    )
    if netwerk.contact_email:
        addresses.append(netwerk.contact_email)
    return sorted({a.strip().lower() for a in addresses if a})


def staff_addresses() -> list[str]:
    """Umbrella staff: superusers and holders of `leden.alle_netwerken`, active staff."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    perm = Q(user_permissions__codename="alle_netwerken") | Q(
        groups__permissions__codename="alle_netwerken"
    )
    addresses = users.filter(Q(is_superuser=True) | perm).values_list("email", flat=True)
    return sorted({a.strip().lower() for a in addresses if a})
