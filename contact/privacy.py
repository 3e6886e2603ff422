"""What contact messages hold on their senders, in the register of personal data, with the
step that deletes them when their period is over. Imported at start-up by portal's
autodiscovery."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from django.utils.translation import gettext_lazy

from portal.personal_data import Action, Ground, Retention, declare

from .models import Contactbericht

BATCH = 1000


def _(message: str) -> str:
    """gettext_lazy, typed as the register's fields are (str): translated when shown."""
    return cast(str, gettext_lazy(message))


def forget_old_messages(now: datetime) -> int:
    """Delete messages sent longer ago than the period (the mails themselves were sent, and
    the mail log clears their text once sent)."""
    cutoff = now - timedelta(days=MESSAGES.days)
    deleted = 0
    old = Contactbericht.objects.filter(verstuurd_op__lt=cutoff)
    while ids := list(old.values_list("pk", flat=True)[:BATCH]):
        Contactbericht.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    return deleted


MESSAGES = Retention(
    "contactberichten",
    180,
    starts=_("after the message was sent"),
    action=Action.DELETE,
    apply=forget_old_messages,
)

declare(
    "contact.Contactbericht",
    fields=("naam", "email", "bericht"),
    purpose=_(
        "Passing a visitor's question to a network's coordinators or the umbrella's staff, "
        "and seeing later what was asked."
    ),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_("The network's coordinators (their own network's messages) and umbrella staff."),
    retention=MESSAGES,
)
