"""The outbox: the one way a domain app hands over a mail.

`queue_mail` (and `queue_mails`, one context per recipient) renders the templates
`templates/emails/<template>_subject.txt`, `.txt` and `.html` now, inside the caller's
transaction, and stores the result (with its headers and attachments) in a `Verzending` row;
the worker sends the row as it is once the transaction has committed. So a mail says what was
true when it was queued, and the worker needs no domain code. Each mail is rendered in its
recipient's language (`Mail.language`, which the domain's mails.py passes: a member's
`Lid.taal`), Dutch when it has none, whatever the language of the request that queued it.

A mail kind is a free label (the template name by default): adding one touches the domain
module that queues it and its three templates, nothing here. What makes a mail unique goes in
`key`: a second mail with the same kind, recipient and key is ignored (the unique constraint),
so a retried task, a double click or two beat ticks mail once.

A domain that renders at send time (the digest, the departure mail: what they hold must not
be stored) claims rows with `claim_mails` and hands its messages to `delivery.deliver`.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.html import strip_tags

from portal.mail import render_mail

from .models import Verzending
from .tasks import enqueue_sending

ACCOUNT = "account"  # allauth's mails (sign-up, password, address), rendered by allauth


@dataclass(frozen=True)
class Mail:
    """One mail to render: to whom, with what context, and what it is logged against."""

    to: str
    context: Mapping[str, Any]
    lid_id: int | None = None
    bijeenkomst_id: int | None = None
    attachments: Sequence[tuple[str, bytes, str]] = ()  # (filename, content, mimetype)
    headers: Mapping[str, str] | None = None
    language: str = ""  # the recipient's ("" for the site's: Dutch)


def language_of(mail: Mail) -> str:
    """The language `mail` is written in: its recipient's if the site has it, else Dutch."""
    known = {code for code, _name in settings.LANGUAGES}
    return mail.language if mail.language in known else settings.LANGUAGE_CODE


def _row(mail: Mail, *, kind: str, key: str, template: str) -> Verzending:
    # Rendered in the recipient's language, else the site's: never in the language of
    # whoever's request queued it (a coordinator's English admin must not mail members in
    # English). Dates and times follow that language's formats (config/formats).
    with translation.override(language_of(mail)):
        message = render_mail(
            template or kind,
            mail.context,
            to=mail.to,
            headers=mail.headers,
            attachments=mail.attachments,
        )
    return Verzending(
        ontvanger=mail.to,
        soort=kind,
        sleutel=key,
        lid_id=mail.lid_id,
        bijeenkomst_id=mail.bijeenkomst_id,
        onderwerp=message.subject[:255],
        tekst=str(message.body),  # text, as rendered (the stubs allow a lazy string)
        html=_html_of(message),
        headers=dict(message.extra_headers),
        bijlagen=[
            [filename, base64.b64encode(content).decode("ascii"), mimetype]
            for filename, content, mimetype in mail.attachments
        ],
    )


def _store(rows: list[Verzending], *, kind: str, key: str) -> list[tuple[int, str]]:
    """Insert the rows (a duplicate of an earlier claim is ignored); (id, address) of those
    still queued, in id order."""
    if not rows:
        return []
    if not key:  # nothing makes these unique: every row is a new mail
        return [(row.pk, row.ontvanger) for row in Verzending.objects.bulk_create(rows)]
    Verzending.objects.bulk_create(rows, ignore_conflicts=True)
    return list(
        Verzending.objects.filter(
            soort=kind,
            sleutel=key,
            ontvanger__in=[row.ontvanger for row in rows],
            status=Verzending.Status.QUEUED,
        )
        .order_by("pk")
        .values_list("pk", "ontvanger")
    )


@transaction.atomic
def store_mails(
    *, kind: str, mails: Iterable[Mail], key: str = "", template: str = ""
) -> list[int]:
    """Render and store these mails without handing them to the worker; the ids of the rows
    still queued. For a caller that sends them itself at once (a periodic task, with
    `delivery.send_queued`); others use `queue_mails` or `queue_mail`."""
    unique = {mail.to: mail for mail in mails if mail.to}  # anonymised rows have no address
    rows = [_row(mail, kind=kind, key=key, template=template) for mail in unique.values()]
    return [pk for pk, _address in _store(rows, kind=kind, key=key)]


@transaction.atomic
def queue_mails(
    *, kind: str, mails: Iterable[Mail], key: str = "", template: str = ""
) -> list[int]:
    """Render these mails (template `template`, default `kind`) and send them after the
    caller's transaction commits; the ids of the rows queued. `key`: what makes this mail
    unique for a recipient ("" for nothing: every call mails again)."""
    ids = store_mails(kind=kind, mails=mails, key=key, template=template)
    enqueue_sending(ids)
    return ids


def queue_mail(
    *,
    kind: str,
    to: str | Sequence[str],
    context: Mapping[str, Any],
    template: str = "",
    key: str = "",
    lid_id: int | None = None,
    bijeenkomst_id: int | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    headers: Mapping[str, str] | None = None,
    language: str = "",
) -> list[int]:
    """Queue the same mail to each address in `to` (see `queue_mails`).

    `lid_id` and `bijeenkomst_id` tie the log rows to a member (privacy download, erasure) and
    a meeting. `attachments`: (filename, content, mimetype). Empty addresses are skipped.
    `language`: the recipients' (default the site's).
    """
    addresses = [to] if isinstance(to, str) else list(to)
    mails = [
        Mail(a, context, lid_id, bijeenkomst_id, tuple(attachments), headers, language)
        for a in addresses
    ]
    return queue_mails(kind=kind, mails=mails, key=key, template=template)


def _html_of(message: EmailMessage) -> str:
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            return content
    return ""


@transaction.atomic
def queue_rendered_mail(
    *, message: EmailMessage, kind: str = ACCOUNT, lid_id: int | None = None
) -> list[int]:
    """Log a mail the caller has rendered, one row per recipient, and send it after commit.

    For mails that are complete when handed over (allauth's): the row keeps the subject, text,
    HTML and extra headers, and is sent as it is, with the same claim, retries and Message-ID
    as any other; its text and HTML are cleared once sent.
    """
    body = str(message.body)  # the stubs allow a lazy string here; a rendered mail has text
    text, html = body, _html_of(message)
    if message.content_subtype == "html":  # an HTML-only mail still gets a text part
        text, html = strip_tags(body), html or body
    subject = " ".join(str(message.subject).split())[:255]
    rows = Verzending.objects.bulk_create(
        Verzending(
            ontvanger=to,
            soort=kind,
            lid_id=lid_id,
            onderwerp=subject,
            tekst=text,
            html=html,
            headers=dict(message.extra_headers),
        )
        for to in message.to
    )
    ids = [row.pk for row in rows]
    enqueue_sending(ids)
    return ids


@dataclass(frozen=True)
class Recipient:
    """One address to claim a send-time rendered mail for."""

    to: str
    lid_id: int | None = None
    bijeenkomst_id: int | None = None
    data: dict = field(default_factory=dict)  # for the log: never personal data of others


@transaction.atomic
def claim_mails(*, kind: str, key: str, recipients: Iterable[Recipient]) -> dict[str, int]:
    """Claim one mail per recipient that its caller renders and sends itself (`deliver`).

    Returns {address: row id} for the claims still queued: new ones, and those a crashed or
    failed run left. The rows hold no content, so the outbox worker leaves them alone.
    """
    if not key:
        raise ValueError("a claimed mail needs a key: without one a rerun would mail again")
    rows = [
        Verzending(
            ontvanger=r.to,
            soort=kind,
            sleutel=key,
            lid_id=r.lid_id,
            bijeenkomst_id=r.bijeenkomst_id,
            gegevens=r.data,
        )
        for r in recipients
        if r.to
    ]
    return {address: pk for pk, address in _store(rows, kind=kind, key=key)}
