"""What theme rounds hold on a member (proposals, support, comments, ballots, date-poll answers),
registered with `leden.privacy` so the data download and account erasure cover it. Imported
at start-up by portal's autodiscovery."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from leden import privacy
from leden.models import Lid, Lidmaatschap, User
from portal.personal_data import Ground, declare

from .models import Beschikbaarheid, Reactie, Stem, Stembiljet, Steun, Themavoorstel


def _collect(lid: Lid) -> list[dict]:
    """Their own proposals, support and approvals: theirs to see, nobody else's."""
    rows: list[dict] = []
    for titel, netwerk, jaar, helft in Themavoorstel.objects.filter(indiener=lid).values_list(
        "titel", "ronde__netwerk__naam", "ronde__jaar", "ronde__helft"
    ):
        rows.append({"soort": "voorstel", "titel": titel, "ronde": f"{netwerk} {helft}/{jaar}"})
    for titel, netwerk, jaar, helft in Steun.objects.filter(lid=lid).values_list(
        "voorstel__titel",
        "voorstel__ronde__netwerk__naam",
        "voorstel__ronde__jaar",
        "voorstel__ronde__helft",
    ):
        rows.append({"soort": "steun", "titel": titel, "ronde": f"{netwerk} {helft}/{jaar}"})
    for titel, tekst, op, netwerk, jaar, helft in Reactie.objects.filter(lid=lid).values_list(
        "voorstel__titel",
        "tekst",
        "aangemaakt_op",
        "voorstel__ronde__netwerk__naam",
        "voorstel__ronde__jaar",
        "voorstel__ronde__helft",
    ):
        rows.append(
            {
                "soort": "reactie",
                "titel": titel,
                "tekst": tekst,
                "geplaatst": op.isoformat(),
                "ronde": f"{netwerk} {helft}/{jaar}",
            }
        )
    for titel, netwerk, jaar, helft in Stem.objects.filter(biljet__lid=lid).values_list(
        "voorstel__titel",
        "biljet__ronde__netwerk__naam",
        "biljet__ronde__jaar",
        "biljet__ronde__helft",
    ):
        rows.append({"soort": "stem", "titel": titel, "ronde": f"{netwerk} {helft}/{jaar}"})
    for datum, antwoord, netwerk, jaar, helft in Beschikbaarheid.objects.filter(
        lid=lid
    ).values_list(
        "avond__datum",
        "antwoord",
        "avond__peiling__ronde__netwerk__naam",
        "avond__peiling__ronde__jaar",
        "avond__peiling__ronde__helft",
    ):
        rows.append(
            {
                "soort": "beschikbaarheid",
                "datum": datum.isoformat(),
                "antwoord": antwoord,
                "ronde": f"{netwerk} {helft}/{jaar}",
            }
        )
    return rows


def _logged_objects(lid: Lid) -> dict:
    return {}  # the admin names proposals by their title, never by the proposer


def _erase(user: User, lid: Lid | None) -> None:
    """Proposals stay, without their proposer; support, comments and ballots go with the
    profile (their foreign keys cascade)."""
    if lid is not None:
        Themavoorstel.objects.filter(indiener=lid).update(indiener=None)


def _narrowed(lid: Lid) -> None:
    """A member who left a network takes no further part in its running rounds: their
    support and ballot there go, and their answers to its undecided date polls. Closed rounds
    keep their result."""
    active = Lidmaatschap.objects.active().filter(lid=lid).values("netwerk_id")
    Stembiljet.objects.filter(lid=lid, ronde__gesloten_op__isnull=True).exclude(
        ronde__netwerk_id__in=active
    ).delete()
    Steun.objects.filter(lid=lid, voorstel__ronde__gesloten_op__isnull=True).exclude(
        voorstel__ronde__netwerk_id__in=active
    ).delete()
    Beschikbaarheid.objects.filter(lid=lid, avond__peiling__geaccepteerd_op__isnull=True).exclude(
        avond__peiling__ronde__netwerk_id__in=active
    ).delete()


privacy.register(
    privacy.Holder(
        name="themas",
        collect=_collect,
        logged_objects=_logged_objects,
        erase=_erase,
        narrowed=_narrowed,
    )
)


# --- The register of personal data (issue 19) -------------------------------------------

_ROUND_SEEN_BY = _("members of the network (names only of those still in it); coordinators")
_WHILE_MEMBER = _("as long as you have an account; deleted when you delete it")

declare(
    "themas.Themavoorstel",
    fields=("indiener", "waarom"),
    purpose=_("Theme proposals for a network's half-year programme, and who proposed them."),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_ROUND_SEEN_BY,
    kept=_("the proposal stays with its round; your name goes when you delete your account"),
)
declare(
    "themas.Reactie",
    fields=("lid", "tekst"),
    purpose=_("Your comments on theme proposals."),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_ROUND_SEEN_BY,
    kept=_WHILE_MEMBER,
)
declare(
    "themas.Steun",
    fields=("lid",),
    purpose=_("Your support for theme proposals."),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_("coordinators (counts only for members)"),
    kept=_WHILE_MEMBER,
)
declare(
    "themas.Stembiljet",
    fields=("lid",),
    purpose=_("Your ballot in a theme round."),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_("nobody but you (results are counts)"),
    kept=_WHILE_MEMBER,
)
declare(
    "themas.Beschikbaarheid",
    fields=("lid", "antwoord"),
    purpose=_("Your answers to a date poll, to plan the meetings."),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_("coordinators of the network"),
    kept=_WHILE_MEMBER,
)
