"""Delivery: send what the outbox holds, each mail exactly once.

How a mail is sent exactly once: a `Verzending` row (status "queued") is the claim on one mail,
and the unique constraint stops a second claim for the same kind, recipient and key. Delivery
then sends each queued row in its own short transaction: one conditional UPDATE marks the row
sent and locks it (a second worker's UPDATE waits, then finds it no longer queued), send over
SMTP, commit. A worker killed before the commit leaves the row queued and unlocked, so a rerun
sends exactly the rest. The one window left is between the SMTP server accepting a mail and our
commit (milliseconds); there a kill means one duplicate, never a lost mail, and the fixed
Message-ID lets receiving servers drop it.

This module knows nothing of what a mail is about: the outbox worker sends the rows as they
were rendered when queued (`send_queued`), and a domain that renders at send time (the digest,
the departure mail) hands `deliver` its own messages for the rows it claimed.
"""

from __future__ import annotations

import base64
import logging
import smtplib
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Verzending

logger = logging.getLogger(__name__)

QUEUED, SENT, FAILED = Verzending.Status.QUEUED, Verzending.Status.SENT, Verzending.Status.FAILED
MAX_ATTEMPTS = 6
STALE_AFTER = timedelta(minutes=10)


class TemporaryMailError(Exception):
    """The SMTP server could not take the mail now; the task retries later."""


def is_permanent(exc: BaseException) -> bool:
    """5xx answers are permanent; connection trouble and 4xx answers are worth a retry."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return False


def message_id(verzending_id: int | str) -> str:
    """Fixed per mail, so a resend after a crash can be recognised as the same mail."""
    return f"<verzending-{verzending_id}@regionet>"


def deliver(messages: Sequence[tuple[int, Any]], *, connection=None) -> int:
    """Send each prepared mail whose row is still queued, over one SMTP connection.

    `messages`: (row id, mail) pairs; a mail is an EmailMessage or anything with its
    `connection`, `extra_headers` and `send()` (the digest's pre-encoded mails). Returns the
    number sent. Raises TemporaryMailError on a temporary SMTP failure (the rows not yet sent
    stay queued); permanent failures mark the row failed and go on.
    """
    if not messages:
        return 0
    sent = 0
    connection = connection or get_connection()
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 (any failure to connect is worth a retry)
        raise TemporaryMailError(str(exc)) from exc
    # One commit per mail: without waiting for the WAL flush each would cost an fsync. A
    # worker crash loses nothing this way; only a database crash could forget the last fraction
    # of a second of "sent" marks, and then those few mails go again (never none).
    _set_synchronous_commit(False)
    try:
        for pk, message in messages:
            try:
                if _send_one(pk, message, connection):
                    sent += 1
            except (smtplib.SMTPException, OSError) as exc:
                _record_attempt(pk, exc)
                raise TemporaryMailError(str(exc)) from exc
    finally:
        _set_synchronous_commit(True)
        try:
            connection.close()
        except Exception:  # noqa: BLE001 (a broken connection cannot be closed politely)
            logger.debug("closing the SMTP connection failed", exc_info=True)
    return sent


# Plain SQL: it runs once per mail, and building the ORM query cost more than the round trip.
# A mail stored rendered loses its text and HTML with the claim (they may hold a secret link);
# a temporary failure rolls that back with the claim, so a retry still has them.
_CLAIM_SQL = (
    f"UPDATE {Verzending._meta.db_table} SET status = %s, verzonden_op = %s,"
    " pogingen = pogingen + 1, tekst = '', html = '' WHERE id = %s AND status = %s"
)


def _send_one(pk: int, message, connection) -> bool:
    """Claim, send and mark one mail in one transaction; False if it was not ours to send.

    The conditional UPDATE is the claim: it marks the row sent and holds its lock until the
    commit, so a second worker's UPDATE waits, then finds the row no longer queued. A temporary
    SMTP error rolls the mark back; a worker killed before the commit leaves the row queued.
    """
    with transaction.atomic(), db_connection.cursor() as cursor:
        cursor.execute(_CLAIM_SQL, [SENT, timezone.now(), pk, QUEUED])
        if not cursor.rowcount:
            return False  # sent already, failed, or another worker just sent it
        message.connection = connection
        message.extra_headers.setdefault("Message-ID", message_id(pk))
        try:
            message.send(fail_silently=False)
        except Exception as exc:
            if not is_permanent(exc):
                raise
            Verzending.objects.filter(pk=pk).update(
                status=FAILED, verzonden_op=None, fout=str(exc)[:2000]
            )
            logger.warning("mail %s failed permanently: %s", pk, exc)
            return False
    return True


def _set_synchronous_commit(on: bool) -> None:
    if db_connection.vendor == "postgresql" and not db_connection.in_atomic_block:
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO " + ("DEFAULT" if on else "OFF"))


def _record_attempt(pk: int, exc: BaseException) -> None:
    """Count a temporary failure; after MAX_ATTEMPTS the mail is given up and marked failed."""
    Verzending.objects.filter(pk=pk, status=QUEUED).update(
        pogingen=F("pogingen") + 1, fout=str(exc)[:2000]
    )
    Verzending.objects.filter(pk=pk, status=QUEUED, pogingen__gte=MAX_ATTEMPTS).update(
        status=FAILED
    )


def stored_mail(row: Verzending) -> EmailMultiAlternatives:
    """The mail as it was rendered when queued, with its headers and attachments."""
    message = EmailMultiAlternatives(
        subject=row.onderwerp,
        body=row.tekst,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.ontvanger],
        headers={"Auto-Submitted": "auto-generated", **row.headers},
    )
    if row.html:
        message.attach_alternative(row.html, "text/html")
    for filename, content, mimetype in row.bijlagen:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


# Rows without a subject are claims only: their domain renders and sends them (see models).
def _outbox_rows():
    return Verzending.objects.filter(status=QUEUED).exclude(onderwerp="")


def send_queued(verzending_ids: Iterable[int]) -> int:
    """Send the queued mails with these ids as they were stored, over one connection."""
    rows = list(_outbox_rows().filter(pk__in=list(verzending_ids)).order_by("pk"))
    messages = []
    for row in rows:
        if not (row.tekst or row.html):  # sent or failed before, then queued again
            Verzending.objects.filter(pk=row.pk).update(status=FAILED, fout="no content")
            continue
        messages.append((row.pk, stored_mail(row)))
    return deliver(messages)


def retry_stale_mails(*, now: datetime | None = None) -> int:
    """Send queued mails whose task got lost (broker down at commit, worker killed)."""
    now = now or timezone.now()
    ids = list(
        _outbox_rows()
        .filter(aangemaakt_op__lt=now - STALE_AFTER)
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )
    sent = 0
    for start in range(0, len(ids), 100):
        sent += send_queued(ids[start : start + 100])
    return sent
