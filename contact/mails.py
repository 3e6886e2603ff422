"""Who gets which contact mail, with which context."""

from __future__ import annotations

from berichten.outbox import Mail, queue_mails
from netwerken.models import Koepel, Netwerk

from .models import Contactbericht

KIND = "contactbericht"


def queue_contact_message(
    message: Contactbericht, *, to: list[str], netwerk: Netwerk | None, koepel: Koepel
) -> None:
    """One mail per recipient, keyed on the message: a retry mails nobody twice. Replying
    answers the sender (Reply-To), whose address is in no page."""
    context = {"bericht": message, "netwerk": netwerk, "koepel": koepel}
    queue_mails(
        kind=KIND,
        mails=[
            Mail(to=address, context=context, headers={"Reply-To": message.email}) for address in to
        ],
        key=f"contact-{message.pk}",
    )
