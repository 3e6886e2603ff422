"""What surveys hold on people, in the register of personal data (`portal.personal_data`),
and a member's part in the data download and erasure (`leden.privacy`).

Responses are anonymous: no account, name, IP address or user agent. What remains personal:
the open answers (free text someone may write about themselves or others), the confirmed
e-mail addresses of open one-per-person surveys, the note that a member has responded to a
members-only one-per-person survey, and the hash of the respondent's cookie token.
Imported at start-up by portal's autodiscovery.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from leden import privacy
from leden.models import Lid, User
from portal.personal_data import Action, Ground, Retention, declare

from .models import Antwoord, Deelname, Emailbevestiging, Vraag

BATCH = 2000


def _in_batches(queryset) -> int:
    """Delete the rows of `queryset` in batches; how many went."""
    total = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:BATCH])
        if not ids:
            return total
        total += (
            queryset.model.objects.filter(pk__in=ids).delete()[1].get(queryset.model._meta.label, 0)
        )


def _forget_confirmations(now: datetime) -> int:
    days = CONFIRMATIONS.days
    return _in_batches(
        Emailbevestiging.objects.filter(bevraging__sluit_op__lt=now - timedelta(days=days))
    )


def _forget_responded(now: datetime) -> int:
    days = RESPONDED.days
    return _in_batches(Deelname.objects.filter(bevraging__sluit_op__lt=now - timedelta(days=days)))


def _forget_open_answers(now: datetime) -> int:
    days = OPEN_ANSWERS.days
    return _in_batches(
        Antwoord.objects.filter(
            vraag__soort=Vraag.Soort.OPEN,
            vraag__bevraging__sluit_op__lt=now - timedelta(days=days),
        )
    )


CONFIRMATIONS = Retention(
    key="bevraging_emailbevestiging",
    default_days=30,
    starts=_("after the survey closes"),
    action=Action.DELETE,
    apply=_forget_confirmations,
)
RESPONDED = Retention(
    key="bevraging_deelname",
    default_days=30,
    starts=_("after the survey closes"),
    action=Action.DELETE,
    apply=_forget_responded,
)
OPEN_ANSWERS = Retention(
    key="bevraging_open_antwoorden",
    default_days=730,
    starts=_("after the survey closes"),
    action=Action.DELETE,
    apply=_forget_open_answers,
)

declare(
    "bevragingen.Emailbevestiging",
    fields=("email",),
    purpose=_("one response per person in an open survey, kept apart from the answers"),
    ground=Ground.CONSENT,
    seen_by=_("nobody in the portal; the mail log"),
    retention=CONFIRMATIONS,
)
declare(
    "bevragingen.Deelname",
    fields=("user",),
    purpose=_("one response per member in a members-only survey, kept apart from the answers"),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_("nobody in the portal; the member in their data download"),
    retention=RESPONDED,
)
declare(
    "bevragingen.Antwoord",
    fields=("tekst",),
    purpose=_("open answers to a survey, read and tagged by its coordinators"),
    ground=Ground.CONSENT,
    seen_by=_("the survey's coordinators and umbrella staff (results, export)"),
    retention=OPEN_ANSWERS,
)
declare(
    "bevragingen.Respons",
    fields=("sleutel_hash",),
    purpose=_("resuming a response on the same device (hash of a random cookie token)"),
    ground=Ground.CONSENT,
    seen_by=_("nobody"),
    kept=_("as long as the response"),
)


def _collect(lid: Lid) -> list[dict]:
    """The members-only surveys they have responded to (their answers are anonymous: not
    theirs to download, nobody's to find)."""
    return [
        {"soort": "bevraging", "titel": titel}
        for titel in Deelname.objects.filter(user=lid.user).values_list(
            "bevraging__titel", flat=True
        )
    ]


def _logged_objects(lid: Lid) -> dict:
    return {}


def _erase(user: User, lid: Lid | None) -> None:
    Deelname.objects.filter(user=user).delete()


def _narrowed(lid: Lid) -> None:
    return None  # a note that they responded says nothing more once they left


privacy.register(
    privacy.Holder(
        name="bevragingen",
        collect=_collect,
        logged_objects=_logged_objects,
        erase=_erase,
        narrowed=_narrowed,
    )
)
