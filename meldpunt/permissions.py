"""Who may read confidential reports: the investigation committee, and only it.

A committee member holds the permission `meldpunt.behandelen`, given to them or to their group
(the group "Onderzoekscommissie", made by a migration), and has activated TOTP, as staff must
(`netwerken.permissions`). The permission is looked up directly, not with `has_perm`, which
says yes to every superuser: superusers, staff and coordinators are not committee members
unless they are put in the group (an admin change the admin history records, and the
committee sees its own members listed on its page). Everyone else gets 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet

from netwerken.permissions import has_two_factor

if TYPE_CHECKING:
    from netwerken.permissions import Viewer

COMMITTEE_GROUP = "Onderzoekscommissie"
_ATTR = "_regionet_meldpunt_permission"


def committee_group() -> Group:
    """The committee's group with its permission (made by a migration; made again if gone)."""
    group, _ = Group.objects.get_or_create(name=COMMITTEE_GROUP)
    group.permissions.add(
        Permission.objects.get(codename="behandelen", content_type__app_label="meldpunt")
    )
    return group


def _holds_permission(user: Viewer) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    cached = getattr(user, _ATTR, None)
    if cached is None:
        cached = Permission.objects.filter(
            Q(user=user) | Q(group__user=user),
            codename="behandelen",
            content_type__app_label="meldpunt",
        ).exists()
        setattr(user, _ATTR, cached)
    return cached


def is_committee_member(user: Viewer) -> bool:
    """May read, answer, close reports and set the retention period: holds the permission and
    has passed the second factor."""
    return _holds_permission(user) and has_two_factor(user)


def committee_lacks_two_factor(user: Viewer) -> bool:
    """A committee member whose rights wait for TOTP (sent to its activation, not a 404)."""
    return _holds_permission(user) and not has_two_factor(user)


def committee_members() -> QuerySet:
    """Everyone who holds the right now (with TOTP), for the notification and the page."""
    perm = Q(user_permissions__codename="behandelen") & Q(
        user_permissions__content_type__app_label="meldpunt"
    )
    group = Q(groups__permissions__codename="behandelen") & Q(
        groups__permissions__content_type__app_label="meldpunt"
    )
    return (
        get_user_model()
        .objects.filter(perm | group, is_active=True, authenticator__type="totp")
        .distinct()
        .order_by("email")
    )
