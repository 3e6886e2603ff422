"""Elevated rights: umbrella staff, coordinators (`Netwerk.coordinators`), and the second
factor that puts them in force. Read by the rules above (leden, bijeenkomsten), the admin's
scope and the second factor's door (`leden.two_factor`).

The second factor guards every elevated right. Staff and coordinators handle other people's
data, so their rights (all networks, a coordinator's networks, exports, the admin's scope,
drafts, fellow members' data) exist only once they have activated TOTP; until then they are
plain members here. Gating the rights themselves, rather than some views, covers every door
at once: pages, exports, feeds by token, mails, the admin and whatever is added later.
(allauth asks every login of a user with an authenticator for the code, so holding one means
the session passed the second step.)

The admin's scope is handed to `portal.adminscope` by `register_scope` below; portal finds
this module at start-up (see `portal.apps`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.db.models import Exists, Q, QuerySet

from portal import adminscope

from .models import Netwerk

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser, AnonymousUser

    # Who asks: `request.user`. The user model lives above this app (leden), so its base here.
    Viewer = AbstractUser | AnonymousUser

# Answers noted on the user object, so one request asks the database once.
_ALL_NETWORKS_ATTR = "_regionet_all_networks"
_TWO_FACTOR_ATTR = "_regionet_two_factor"


def is_portal_staff(user: Viewer) -> bool:
    """Umbrella staff: all networks. Coordinators are Django staff too (to enter the admin),
    but see only their own networks, so `is_staff` alone is not enough. Without TOTP, no one
    is umbrella staff."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if not has_two_factor(user):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, _ALL_NETWORKS_ATTR, None)
    if cached is None:
        # One query, where has_perm() would take two (user and group permissions).
        cached = Permission.objects.filter(
            Q(user=user) | Q(group__user=user),
            codename="alle_netwerken",
            content_type__app_label="leden",
        ).exists()
        setattr(user, _ALL_NETWORKS_ATTR, cached)
    return cached


def _networks_coordinated_by(user: Viewer) -> QuerySet:
    """Whom `user` is named coordinator of, whether or not the rights are in force yet."""
    if not user.is_authenticated:
        return Netwerk.objects.none()  # no pk (None would match networks without coordinators)
    return Netwerk.objects.filter(coordinators=user.pk)


def coordinated_network_ids(user: Viewer) -> QuerySet:
    """The networks whose coordinator rights `user` holds now: none without TOTP. The
    condition is a subquery, so it costs no query of its own."""
    with_totp = Authenticator.objects.filter(user=user.pk, type=Authenticator.Type.TOTP)
    return _networks_coordinated_by(user).filter(Exists(with_totp)).values("pk")


# --- Admin scope (coordinators' admin) ---


def admin_network_scope(user: Viewer) -> QuerySet | None:
    """The networks this user may manage in the admin, as a queryset of ids; None means all.

    Umbrella staff manage every network; anyone else manages the networks they coordinate
    (an empty result for staff users who coordinate nothing)."""
    if is_portal_staff(user):
        return None
    if not user.is_authenticated:
        return Netwerk.objects.none().values_list("pk", flat=True)
    return coordinated_network_ids(user).values_list("pk", flat=True)


adminscope.register_scope(admin_network_scope)


# --- Two-factor authentication ---


def needs_two_factor(user: Viewer) -> bool:
    """Staff and coordinators handle other people's data: their rights wait for TOTP."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_staff or user.is_superuser or _networks_coordinated_by(user).exists()


def has_two_factor(user: Viewer) -> bool:
    """Whether `user` has activated TOTP. A yes is cached on the user object (per request);
    a no is not, so activating it is seen at once."""
    if not user.is_authenticated:
        return False
    if getattr(user, _TWO_FACTOR_ATTR, False):
        return True
    found = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    if found:
        setattr(user, _TWO_FACTOR_ATTR, True)
    return found


def lacks_two_factor(user: Viewer) -> bool:
    """A staff member or coordinator whose rights wait for TOTP: views that need those rights
    send them to its activation instead of answering as for a plain member."""
    return needs_two_factor(user) and not has_two_factor(user)
