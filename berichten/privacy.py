"""The mail log in the register of personal data, and its nightly forgetting.

After the period a mail's address, subject, bodies, data, headers, attachments and error go.
What exactly-once needs stays: the row, its kind and key, and in place of the address a keyed
hash of it, so the rows stay distinct under the unique constraint (kind, recipient, key). No
domain queues a key that old again (keys name a meeting's version, a reminder moment, a
digest period), so the claim keeps its meaning. Imported at start-up by portal's autodiscovery.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portal.personal_data import Action, Ground, Retention, declare, in_batches

from .models import Verzending

FORGOTTEN_DOMAIN = "@vergeten.invalid"  # no mail can go there (RFC 2606)


def pseudonym(address: str) -> str:
    """A keyed hash in place of an address: distinct addresses stay distinct, none can be
    read back (nor guessed from a list of addresses without the secret key)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), address.lower().encode(), hashlib.sha256)
    return digest.hexdigest()[:40] + FORGOTTEN_DOMAIN


def _forget(batch: QuerySet) -> int:
    rows = list(batch.only("pk", "ontvanger", "status"))
    for row in rows:
        row.ontvanger = pseudonym(row.ontvanger)
        row.lid_id = None
        row.onderwerp = row.tekst = row.html = row.fout = ""
        row.gegevens, row.headers, row.bijlagen = {}, {}, []
        if row.status == Verzending.Status.QUEUED:  # months old: it will never go now
            row.status = Verzending.Status.FAILED
    fields = ["ontvanger", "lid", "onderwerp", "tekst", "html", "fout", "gegevens", "headers"]
    Verzending.objects.bulk_update(rows, [*fields, "bijlagen", "status"])
    return len(rows)


def forget_mail_log(now: datetime) -> int:
    cutoff = now - timedelta(days=MAIL_LOG.days)
    expired = Verzending.objects.filter(aangemaakt_op__lt=cutoff).exclude(
        ontvanger__endswith=FORGOTTEN_DOMAIN
    )
    return in_batches(expired, _forget)


MAIL_LOG = Retention(
    "mail_log",
    90,
    starts=_("after the mail was sent"),
    action=Action.ANONYMISE,
    apply=forget_mail_log,
)

declare(
    "berichten.Verzending",
    fields=(
        "ontvanger",
        "lid",
        "onderwerp",
        "tekst",
        "html",
        "gegevens",
        "headers",
        "bijlagen",
        "fout",
    ),
    purpose=_(
        "Sending each mail exactly once, and answering questions about mails that did not arrive."
    ),
    ground=Ground.LEGITIMATE_INTEREST,
    seen_by=_("staff; the recipient in their data download"),
    retention=MAIL_LOG,
)
