"""Mail services: the interface other apps call to queue mails.

Every function here must be called inside the transaction that made the change; the mail is
queued only after that transaction commits.
"""

from __future__ import annotations


def queue_registration_mail(aanmelding_id: int, kind: str) -> None:
    """Queue a mail about one registration.

    kind: "aangemeld" (confirmation, .ics attached), "wachtlijst" (placed on the waiting list),
    "doorgeschoven" (promoted from the waiting list), "gast_bevestigen" (guest double opt-in link).
    """


def queue_meeting_update_mails(bijeenkomst_id: int, kind: str) -> None:
    """Queue one mail per live registrant: kind "gewijzigd" (moved) or "geannuleerd"."""


def queue_membership_mail(lidmaatschap_id: int, kind: str, message: str = "") -> None:
    """Queue a mail about a join request: kind "geaccepteerd" or "afgewezen" (with message)."""
