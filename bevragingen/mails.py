"""Mails of surveys: the confirmation link of an open one-per-person survey.

The mail names the survey and carries the link; the address stays in the confirmation row
and the mail log, never with the answers.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from berichten.outbox import Mail, queue_mails

from .models import Bevraging


def queue_email_confirmation(
    bevraging: Bevraging, email: str, token: str, *, language: str = ""
) -> list[int]:
    """The link, in `language`: the page's, where the respondent asked for it (the only mail
    to this address, so the language need not be kept)."""
    url = settings.SITE_URL + reverse(
        "bevragingen:bevestigen", kwargs={"sleutel": bevraging.sleutel, "token": token}
    )
    return queue_mails(
        kind="bevraging_bevestigen",
        mails=[
            Mail(
                to=email,
                context={"bevraging": bevraging, "bevestig_url": url},
                language=language,
            )
        ],
    )
