"""Who may see which meetings and programmes: the one place that answers it, for views,
feeds, mails and exports.

Rules for meetings:
- staff (superusers and holders of `leden.alle_netwerken`) see everything;
- coordinators see every meeting of the networks they coordinate, drafts included;
- everybody else sees only published meetings (no programme, or a published one), and of those:
  open meetings always, meetings for members of any network when they are an active member of
  some network, meetings for an organising network's members when they are an active member of
  it, core-only meetings when they are an active core member of an organising network.

Staff and coordinator rights count only with TOTP (see `netwerken.permissions`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, Q, QuerySet

from leden.models import Schil
from leden.permissions import active_network_ids
from netwerken.permissions import coordinated_network_ids, is_portal_staff

from .models import PUBLISHED, Bijeenkomst, Doelgroep

if TYPE_CHECKING:
    from leden.permissions import Viewer

    from .models import Halfjaarprogramma


def _meetings_of(network_ids: QuerySet) -> QuerySet:
    return Bijeenkomst.netwerken.through.objects.filter(netwerk_id__in=network_ids).values(
        "bijeenkomst_id"
    )


def visible_meetings_q(user: Viewer) -> Q | None:
    """A filter for the meetings this user may see; None means all of them."""
    if is_portal_staff(user):
        return None
    audience = Q(doelgroep=Doelgroep.OPEN)
    if not user.is_authenticated:
        return PUBLISHED & audience
    # LEDEN: anyone who is an active member of some network; NETWERK: the active members of
    # an organising network; KERN: its active core.
    audience |= Q(Exists(active_network_ids(user)), doelgroep=Doelgroep.LEDEN)
    audience |= Q(doelgroep=Doelgroep.NETWERK, pk__in=_meetings_of(active_network_ids(user)))
    core = active_network_ids(user, schil=Schil.KERN)
    audience |= Q(doelgroep=Doelgroep.KERN, pk__in=_meetings_of(core))
    return (PUBLISHED & audience) | Q(pk__in=_meetings_of(coordinated_network_ids(user)))


def visible_meetings(user: Viewer, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Bijeenkomst.objects.all() if queryset is None else queryset
    q = visible_meetings_q(user)
    return queryset if q is None else queryset.filter(q)


def can_view_meeting(user: Viewer, bijeenkomst: Bijeenkomst) -> bool:
    return visible_meetings(user).filter(pk=bijeenkomst.pk).exists()


def can_view_programme(user: Viewer, programma: Halfjaarprogramma) -> bool:
    """Published programmes are public; drafts only for staff and the network's coordinators."""
    if programma.gepubliceerd or is_portal_staff(user):
        return True
    if not user.is_authenticated:
        return False
    return coordinated_network_ids(user).filter(pk=programma.netwerk_id).exists()
