"""What attendance certificates hold on a member, in the register of personal data and with
`leden.privacy` (download and erasure). Imported at start-up by portal's autodiscovery.

The attendance itself is the registration (`bijeenkomsten.Aanmelding`, declared there): it is
kept while the member has an account, since they may want their certificates, and anonymised
when they erase it (bijeenkomsten' holder). A certificate is only a verification id on that
record; on erasure it goes, so its address no longer names anyone."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from leden import privacy
from leden.models import Lid, User
from portal.personal_data import Ground, declare

from .models import Deelnamebewijs

PURPOSE = _(
    "A certificate of attendance the member downloads for the professional register, and its "
    "verification address."
)
SEEN_BY = _("the member, and anyone the member gives the verification address")
KEPT = _(
    "as long as the member keeps their account, so they can still download and show their "
    "certificates; deleted when they erase it (the attendance is anonymised)"
)
declare(
    "deelname.Deelnamebewijs",
    fields=("code", "aanmelding"),
    purpose=PURPOSE,
    ground=Ground.AGREEMENT,
    seen_by=SEEN_BY,
    kept=KEPT,
)


def _collect(lid: Lid) -> list[dict]:
    return [
        {
            "bijeenkomst": titel,
            "datum": begin.isoformat(),
            "verificatie": settings.SITE_URL + reverse("deelname:verificatie", args=[code]),
            "uitgegeven": op.isoformat(),
        }
        for titel, begin, code, op in Deelnamebewijs.objects.filter(
            aanmelding__lid=lid
        ).values_list(
            "aanmelding__bijeenkomst__titel",
            "aanmelding__bijeenkomst__begin",
            "code",
            "aangemaakt_op",
        )
    ]


def _logged_objects(lid: Lid) -> dict:
    return {}  # certificates are not edited in the admin


def _erase(user: User, lid: Lid | None) -> None:
    """The member's certificates go. Their registrations may be anonymised already (the
    meetings' holder runs first), so every certificate whose record names nobody goes too."""
    if lid is not None:
        Deelnamebewijs.objects.filter(aanmelding__lid=lid).delete()
    Deelnamebewijs.objects.filter(aanmelding__lid__isnull=True).delete()


def _narrowed(lid: Lid) -> None:
    """Leaving a network takes nothing away: what one attended stays attended."""


privacy.register(
    privacy.Holder(
        name="deelnamebewijzen",
        collect=_collect,
        logged_objects=_logged_objects,
        erase=_erase,
        narrowed=_narrowed,
    )
)
