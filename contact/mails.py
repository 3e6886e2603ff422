"""Who gets which contact mail, with which context."""

from __future__ import annotations

from collections.abc import Mapping

from berichten.outbox import Mail, queue_mails
from netwerken.models import Koepel, Netwerk

from .models import Contactbericht

KIND = "contactbericht"


def queue_contact_message(
    message: Contactbericht, *, to: Mapping[str, str], netwerk: Netwerk | None, koepel: Koepel
) -> None:
    """One mail per recipient (`to`: address and the language of its mail), keyed on the
    message: a retry mails nobody twice. Replying answers the sender (Reply-To), whose address
    is in no page."""
    context = {"bericht": message, "netwerk": netwerk, "koepel": koepel}
    queue_mails(
        kind=KIND,
        mails=[
            Mail(
                to=address,
                context=context,
                headers={"Reply-To": message.email},
                language=language,
            )
            for address, language in to.items()
        ],
        key=f"contact-{message.pk}",
    )
