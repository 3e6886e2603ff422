"""Who receives a contact message: the addresses stay here and in the mail log, never on a
page."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from netwerken.models import Netwerk


def _by_address(rows) -> dict[str, str]:
    """{address: the language of its mails} from (address, Lid.taal) rows, in address order;
    an address without a profile ("" or None) gets the site's language."""
    found: dict[str, str] = {}
    for address, taal in rows:
        if address and address.strip():
            found.setdefault(address.strip().lower(), taal or "")
    return dict(sorted(found.items()))


def coordinator_addresses(netwerk: Netwerk) -> dict[str, str]:
    """The active coordinators' addresses, and the network's own address if it has one, each
    with the language its mails are written in (a coordinator's `Lid.taal`)."""
    rows = list(
        netwerk.coordinators.filter(is_active=True).order_by("pk").values_list("email", "lid__taal")
    )
    if netwerk.contact_email:
        rows.append((netwerk.contact_email, ""))
    return _by_address(rows)


def staff_addresses() -> dict[str, str]:
    """Umbrella staff: superusers and holders of `leden.alle_netwerken`, active staff; each
    with the language of their mails."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    perm = Q(user_permissions__codename="alle_netwerken") | Q(
        groups__permissions__codename="alle_netwerken"
    )
    return _by_address(
        users.filter(Q(is_superuser=True) | perm).order_by("pk").values_list("email", "lid__taal")
    )
