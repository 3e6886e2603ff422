"""Mails about registrations and meetings: who gets which mail, and what it says.

Each function builds the mail's context and hands it to the outbox (`berichten.outbox`), which
renders it now, inside the caller's transaction, and sends it once that commits. Call them from
the service that made the change. A guest has no account, so every mail to a guest carries
their own way out (a signed cancel link); a guest's first mail carries the confirmation link.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from berichten.outbox import Mail, queue_mails

from .ics import meeting_mail_calendar
from .models import Aanmelding, Bijeenkomst

GUEST_TOKEN_SALT = "bijeenkomsten.gast-bevestigen"
GUEST_CANCEL_SALT = "bijeenkomsten.gast-afmelden"

REGISTRATION_MAILS = {"aangemeld", "wachtlijst", "doorgeschoven", "gast_bevestigen"}
MEETING_MAILS = {"gewijzigd", "geannuleerd"}
# Mails about a registrant's own meeting that carry its calendar file.
CALENDAR_MAILS = {"aangemeld", "doorgeschoven", "gewijzigd", "geannuleerd"}


def guest_token(aanmelding: Aanmelding) -> str:
    """The token in a guest's confirmation link: the registration's id, signed and dated.

    It holds no address (links end up in logs, proxies and forwarded mails); the signature
    binds it to this registration, which keeps the address.
    """
    return signing.dumps(aanmelding.pk, salt=GUEST_TOKEN_SALT)


def guest_cancel_token(aanmelding: Aanmelding) -> str:
    """The token in the cancel link every mail to a guest carries: the signed id, no address,
    valid as long as the registration is (a guest has no account to cancel from)."""
    return signing.dumps(aanmelding.pk, salt=GUEST_CANCEL_SALT)


def _link(name: str, token: str) -> str:
    return settings.SITE_URL + reverse(name, kwargs={"token": token})


def registration_context(aanmelding: Aanmelding, bijeenkomst: Bijeenkomst) -> dict:
    """What every mail to one registrant shows: their name, the meeting, a guest's cancel link."""
    context = {
        "aanmelding": aanmelding,
        "bijeenkomst": bijeenkomst,
        "bijeenkomst_url": settings.SITE_URL + bijeenkomst.get_absolute_url(),
        "lid": aanmelding.lid,
        "naam": aanmelding.naam,
    }
    if aanmelding.lid_id is None:
        context["gast"] = True
        context["afmeld_url"] = _link("bijeenkomsten:gast_afmelden", guest_cancel_token(aanmelding))
    return context


def _registration_mail(
    aanmelding: Aanmelding, bijeenkomst: Bijeenkomst, kind: str, calendar
) -> Mail:
    context = registration_context(aanmelding, bijeenkomst)
    if kind == "gast_bevestigen":
        context["bevestig_url"] = _link("bijeenkomsten:gast_bevestigen", guest_token(aanmelding))
    return Mail(
        to=aanmelding.email,
        context=context,
        lid_id=aanmelding.lid_id,
        bijeenkomst_id=bijeenkomst.pk,
        attachments=[calendar] if kind in CALENDAR_MAILS else [],
        # A member's language, or the one a guest registered in.
        language=aanmelding.lid.taal if aanmelding.lid is not None else aanmelding.taal,
    )


def queue_registration_mail(aanmelding_id: int, kind: str, *, again: str = "") -> None:
    """Queue a mail about one registration.

    kind: "aangemeld" (confirmation, .ics attached), "wachtlijst" (placed on the waiting list),
    "doorgeschoven" (promoted from the waiting list), "gast_bevestigen" (guest double opt-in link).
    `again`: the same mail once more, once per distinct value (a guest who registers again gets
    it at most once a day).
    """
    if kind not in REGISTRATION_MAILS:
        raise ValueError(f"unknown registration mail: {kind}")
    aanmelding = Aanmelding.objects.select_related("lid__user", "bijeenkomst").get(pk=aanmelding_id)
    if not aanmelding.email:
        return  # anonymised
    bijeenkomst = aanmelding.bijeenkomst
    calendar = meeting_mail_calendar(bijeenkomst) if kind in CALENDAR_MAILS else None
    queue_mails(
        kind=kind,
        key=f"aanmelding-{aanmelding.pk}" + (f"-opnieuw-{again}" if again else ""),
        mails=[_registration_mail(aanmelding, bijeenkomst, kind, calendar)],
    )


def queue_meeting_update_mails(bijeenkomst_id: int, kind: str) -> None:
    """Queue one mail per live registrant: kind "gewijzigd" (moved) or "geannuleerd".

    Each carries the event as it now stands, or its cancellation: calendars filled from an
    earlier mail follow the change (same UID, higher SEQUENCE). One mail per meeting version.
    """
    if kind not in MEETING_MAILS:
        raise ValueError(f"unknown meeting mail: {kind}")
    bijeenkomst = Bijeenkomst.objects.get(pk=bijeenkomst_id)
    registrations = (
        bijeenkomst.aanmeldingen.cancellable()
        .filter(bevestigd=True)
        .select_related("lid__user")
        .order_by("pk")
    )
    calendar = meeting_mail_calendar(bijeenkomst)
    queue_mails(
        kind=kind,
        key=f"bijeenkomst-{bijeenkomst.pk}-v{bijeenkomst.sequence}",
        mails=[_registration_mail(a, bijeenkomst, kind, calendar) for a in registrations],
    )
