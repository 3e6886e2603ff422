"""What the confidential channel holds, in the register of personal data (`portal.personal_data`).

Reports hold no account, no address, no IP, no browser data; their texts may still name
people (the reporter, the people they worry about), so they are declared. Closed reports are
erased after the period the committee sets on its page (`Instelling`; the declared default is
its starting value). The reading log names committee members; it is kept two years, so a
reading can be accounted for after the report itself is gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from portal.personal_data import Action, Ground, Retention, declare

from . import services
from .models import Instelling, Inzage

# The register takes str; a lazy translation is one once it is read (in the reader's language).


@dataclass(frozen=True)
class CommitteeRetention(Retention):
    """A period the committee sets on its page, not a setting: the register shows theirs."""

    @property
    def days(self) -> int:
        return Instelling.current().bewaartermijn_dagen


REPORTS = CommitteeRetention(
    key="meldpunt_gesloten",
    default_days=90,
    starts=_("after the report is closed (the committee sets the period)"),
    action=Action.DELETE,
    apply=services.reports_erase,
)


def _erase_old_readings(now: datetime) -> int:
    return Inzage.objects.filter(gelezen_op__lte=now - timedelta(days=READINGS.days)).delete()[0]


READINGS = Retention(
    key="meldpunt_inzage",
    default_days=730,
    starts=_("after the reading"),
    action=Action.DELETE,
    apply=_erase_old_readings,
)

_purpose = _("Investigating concerns about privacy and professional secrecy, confidentially")
_seen_by = _("the investigation committee only (encrypted; the reporter with their code)")

declare(
    "meldpunt.Melding",
    fields=("tekst_versleuteld",),
    purpose=_purpose,
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_seen_by,
    retention=REPORTS,
)
declare(
    "meldpunt.Bericht",
    fields=("tekst_versleuteld", "auteur"),
    purpose=_purpose,
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_seen_by,
    retention=REPORTS,
)
declare(
    "meldpunt.Inzage",
    fields=("gebruiker", "gelezen_op"),
    purpose=_("Accounting for every reading of a confidential report"),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_("the investigation committee"),
    retention=READINGS,
)
