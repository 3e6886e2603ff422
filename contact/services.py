"""Sending a contact message: stored, and mailed through the outbox to whoever may answer it.

A network's message goes to its coordinators (and the network's own address, if any); a
network without any goes to the umbrella's staff, and the sender is told so. The sender gets
no copy by mail: the form would otherwise mail any address anyone types in. Replies go
straight to the sender (Reply-To).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerken.models import Koepel, Netwerk

from . import mails, selectors
from .models import Contactbericht


@transaction.atomic
def contact_message_send(
    *,
    netwerk_id: int | None = None,
    koepel_id: int | None = None,
    naam: str,
    email: str,
    bericht: str,
    wil_meedoen: bool = False,
    now: datetime | None = None,
) -> Contactbericht:
    """Store the message and queue one mail per recipient; raises ValidationError when
    nobody can receive it (nothing is stored then)."""
    now = now or timezone.now()
    if netwerk_id is not None:
        found = Netwerk.objects.select_related("koepel").get(pk=netwerk_id)
        netwerk: Netwerk | None = found
        koepel = found.koepel
    elif koepel_id is not None:
        netwerk, koepel = None, Koepel.objects.get(pk=koepel_id)
    else:
        raise ValueError("a contact message goes to a network or an umbrella")
    ontvangers = Contactbericht.Ontvangers.STAFF
    addresses: dict[str, str] = {}  # address: the language of its mail
    if netwerk is not None:
        addresses = selectors.coordinator_addresses(netwerk)
        if addresses:
            ontvangers = Contactbericht.Ontvangers.COORDINATORS
    if not addresses:
        addresses = selectors.staff_addresses()
    if not addresses:
        raise ValidationError(
            _("Nobody can receive messages here right now. Please try again later."),
            code="no_recipient",
        )
    message = Contactbericht(
        netwerk=netwerk,
        koepel=None if netwerk else koepel,
        naam=naam,
        email=email.strip(),
        bericht=bericht,
        wil_meedoen=wil_meedoen,
        ontvangers=ontvangers,
        aantal_ontvangers=len(addresses),
        verstuurd_op=now,
    )
    message.full_clean()
    message.save()
    mails.queue_contact_message(message, to=addresses, netwerk=netwerk, koepel=koepel)
    return message
