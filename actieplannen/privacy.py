"""What action plans hold on people: declared in the register of personal data
(`portal.personal_data`), and the member's part (follows, pulling, notes written) registered
with `leden.privacy` for the data download and account erasure. Imported at start-up by
portal's autodiscovery."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from leden import privacy
from leden.models import Lid, Lidmaatschap, User
from portal.personal_data import Action, Ground, Retention, declare

from .models import Actiepunt, Volger, Voortgang, Wijziging

HISTORY_BATCH = 1000


def _forget_old_history(now: datetime) -> int:
    """Delete history entries older than the retention period, in batches."""
    cutoff = now - timedelta(days=HISTORY.days)
    removed = 0
    while True:
        batch = list(
            Wijziging.objects.filter(op__lt=cutoff).values_list("pk", flat=True)[:HISTORY_BATCH]
        )
        if not batch:
            return removed
        removed += Wijziging.objects.filter(pk__in=batch).delete()[0]


HISTORY = Retention(
    key="actieplannen_history",
    default_days=5 * 365,
    starts=_("after the change"),
    action=Action.DELETE,
    apply=_forget_old_history,
)

declare(
    "actieplannen.Voortgang",
    fields=("tekst", "auteur"),
    purpose=_("Showing the progress of a network's action plan on its public page."),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_("everyone (the action plan page is public); the author only by coordinators"),
    kept=_("as long as the action point exists"),
)
declare(
    "actieplannen.Actiepunt",
    fields=("trekkers",),
    purpose=_("Showing who pulls an action point, so members know whom to ask."),
    ground=Ground.AGREEMENT,
    seen_by=_("the active members of the network, its coordinators and umbrella staff"),
    kept=_("while the member pulls the point and is a member of the network"),
)
declare(
    "actieplannen.Volger",
    fields=("lid",),
    purpose=_("Sending a member the progress of the action points they follow."),
    ground=Ground.CONSENT,
    seen_by=_("the member themselves"),
    kept=_("until the member stops following the point or leaves"),
)
declare(
    "actieplannen.Wijziging",
    fields=("door", "velden"),
    purpose=_("Keeping a history of every change to the action plans (who changed what)."),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_("the network's coordinators and umbrella staff"),
    retention=HISTORY,
)


def _collect(lid: Lid) -> list[dict]:
    rows: list[dict] = []
    for titel, sinds in Volger.objects.filter(lid=lid).values_list("actiepunt__titel", "sinds"):
        rows.append({"soort": "volgt", "actiepunt": titel, "sinds": sinds.isoformat()})
    for titel in Actiepunt.objects.filter(trekkers=lid).values_list("titel", flat=True):
        rows.append({"soort": "trekt", "actiepunt": titel})
    for titel, datum, tekst in Voortgang.objects.filter(auteur=lid).values_list(
        "actiepunt__titel", "datum", "tekst"
    ):
        rows.append(
            {"soort": "voortgang", "actiepunt": titel, "datum": datum.isoformat(), "tekst": tekst}
        )
    return rows


def _logged_objects(lid: Lid) -> dict:
    return {}  # the admin names action points and notes by their title and date, never a member


def _erase(user: User, lid: Lid | None) -> None:
    """Follows and pulling go with the profile (their rows cascade); notes stay, without
    their author (SET_NULL), and so does the history, without who made it (SET_NULL)."""


def _narrowed(lid: Lid) -> None:
    """A member who left a network no longer pulls its points."""
    active = Lidmaatschap.objects.active().filter(lid=lid).values("netwerk_id")
    Actiepunt.trekkers.through.objects.filter(lid=lid).exclude(
        actiepunt__uitdaging__plan__netwerk_id__in=active
    ).exclude(actiepunt__uitdaging__plan__netwerk__isnull=True).delete()


privacy.register(
    privacy.Holder(
        name="actieplannen",
        collect=_collect,
        logged_objects=_logged_objects,
        erase=_erase,
        narrowed=_narrowed,
    )
)
