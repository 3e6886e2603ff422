"""Who may see members and export them: rules that read memberships (`Lidmaatschap`).

The page cache's audience (what decides which meetings and members a user sees) is written
here too, next to what it reads, and handed to `portal.pagecache` by `register_audience`
below; portal finds this module at start-up (see `portal.apps`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import CharField, Q, QuerySet, Value

from netwerken.models import Netwerk
from netwerken.permissions import coordinated_network_ids, is_portal_staff
from portal import pagecache

from .models import Lidmaatschap

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import Lid, User

    # Who asks: `request.user`, signed in or not.
    Viewer = User | AnonymousUser


def active_network_ids(user: User, *, schil: str | None = None) -> QuerySet:
    memberships = Lidmaatschap.objects.filter(lid__user=user, status=Lidmaatschap.Status.ACTIEF)
    if schil:
        memberships = memberships.filter(schil=schil)
    return memberships.values("netwerk_id")


# --- Members' personal data (names, photos) ---


def can_see_member(user: Viewer, lid: Lid) -> bool:
    """The fellow-members rule for one member: the member themselves, staff, and the active
    members and coordinators of a network in which `lid` is an active member."""
    if not (user.is_authenticated and user.is_active):
        return False
    if lid.user_id == user.pk or is_portal_staff(user):
        return True
    shared = Q(netwerk_id__in=active_network_ids(user)) | Q(
        netwerk_id__in=coordinated_network_ids(user)
    )
    return Lidmaatschap.objects.filter(
        shared,
        lid=lid,
        status=Lidmaatschap.Status.ACTIEF,
    ).exists()


# --- Exports -------------------------------------------------------------------------------
# Umbrella staff who also hold `portal.export_all_networks` (superusers have both) export
# every network; coordinators export the networks they coordinate; nobody else exports.
# Bulk export of personal data is a right of its own, apart from seeing all networks.


def can_export_all_networks(user: Viewer) -> bool:
    return is_portal_staff(user) and user.has_perm("portal.export_all_networks")


def exportable_network_ids(user: Viewer) -> QuerySet | None:
    """The networks whose members this user may export; None means every network."""
    if can_export_all_networks(user):
        return None
    if not (user.is_authenticated and user.is_active):
        return Netwerk.objects.none().values("pk")
    return coordinated_network_ids(user)


def can_export(user: Viewer) -> bool:
    """May this user export anything at all (the export page, the admin actions)?"""
    ids = exportable_network_ids(user)
    return ids is None or ids.exists()


# --- The page cache's audience ---


def page_audience(user: Viewer) -> str:
    """What decides which meetings and members this user sees, as a short string: their
    memberships with tier and status, the networks they coordinate, staff rights."""
    if not user.is_authenticated:
        return "anon"
    # Staff see every meeting, but their own memberships still show on pages (where they
    # stand in a network), so those are in the key too.
    staff = "staff|" if is_portal_staff(user) else ""
    rows = (
        Lidmaatschap.objects.filter(lid__user=user)
        .order_by()
        .values_list("netwerk_id", "schil", "status")
        .union(
            # Coordinator rights in force only (not without TOTP, see netwerken.permissions).
            Netwerk.objects.filter(pk__in=coordinated_network_ids(user))
            .order_by()
            .values_list("pk", Value("coordinator", CharField()), Value("", CharField()))
        )
    )
    return staff + (
        "|".join(sorted(f"{n}:{schil}:{status}" for n, schil, status in rows)) or "account"
    )


pagecache.register_audience(page_audience)
