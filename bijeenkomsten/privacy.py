"""What the meetings hold on a member (their registrations), registered with `leden.privacy`
so the data download and account erasure cover it, and a member who sees less keeps no place
out of their sight. Imported at start-up by portal's autodiscovery."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.utils import timezone

from leden import privacy
from leden.models import Lid, User

from .models import Aanmelding
from .permissions import visible_meetings
from .services import registration_cancel


def _collect(lid: Lid) -> list[Mapping[str, Any]]:
    return list(
        Aanmelding.objects.filter(lid=lid).values(
            "bijeenkomst__titel", "bijeenkomst__begin", "status", "aangemeld_op"
        )
    )


def _logged_objects(lid: Lid) -> dict:
    return {Aanmelding: lid.aanmeldingen.values_list("pk", flat=True)}


def _erase(user: User, lid: Lid | None) -> None:
    """Places held for meetings still to come go to the waiting list; every registration
    stays, without name or address, so attendance figures stay right."""
    # Theirs too: what they did as a guest under the same address, before the account.
    theirs = Q(gast_email__iexact=user.email) | (Q(lid=lid) if lid is not None else Q())
    upcoming = Aanmelding.objects.cancellable().filter(
        theirs, bijeenkomst__begin__gt=timezone.now()
    )
    for aanmelding_id in upcoming.values_list("pk", flat=True):
        registration_cancel(aanmelding_id=aanmelding_id)
    Aanmelding.objects.filter(theirs).update(
        lid=None, gast_naam="", gast_email="", geanonimiseerd=True
    )


def _narrowed(lid: Lid) -> None:
    """A member who left a network, or its core, keeps no place at a meeting they may no
    longer see (they could not even cancel it there): it goes to the waiting list, and no
    reminder with the meeting's details or join link reaches them."""
    out_of_sight = (
        lid.aanmeldingen.cancellable()
        .filter(bijeenkomst__begin__gt=timezone.now())
        .exclude(bijeenkomst__in=visible_meetings(lid.user))
    )
    for aanmelding_id in out_of_sight.values_list("pk", flat=True):
        registration_cancel(aanmelding_id=aanmelding_id)


privacy.register(
    privacy.Holder(
        name="aanmeldingen",
        collect=_collect,
        logged_objects=_logged_objects,
        erase=_erase,
        narrowed=_narrowed,
    )
)
