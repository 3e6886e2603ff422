"""The committee's one mail: "there is a new report". No text, no number, no code, no date:
mail passes through servers outside the portal, and the mail log is seen by staff."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from berichten.outbox import Mail, queue_mails

from .permissions import committee_members


def queue_new_report_notice(*, key: str) -> list[int]:
    """Tell every committee member that something new waits for them. `key` makes the mail
    once per batch however often the task runs. Each in the member's language (`Lid.taal`)."""
    url = settings.SITE_URL + reverse("meldpunt:commissie")
    return queue_mails(
        kind="meldpunt_nieuw",
        key=key,
        mails=[
            Mail(to=email, context={"url": url}, language=taal or "")
            for email, taal in committee_members().values_list("email", "lid__taal")
        ],
    )
