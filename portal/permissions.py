"""Who may see what: the one place that answers it, for views, admin, feeds and exports.

Rules for meetings:
- staff (superusers and holders of `leden.alle_netwerken`) see everything;
- coordinators see every meeting of the networks they coordinate, drafts included;
- everybody else sees only published meetings (no programme, or a published one), and of those:
  open meetings always, meetings for members of any network when they are an active member of
  some network, meetings for an organising network's members when they are an active member of
  it, core-only meetings when they are an active core member of an organising network.

The second factor guards every elevated right. Staff and coordinators handle other people's
data, so their rights (all networks, a coordinator's networks, exports, the admin's scope,
drafts, fellow members' data) exist only once they have activated TOTP; until then they are
plain members here. Gating the rights themselves, rather than some views, covers every door
at once: pages, exports, feeds by token, mails, the admin and whatever is added later.
(allauth asks every login of a user with an authenticator for the code, so holding one means
the session passed the second step.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, Q, QuerySet

if TYPE_CHECKING:
    from bijeenkomsten.models import Bijeenkomst
    from leden.models import User


def is_portal_staff(user: User) -> bool:
    """Umbrella staff: all networks. Coordinators are Django staff too (to enter the admin),
    but see only their own networks, so `is_staff` alone is not enough. Without TOTP, no one
    is umbrella staff."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if not has_two_factor(user):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_regionet_all_networks", None)
    if cached is None:
        # One query, where has_perm() would take two (user and group permissions).
        from django.contrib.auth.models import Permission

        cached = Permission.objects.filter(
            Q(user=user) | Q(group__user=user),
            codename="alle_netwerken",
            content_type__app_label="leden",
        ).exists()
        user._regionet_all_networks = cached
    return cached


def _networks_coordinated_by(user: User) -> QuerySet:
    """Whom `user` is named coordinator of, whether or not the rights are in force yet."""
    from netwerken.models import Netwerk

    return Netwerk.objects.filter(coordinators=user)


def coordinated_network_ids(user: User) -> QuerySet:
    """The networks whose coordinator rights `user` holds now: none without TOTP. The
    condition is a subquery, so it costs no query of its own."""
    from allauth.mfa.models import Authenticator

    with_totp = Authenticator.objects.filter(user=user.pk, type=Authenticator.Type.TOTP)
    return _networks_coordinated_by(user).filter(Exists(with_totp)).values("pk")


def active_network_ids(user: User, *, schil: str | None = None) -> QuerySet:
    from leden.models import Lidmaatschap

    memberships = Lidmaatschap.objects.filter(lid__user=user, status=Lidmaatschap.Status.ACTIEF)
    if schil:
        memberships = memberships.filter(schil=schil)
    return memberships.values("netwerk_id")


def _meetings_of(network_ids: QuerySet) -> QuerySet:
    from bijeenkomsten.models import Bijeenkomst

    return Bijeenkomst.netwerken.through.objects.filter(netwerk_id__in=network_ids).values(
        "bijeenkomst_id"
    )


def visible_meetings_q(user: User) -> Q | None:
    """A filter for the meetings this user may see; None means all of them."""
    if is_portal_staff(user):
        return None
    published = Q(programma__isnull=True) | Q(programma__gepubliceerd=True)
    audience = Q(doelgroep="open")
    if not user.is_authenticated:
        return published & audience
    # "leden": anyone who is an active member of some network; "netwerk": the active members
    # of an organising network; "kern": its active core.
    audience |= Q(Exists(active_network_ids(user)), doelgroep="leden")
    audience |= Q(doelgroep="netwerk", pk__in=_meetings_of(active_network_ids(user)))
    audience |= Q(doelgroep="kern", pk__in=_meetings_of(active_network_ids(user, schil="kern")))
    return (published & audience) | Q(pk__in=_meetings_of(coordinated_network_ids(user)))


def visible_meetings(user: User, queryset: QuerySet | None = None) -> QuerySet:
    from bijeenkomsten.models import Bijeenkomst

    queryset = Bijeenkomst.objects.all() if queryset is None else queryset
    q = visible_meetings_q(user)
    return queryset if q is None else queryset.filter(q)


def can_view_meeting(user: User, bijeenkomst: Bijeenkomst) -> bool:
    return visible_meetings(user).filter(pk=bijeenkomst.pk).exists()


def can_view_programme(user: User, programma) -> bool:
    """Published programmes are public; drafts only for staff and the network's coordinators."""
    if programma.gepubliceerd or is_portal_staff(user):
        return True
    if not user.is_authenticated:
        return False
    return coordinated_network_ids(user).filter(pk=programma.netwerk_id).exists()


# --- Exports -------------------------------------------------------------------------------
# Umbrella staff who also hold `portal.export_all_networks` (superusers have both) export
# every network; coordinators export the networks they coordinate; nobody else exports.
# Bulk export of personal data is a right of its own, apart from seeing all networks.


def can_export_all_networks(user: User) -> bool:
    return is_portal_staff(user) and user.has_perm("portal.export_all_networks")


def exportable_network_ids(user: User) -> QuerySet | None:
    """The networks whose members this user may export; None means every network."""
    from netwerken.models import Netwerk

    if can_export_all_networks(user):
        return None
    if not (user.is_authenticated and user.is_active):
        return Netwerk.objects.none().values("pk")
    return coordinated_network_ids(user)


def can_export(user: User) -> bool:
    """May this user export anything at all (the export page, the admin actions)?"""
    ids = exportable_network_ids(user)
    return ids is None or ids.exists()


def can_export_network(user: User, netwerk_id: int) -> bool:
    """May this user export the members and meetings of network `netwerk_id`?"""
    ids = exportable_network_ids(user)
    return ids is None or ids.filter(pk=netwerk_id).exists()


# --- Admin scope (coordinators' admin) ---


def admin_network_scope(user: User) -> QuerySet | None:
    """The networks this user may manage in the admin, as a queryset of ids; None means all.

    Umbrella staff manage every network; anyone else manages the networks they coordinate
    (an empty result for staff users who coordinate nothing)."""
    if is_portal_staff(user):
        return None
    from netwerken.models import Netwerk

    if not user.is_authenticated:
        return Netwerk.objects.none().values_list("pk", flat=True)
    return coordinated_network_ids(user).values_list("pk", flat=True)


# --- Two-factor authentication ---


def needs_two_factor(user: User) -> bool:
    """Staff and coordinators handle other people's data: their rights wait for TOTP."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_staff or user.is_superuser or _networks_coordinated_by(user).exists()


def has_two_factor(user: User) -> bool:
    """Whether `user` has activated TOTP. A yes is cached on the user object (per request);
    a no is not, so activating it is seen at once."""
    if not user.is_authenticated:
        return False
    if getattr(user, "_regionet_two_factor", False):
        return True
    from allauth.mfa.models import Authenticator

    found = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    if found:
        user._regionet_two_factor = True
    return found


def lacks_two_factor(user: User) -> bool:
    """A staff member or coordinator whose rights wait for TOTP: views that need those rights
    send them to its activation instead of answering as for a plain member."""
    return needs_two_factor(user) and not has_two_factor(user)


# --- Members' personal data (names, photos) ---


def can_see_member(user: User, lid) -> bool:
    """The fellow-members rule for one member: the member themselves, staff, and the active
    members and coordinators of a network in which `lid` is an active member."""
    if not (user.is_authenticated and user.is_active):
        return False
    if lid.user_id == user.pk or is_portal_staff(user):
        return True
    from leden.models import Lidmaatschap

    shared = Q(netwerk_id__in=active_network_ids(user)) | Q(
        netwerk_id__in=coordinated_network_ids(user)
    )
    return Lidmaatschap.objects.filter(
        shared,
        lid=lid,
        status=Lidmaatschap.Status.ACTIEF,
    ).exists()
