"""Mails about memberships: decisions on join and tier requests, requests waiting for the
coordinators, and a departed member's networks.

Each function builds the mail's context and hands it to the outbox (`berichten.outbox`), inside
the caller's transaction; the outbox sends it once that commits. A mail to coordinators names
the network and the kind of request, never the member: who asks, and why, is personal data,
read in the admin behind the second factor.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from berichten.delivery import deliver
from berichten.outbox import Mail, Recipient, claim_mails, queue_mail, queue_mails
from netwerken.models import Netwerk
from portal.mail import render_mail

from .models import Lidmaatschap

MEMBERSHIP_MAILS = {"geaccepteerd", "afgewezen"}


def queue_membership_mail(lidmaatschap_id: int, kind: str, message: str = "") -> None:
    """Queue a mail about a join request: kind "geaccepteerd" or "afgewezen" (with message)."""
    if kind not in MEMBERSHIP_MAILS:
        raise ValueError(f"unknown membership mail: {kind}")
    lidmaatschap = Lidmaatschap.objects.select_related("lid__user", "netwerk").get(
        pk=lidmaatschap_id
    )
    queue_mail(
        kind=kind,
        to=lidmaatschap.lid.user.email,
        context={"lid": lidmaatschap.lid, "lidmaatschap": lidmaatschap, "bericht": message},
        # A declined member may ask again later: each request gets its own decision mail.
        key=f"lidmaatschap-{lidmaatschap.pk}-{int(lidmaatschap.aangevraagd_op.timestamp())}",
        lid_id=lidmaatschap.lid_id,
        language=lidmaatschap.lid.taal,
    )


def queue_request_mail(lidmaatschap_id: int, *, tier_move: bool) -> None:
    """Tell a network's coordinators that a join request (or a tier-move request) waits.

    One mail per coordinator per request, keyed on the moment it was asked."""
    lidmaatschap = Lidmaatschap.objects.select_related("netwerk").get(pk=lidmaatschap_id)
    asked = lidmaatschap.schil_gevraagd_op if tier_move else lidmaatschap.aangevraagd_op
    assert asked is not None  # a waiting request was asked at some moment
    coordinators = (
        lidmaatschap.netwerk.coordinators.filter(is_active=True)
        .order_by("email")
        .values_list("email", "lid__taal")
    )
    context = {
        "lidmaatschap": lidmaatschap,
        "schil_verzoek": tier_move,
        "beheer_url": settings.SITE_URL + reverse("admin:leden_lidmaatschap_changelist"),
    }
    queue_mails(
        kind="aanvraag",
        # Each coordinator in the language of their member profile (none: the site's).
        mails=[Mail(email, context, language=taal or "") for email, taal in coordinators],
        key=f"aanvraag-{lidmaatschap.pk}-{'schil' if tier_move else 'lid'}-{asked.timestamp():.0f}",
    )


def queue_tier_move_mail(
    lidmaatschap: Lidmaatschap, *, accepted: bool, schil: str, asked_at: datetime, message: str
) -> None:
    """Queue the coordinators' decision on a member's tier move. Keyed on the request, so one
    decision mail per request however often the task runs."""
    queue_mail(
        kind="schil_besluit",
        to=lidmaatschap.lid.user.email,
        context={
            "lid": lidmaatschap.lid,
            "lidmaatschap": lidmaatschap,
            "bericht": message,
            "geaccepteerd": accepted,
            "schil": schil,
        },
        key=f"schil-{lidmaatschap.pk}-{asked_at.timestamp():.6f}",
        lid_id=lidmaatschap.lid_id,
        language=lidmaatschap.lid.taal,
    )


def send_departure_mails(
    *, naam: str, coordinator_ids: list[int], netwerk_ids: list[int], vertrek: str
) -> int:
    """Tell each coordinator which of their networks a deleted member belonged to, once per
    departure (`vertrek`) however often the task runs; returns the number sent.

    Rendered and sent here, from the task's arguments, not stored: the member's name lives
    only in those arguments. The log rows hold the coordinator's address and the networks.
    """
    coordinators = get_user_model().objects.filter(pk__in=coordinator_ids, is_active=True)
    language_of = dict(coordinators.values_list("email", "lid__taal"))
    netwerken_of = {
        c.email: list(Netwerk.objects.filter(pk__in=netwerk_ids, coordinators=c).order_by("naam"))
        for c in coordinators
    }
    claimed = claim_mails(
        kind="lid_vertrokken",
        key=f"vertrek-{vertrek}",
        recipients=[
            Recipient(to=email, data={"netwerken": [n.pk for n in netwerken]})
            for email, netwerken in netwerken_of.items()
            if netwerken
        ],
    )
    messages = []
    for email, pk in sorted(claimed.items(), key=lambda item: item[1]):
        # In the coordinator's language (their member profile's), else the site's.
        with translation.override(language_of.get(email) or settings.LANGUAGE_CODE):
            context = {"naam": naam, "netwerken": [n.naam for n in netwerken_of[email]]}
            messages.append((pk, render_mail("lid_vertrokken", context, to=email)))
    return deliver(messages)
