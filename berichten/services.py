"""Mail services: queuing, reminders, digests and digest consent.

How a mail is sent exactly once: a `Verzending` row (status "queued") is the claim on one mail,
and unique constraints stop a second claim for the same reminder or digest. Delivery then
sends each queued row in its own short transaction: one conditional UPDATE marks the row sent
and locks it (a second worker's UPDATE waits, then finds it no longer queued), send over SMTP,
commit. A worker killed before the commit leaves the row queued and unlocked, so a rerun sends
exactly the rest. The one window left is between the SMTP server accepting a mail and our
commit (milliseconds); there a kill means one duplicate, never a lost mail, and the fixed
Message-ID lets receiving servers drop it.

Every queue_* function must be called inside the transaction that made the change; the mail is
queued only after that transaction commits.
"""

from __future__ import annotations

import logging
import re
import secrets
import smtplib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext_lazy

from bijeenkomsten.models import Aanmelding, Bijeenkomst, Halfjaarprogramma, Materiaal
from leden.models import Lid, Lidmaatschap
from netwerken.models import Netwerk
from portal.mail import render_mail
from portal.queueing import enqueue_on_commit

from . import selectors
from .models import DIGEST, REMINDER, DigestToestemming, Mailvoorkeur, Verzending

logger = logging.getLogger(__name__)

TZ = ZoneInfo("Europe/Amsterdam")
QUEUED, SENT, FAILED = Verzending.Status.QUEUED, Verzending.Status.SENT, Verzending.Status.FAILED
MAX_ATTEMPTS = 6
BATCH_SIZE = 500
STALE_AFTER = timedelta(minutes=10)

# Reminder offsets (settings.BERICHTEN_HERINNERINGEN) and the digest morning
# (BERICHTEN_DIGEST_WEEKDAY, BERICHTEN_DIGEST_HOUR) are settings, read from the environment.
DIGEST_HORIZON = {"wekelijks": timedelta(days=14), "maandelijks": timedelta(days=42)}

UNSUBSCRIBE_SALT = "berichten.digest-afmelden"
CONFIRM_SALT = "berichten.digest-bevestigen"
CONFIRM_MAX_AGE = 7 * 24 * 3600

# Mails stored rendered when queued (queue_rendered_mail), sent as they are.
RENDERED_KINDS = {Verzending.Soort.ACCOUNT}

EVENT_KINDS = {
    "aangemeld",
    "wachtlijst",
    "doorgeschoven",
    "gast_bevestigen",
    "gewijzigd",
    "geannuleerd",
    "geaccepteerd",
    "afgewezen",
    "digest_bevestigen",
}


# Mails about a registrant's own meeting that carry its calendar file.
CALENDAR_MAILS = {"aangemeld", "doorgeschoven", "gewijzigd", "geannuleerd"}


class TemporaryMailError(Exception):
    """The SMTP server could not take the mail now; the task retries later."""


# --- Delivery -------------------------------------------------------------------------------


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


def deliver(messages: Sequence[tuple[int, EmailMessage]], *, connection=None) -> int:
    """Send each prepared mail whose row is still queued, over one SMTP connection.

    Returns the number sent. Raises TemporaryMailError on a temporary SMTP failure (the rows
    not yet sent stay queued); permanent failures mark the row failed and go on.
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


def _send_one(pk: int, message: EmailMessage, connection) -> bool:
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


# --- Transactional mails --------------------------------------------------------------------


def _claim(rows: list[Verzending], lookup: Q) -> list[int]:
    """Insert the claims (a duplicate is ignored); the ids of those still queued."""
    Verzending.objects.bulk_create(rows, ignore_conflicts=True)
    return list(
        Verzending.objects.filter(lookup, status=QUEUED).order_by("pk").values_list("pk", flat=True)
    )


def _queue_rows(rows: list[Verzending], lookup: Q) -> None:
    """Insert the claims and queue their delivery after commit."""
    _enqueue_ids(_claim(rows, lookup))


def _registration_rows(
    registrations: Iterable[Aanmelding],
    *,
    soort: str,
    bijeenkomst: Bijeenkomst,
    sleutel: str,
    gegevens: Callable[[Aanmelding], dict],
) -> list[Verzending]:
    """One claim per registration that still has an address (anonymised ones have none)."""
    return [
        Verzending(
            ontvanger=a.email,
            soort=soort,
            bijeenkomst=bijeenkomst,
            lid_id=a.lid_id,
            sleutel=sleutel,
            gegevens=gegevens(a),
        )
        for a in registrations
        if a.email
    ]


def _enqueue_ids(ids: list[int]) -> None:
    """Send these rows from the worker after commit. With the broker down they stay queued
    and `retry_stale_mails` sends them later: the page that queued them still answers."""
    from . import tasks

    for start in range(0, len(ids), 100):
        enqueue_on_commit(tasks.send_mails, ids[start : start + 100])


@transaction.atomic
def queue_rendered_mail(
    *, message: EmailMessage, soort: str = Verzending.Soort.ACCOUNT, lid: Lid | None = None
) -> list[int]:
    """Log a mail the caller has rendered, one row per recipient, and send it after commit.

    For mails that are complete when handed over (allauth's): the row keeps the subject, text
    and HTML, and is sent as it is, with the same claim, retries and Message-ID as any other;
    its text and HTML are cleared once sent. Attachments and extra headers are not kept.
    """
    text, html = message.body, ""
    if message.content_subtype == "html":  # an HTML-only mail still gets a text part
        text, html = strip_tags(message.body), message.body
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    subject = " ".join(str(message.subject).split())[:255]
    rows = Verzending.objects.bulk_create(
        Verzending(ontvanger=to, soort=soort, lid=lid, onderwerp=subject, tekst=text, html=html)
        for to in message.to
    )
    ids = [row.pk for row in rows]
    _enqueue_ids(ids)
    return ids


def queue_registration_mail(aanmelding_id: int, kind: str, *, again: str = "") -> None:
    """Queue a mail about one registration.

    kind: "aangemeld" (confirmation, .ics attached), "wachtlijst" (placed on the waiting list),
    "doorgeschoven" (promoted from the waiting list), "gast_bevestigen" (guest double opt-in link).
    `again`: the same mail once more, once per distinct value (a guest who registers again gets
    it at most once a day).
    """
    if kind not in {"aangemeld", "wachtlijst", "doorgeschoven", "gast_bevestigen"}:
        raise ValueError(f"unknown registration mail: {kind}")
    aanmelding = Aanmelding.objects.select_related("lid__user").get(pk=aanmelding_id)
    if not aanmelding.email:
        return  # anonymised
    sleutel = f"aanmelding-{aanmelding.pk}" + (f"-opnieuw-{again}" if again else "")
    row = Verzending(
        ontvanger=aanmelding.email,
        soort=kind,
        bijeenkomst_id=aanmelding.bijeenkomst_id,
        lid_id=aanmelding.lid_id,
        sleutel=sleutel,
        gegevens={"aanmelding": aanmelding.pk},
    )
    _queue_rows([row], Q(soort=kind, ontvanger=aanmelding.email, sleutel=sleutel))


def queue_meeting_update_mails(bijeenkomst_id: int, kind: str) -> None:
    """Queue one mail per live registrant: kind "gewijzigd" (moved) or "geannuleerd"."""
    if kind not in {"gewijzigd", "geannuleerd"}:
        raise ValueError(f"unknown meeting mail: {kind}")
    bijeenkomst = Bijeenkomst.objects.get(pk=bijeenkomst_id)
    sleutel = f"bijeenkomst-{bijeenkomst.pk}-v{bijeenkomst.sequence}"
    registrations = (
        bijeenkomst.aanmeldingen.filter(status__in=["aangemeld", "wachtlijst"], bevestigd=True)
        .select_related("lid__user")
        .order_by("pk")
    )
    rows = _registration_rows(
        registrations,
        soort=kind,
        bijeenkomst=bijeenkomst,
        sleutel=sleutel,
        gegevens=lambda a: {"aanmelding": a.pk},
    )
    _queue_rows(rows, Q(soort=kind, sleutel=sleutel))


def queue_membership_mail(lidmaatschap_id: int, kind: str, message: str = "") -> None:
    """Queue a mail about a join request: kind "geaccepteerd" or "afgewezen" (with message)."""
    if kind not in {"geaccepteerd", "afgewezen"}:
        raise ValueError(f"unknown membership mail: {kind}")
    lidmaatschap = Lidmaatschap.objects.select_related("lid__user").get(pk=lidmaatschap_id)
    email = lidmaatschap.lid.user.email
    # A declined member may ask again later: each request gets its own decision mail.
    sleutel = f"lidmaatschap-{lidmaatschap.pk}-{int(lidmaatschap.aangevraagd_op.timestamp())}"
    row = Verzending(
        ontvanger=email,
        soort=kind,
        lid_id=lidmaatschap.lid_id,
        sleutel=sleutel,
        gegevens={"lidmaatschap": lidmaatschap.pk, "bericht": message},
    )
    _queue_rows([row], Q(soort=kind, ontvanger=email, sleutel=sleutel))


def queue_request_mail(lidmaatschap_id: int, *, tier_move: bool) -> None:
    """Tell a network's coordinators that a join request (or a tier-move request) waits.

    The mail names the network and the kind of request, not the member: who asks, and why,
    is personal data, read in the admin behind the second factor. One mail per coordinator
    per request, keyed on the moment it was asked."""
    lidmaatschap = Lidmaatschap.objects.select_related("netwerk").get(pk=lidmaatschap_id)
    asked = lidmaatschap.schil_gevraagd_op if tier_move else lidmaatschap.aangevraagd_op
    sleutel = (
        f"aanvraag-{lidmaatschap.pk}-{'schil' if tier_move else 'lid'}-{asked.timestamp():.0f}"
    )
    rows = [
        Verzending(
            ontvanger=email,
            soort=Verzending.Soort.AANVRAAG,
            sleutel=sleutel,
            gegevens={"lidmaatschap": lidmaatschap.pk, "schil_verzoek": tier_move},
        )
        for email in lidmaatschap.netwerk.coordinators.filter(is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    ]
    _queue_rows(rows, Q(soort=Verzending.Soort.AANVRAAG, sleutel=sleutel))


def queue_tier_move_mail(
    lidmaatschap: Lidmaatschap, *, accepted: bool, schil: str, asked_at: datetime, message: str
) -> None:
    """Queue the coordinators' decision on a member's tier move. Keyed on the request, so one
    decision mail per request however often the task runs."""
    email = lidmaatschap.lid.user.email
    sleutel = f"schil-{lidmaatschap.pk}-{asked_at.timestamp():.6f}"
    row = Verzending(
        ontvanger=email,
        soort=Verzending.Soort.SCHIL_BESLUIT,
        lid_id=lidmaatschap.lid_id,
        sleutel=sleutel,
        gegevens={
            "lidmaatschap": lidmaatschap.pk,
            "bericht": message,
            "geaccepteerd": accepted,
            "schil": schil,
        },
    )
    _queue_rows([row], Q(soort=row.soort, ontvanger=email, sleutel=sleutel))


def send_departure_mails(
    *, naam: str, coordinator_ids: list[int], netwerk_ids: list[int], vertrek: str
) -> int:
    """Tell each coordinator which of their networks a deleted member belonged to, once per
    departure (`vertrek`) however often the task runs. The name lives only in the task's
    arguments: the log rows hold the coordinator's address and the networks, not the name."""
    from django.contrib.auth import get_user_model

    coordinators = get_user_model().objects.filter(pk__in=coordinator_ids, is_active=True)
    netwerken_of = {
        c.pk: list(Netwerk.objects.filter(pk__in=netwerk_ids, coordinators=c).order_by("naam"))
        for c in coordinators
    }
    rows = [
        Verzending(
            ontvanger=c.email,
            soort=Verzending.Soort.LID_VERTROKKEN,
            sleutel=f"vertrek-{vertrek}",
            gegevens={"netwerken": [n.pk for n in netwerken_of[c.pk]]},
        )
        for c in coordinators
        if netwerken_of[c.pk]
    ]
    lookup = Q(soort=Verzending.Soort.LID_VERTROKKEN, sleutel=f"vertrek-{vertrek}")
    queued = Verzending.objects.filter(pk__in=_claim(rows, lookup))
    by_address = {c.email: netwerken_of[c.pk] for c in coordinators}
    messages = [
        (
            row.pk,
            render_mail(
                "lid_vertrokken",
                {"naam": naam, "netwerken": [n.naam for n in by_address.get(row.ontvanger, [])]},
                to=row.ontvanger,
            ),
        )
        for row in queued.order_by("pk")
    ]
    return deliver(messages)


# Built from the task's arguments only (they hold the name), never from the row.
_NOT_FROM_THE_ROW = [DIGEST, Verzending.Soort.LID_VERTROKKEN]


def send_queued(verzending_ids: Iterable[int]) -> int:
    """Build and send the queued mails with these ids (not digests), over one connection."""
    rows = list(
        Verzending.objects.filter(pk__in=list(verzending_ids), status=QUEUED)
        .exclude(soort__in=_NOT_FROM_THE_ROW)
        .select_related("bijeenkomst", "lid")
        .order_by("pk")
    )
    if not rows:
        return 0
    aanmeldingen = Aanmelding.objects.select_related("lid__user", "bijeenkomst").in_bulk(
        [r.gegevens["aanmelding"] for r in rows if "aanmelding" in r.gegevens]
    )
    lidmaatschappen = Lidmaatschap.objects.select_related("lid", "netwerk").in_bulk(
        [r.gegevens["lidmaatschap"] for r in rows if "lidmaatschap" in r.gegevens]
    )
    toestemmingen = DigestToestemming.objects.select_related("lid").in_bulk(
        [r.gegevens["toestemming"] for r in rows if "toestemming" in r.gegevens]
    )
    messages = []
    for row in rows:
        if row.soort in RENDERED_KINDS:
            if not (row.tekst or row.html):  # sent or failed before, then queued again
                Verzending.objects.filter(pk=row.pk).update(status=FAILED, fout="no content")
                continue
            messages.append((row.pk, _stored_mail(row)))
            continue
        context = {"verzending": row, "bijeenkomst": row.bijeenkomst, "lid": row.lid}
        attachments: list[tuple[str, bytes, str]] = []
        if "aanmelding" in row.gegevens:
            aanmelding = aanmeldingen.get(row.gegevens["aanmelding"])
            if aanmelding is None:
                Verzending.objects.filter(pk=row.pk).update(status=FAILED, fout="gone")
                continue
            context["aanmelding"] = aanmelding
            context["naam"] = aanmelding.naam
            if aanmelding.lid_id is None:
                # A guest has no profile: every mail carries their own way out.
                from bijeenkomsten.services import guest_cancel_token

                context["gast"] = True
                context["afmeld_url"] = settings.SITE_URL + reverse(
                    "bijeenkomsten:gast_afmelden", kwargs={"token": guest_cancel_token(aanmelding)}
                )
            if row.soort in CALENDAR_MAILS:
                # The event as it now stands, or its cancellation: calendars filled from an
                # earlier mail follow the change (same UID, higher SEQUENCE).
                from bijeenkomsten.ics import meeting_mail_calendar

                attachments.append(meeting_mail_calendar(row.bijeenkomst))
            if row.soort == "gast_bevestigen":
                from bijeenkomsten.services import guest_token

                context["bevestig_url"] = settings.SITE_URL + reverse(
                    "bijeenkomsten:gast_bevestigen", kwargs={"token": guest_token(aanmelding)}
                )
        if "lidmaatschap" in row.gegevens:
            context["lidmaatschap"] = lidmaatschappen.get(row.gegevens["lidmaatschap"])
            context["bericht"] = row.gegevens.get("bericht", "")
            context["geaccepteerd"] = row.gegevens.get("geaccepteerd")
            context["schil"] = row.gegevens.get("schil", "")
            if row.soort == Verzending.Soort.AANVRAAG:
                context["schil_verzoek"] = row.gegevens.get("schil_verzoek", False)
                context["beheer_url"] = settings.SITE_URL + reverse(
                    "admin:leden_lidmaatschap_changelist"
                )
        if "toestemming" in row.gegevens:
            toestemming = toestemmingen.get(row.gegevens["toestemming"])
            context["toestemming"] = toestemming
            context["bevestig_url"] = settings.SITE_URL + reverse(
                "berichten:digest_bevestigen",
                kwargs={
                    "token": signing.TimestampSigner(salt=CONFIRM_SALT).sign(
                        toestemming.sleutel.hex
                    )
                },
            )
        if row.soort == REMINDER:
            context["uitnodiging"] = row.gegevens.get("uitnodiging", False)
            context["wanneer"] = row.gegevens.get("wanneer", "")
            context["naam"] = row.gegevens.get("naam", "")
        if row.bijeenkomst is not None:
            context["bijeenkomst_url"] = settings.SITE_URL + row.bijeenkomst.get_absolute_url()
        messages.append(
            (row.pk, render_mail(row.soort, context, to=row.ontvanger, attachments=attachments))
        )
    return deliver(messages)


def _stored_mail(row: Verzending) -> EmailMultiAlternatives:
    """The mail as it was rendered when queued."""
    message = EmailMultiAlternatives(
        subject=row.onderwerp,
        body=row.tekst,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.ontvanger],
        headers={"Auto-Submitted": "auto-generated"},
    )
    if row.html:
        message.attach_alternative(row.html, "text/html")
    return message


def retry_stale_mails(*, now: datetime | None = None) -> int:
    """Send queued mails whose task got lost (broker down at commit, worker killed)."""
    now = now or timezone.now()
    ids = list(
        Verzending.objects.filter(status=QUEUED, aangemaakt_op__lt=now - STALE_AFTER)
        .exclude(soort__in=_NOT_FROM_THE_ROW)
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )
    sent = 0
    for start in range(0, len(ids), 100):
        sent += send_queued(ids[start : start + 100])
    return sent


# --- Reminders ------------------------------------------------------------------------------


def _parse_offset(label: str) -> timedelta:
    match = re.fullmatch(r"(\d+)([dhm])", label)
    if not match:
        raise ValueError(f"reminder offset must look like 7d, 1h or 30m: {label!r}")
    unit = {"d": "days", "h": "hours", "m": "minutes"}[match[2]]
    return timedelta(**{unit: int(match[1])})


def reminder_offsets(bijeenkomst: Bijeenkomst) -> list[tuple[str, timedelta]]:
    """The reminder moments for this meeting, furthest first, as (label, time before start)."""
    config = settings.BERICHTEN_HERINNERINGEN
    online = bijeenkomst.soort == Bijeenkomst.Soort.ONLINE or bijeenkomst.is_online
    key = "online" if online and "online" in config else bijeenkomst.soort
    labels = config.get(key, config["default"])
    return sorted(((label, _parse_offset(label)) for label in labels), key=lambda o: -o[1])


def _max_offset() -> timedelta:
    config = settings.BERICHTEN_HERINNERINGEN
    return max(_parse_offset(label) for labels in config.values() for label in labels)


PUBLISHED = Q(programma__isnull=True) | Q(programma__gepubliceerd=True)


def _reminder_rows(
    bijeenkomst: Bijeenkomst, sleutel: str, *, registered_before: datetime | None
) -> list[Verzending]:
    """Claims for everyone who should get this reminder (four queries at most).

    Guests always get it; members unless they switched reminders off for the meeting's
    networks (or, without a choice there, in their profile).
    """
    wanneer = timezone.localtime(bijeenkomst.begin, TZ).strftime("%d-%m-%Y %H:%M")
    organisers = list(bijeenkomst.netwerken.values_list("pk", flat=True))
    registrations = bijeenkomst.aanmeldingen.filter(
        status="aangemeld", bevestigd=True
    ).select_related("lid__user")
    if registered_before is not None:
        registrations = registrations.filter(aangemeld_op__lte=registered_before)
    registrations = list(registrations)
    rows = _registration_rows(
        registrations,
        soort=REMINDER,
        bijeenkomst=bijeenkomst,
        sleutel=sleutel,
        gegevens=lambda a: {"wanneer": wanneer, "naam": a.naam, "aanmelding": a.pk},
    )
    core: list[Lid] = []
    if bijeenkomst.doelgroep == Bijeenkomst.Doelgroep.KERN:
        # Core-only: every active core member is asked to register or send apologies. Anyone
        # with a registration of any status (also a cancelled one: apologies sent) is left out.
        core = list(
            Lid.objects.filter(
                lidmaatschappen__status=Lidmaatschap.Status.ACTIEF,
                lidmaatschappen__schil=Lidmaatschap.Schil.KERN,
                lidmaatschappen__netwerk__in=organisers,
            )
            .exclude(Exists(Aanmelding.objects.filter(bijeenkomst=bijeenkomst, lid=OuterRef("pk"))))
            .select_related("user")
            .distinct()
        )
        rows += [
            Verzending(
                ontvanger=lid.user.email,
                soort=REMINDER,
                bijeenkomst=bijeenkomst,
                lid=lid,
                sleutel=sleutel,
                gegevens={"wanneer": wanneer, "naam": lid.naam, "uitnodiging": True},
            )
            for lid in core
        ]
    members = [a.lid for a in registrations if a.lid is not None] + core
    wanted = selectors.reminder_choices(members, organisers)
    return [row for row in rows if row.lid_id is None or row.lid_id in wanted]


def _reminder_lookup(bijeenkomst: Bijeenkomst, sleutel: str) -> Q:
    return Q(soort=REMINDER, bijeenkomst=bijeenkomst, sleutel=sleutel)


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Send the reminders that are due now; safe to run any number of times, concurrently too.

    Per meeting only the nearest offset that has passed is sent (a meeting created two days
    ahead gets its one-day reminder, not a late seven-day one). Registrants who registered after
    a reminder moment do not get that reminder: their confirmation is fresher.
    """
    now = now or timezone.now()
    meetings = (
        Bijeenkomst.objects.filter(PUBLISHED, geannuleerd=False)
        .filter(begin__gt=now, begin__lte=now + _max_offset())
        .order_by("begin", "pk")
    )
    sent = 0
    for bijeenkomst in meetings:
        due = [
            (label, d) for label, d in reminder_offsets(bijeenkomst) if bijeenkomst.begin - d <= now
        ]
        if not due:
            continue
        label, delta = due[-1]
        rows = _reminder_rows(bijeenkomst, label, registered_before=bijeenkomst.begin - delta)
        sent += send_queued(_claim(rows, _reminder_lookup(bijeenkomst, label)))
    return sent


def send_reminder_now(*, bijeenkomst_id: int, now: datetime | None = None) -> int:
    """Queue a reminder to everyone registered, at most once per meeting per day.

    Called from the admin; the mails go out after the transaction commits.
    """
    now = now or timezone.now()
    bijeenkomst = Bijeenkomst.objects.get(pk=bijeenkomst_id)
    sleutel = f"handmatig-{timezone.localdate(now, TZ).isoformat()}"
    rows = _reminder_rows(bijeenkomst, sleutel, registered_before=None)
    ids = _claim(rows, _reminder_lookup(bijeenkomst, sleutel))
    _enqueue_ids(ids)
    return len(ids)


# --- Digest ---------------------------------------------------------------------------------


def digest_period(frequentie: str, *, now: datetime) -> str | None:
    """The period key of the digest due at `now`, or None if it is not digest time.

    Weekly: on the digest weekday from the digest hour, key "2026-W05". Monthly: on the first
    such weekday of the month, key "2026-02".
    """
    local = timezone.localtime(now, TZ)
    weekday, hour = settings.BERICHTEN_DIGEST_WEEKDAY, settings.BERICHTEN_DIGEST_HOUR
    if local.weekday() != weekday or local.hour < hour:
        return None
    if frequentie == Lid.Digest.WEEKLY:
        iso = local.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if frequentie == Lid.Digest.MONTHLY and local.day <= 7:
        return f"{local.year}-{local.month:02d}"
    return None


def _period_start(periode: str) -> tuple[str, datetime, datetime]:
    """(frequency, start of this period, start of the previous one) for a period key."""
    if "-W" in periode:
        year, week = periode.split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
        start = datetime.combine(monday, time(0), TZ)
        return Lid.Digest.WEEKLY, start, start - timedelta(days=7)
    year, month = (int(part) for part in periode.split("-"))
    start = datetime.combine(date(year, month, 1), time(0), TZ)
    previous = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
    return Lid.Digest.MONTHLY, start, datetime.combine(previous, time(0), TZ)


def active_consent() -> Q:
    """Members with a confirmed, not withdrawn digest consent (as a filter on Lid)."""
    return Q(
        Exists(
            DigestToestemming.objects.filter(
                lid=OuterRef("pk"), bevestigd_op__isnull=False, ingetrokken_op__isnull=True
            )
        )
    )


def send_digests(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Queue digest batches for every member due and not yet sent; returns the batch count.

    Run it as often as you like on digest morning: members already mailed this period are
    skipped, and a rerun after a crash picks up exactly the rest.
    """
    from . import tasks

    now = now or timezone.now()
    batches = 0
    for frequentie in (Lid.Digest.WEEKLY, Lid.Digest.MONTHLY):
        periode = digest_period(frequentie, now=now)
        if periode is None:
            continue
        done = Verzending.objects.filter(
            soort=DIGEST, sleutel=periode, lid=OuterRef("pk"), status__in=[SENT, FAILED]
        )
        chosen = Mailvoorkeur.objects.filter(lid=OuterRef("pk"), nieuwsbrief=frequentie)
        ids = (
            Lid.objects.filter(active_consent())
            .filter(Q(digest=frequentie) | Exists(chosen))
            .exclude(Exists(done))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        batch: list[int] = []
        for pk in ids.iterator(chunk_size=5000):
            batch.append(pk)
            if len(batch) == batch_size:
                enqueue_on_commit(tasks.send_digest_batch, batch, periode)
                batches += 1
                batch = []
        if batch:
            enqueue_on_commit(tasks.send_digest_batch, batch, periode)
            batches += 1
    return batches


@dataclass
class DigestContent:
    eigen: list[Bijeenkomst] = field(default_factory=list)
    in_de_buurt: list[Bijeenkomst] = field(default_factory=list)
    programmas: list[Halfjaarprogramma] = field(default_factory=list)
    materialen: list[Materiaal] = field(default_factory=list)
    verslagen: list[Bijeenkomst] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.eigen or self.in_de_buurt or self.programmas or self.materialen or self.verslagen
        )

    @property
    def key(self) -> tuple:
        """Equal for equal content: members with the same key get the same digest."""
        parts = (self.eigen, self.in_de_buurt, self.programmas, self.materialen, self.verslagen)
        return tuple(tuple(item.pk for item in items) for items in parts)


def build_digests(
    lid_ids: Sequence[int], periode: str, *, now: datetime
) -> dict[int, tuple[Lid, DigestContent]]:
    """Digest content for a batch of members, in a fixed number of queries (ten).

    For each member, of the networks this frequency is chosen for: coming meetings (core-only
    ones only for core members), open meetings of other networks under the same umbrella,
    programmes published and reports or materials added since the previous digest.
    """
    frequentie, start, since = _period_start(periode)
    until = start + DIGEST_HORIZON[frequentie]
    leden = {
        lid.pk: lid
        for lid in Lid.objects.filter(active_consent(), pk__in=lid_ids)
        .select_related("user")
        .only("pk", "naam", "digest", "user__email")
    }
    # Only the networks this digest is for: chosen per network, or else in the profile.
    choices = selectors.digest_choices(leden)
    memberships: dict[int, dict[int, str]] = defaultdict(dict)
    elsewhere: dict[int, set[int]] = defaultdict(set)  # own networks left out of this digest
    for lid_id, netwerk_id, schil in Lidmaatschap.objects.filter(
        lid_id__in=leden, status=Lidmaatschap.Status.ACTIEF
    ).values_list("lid_id", "netwerk_id", "schil"):
        if choices.get((lid_id, netwerk_id), leden[lid_id].digest) == frequentie:
            memberships[lid_id][netwerk_id] = schil
        else:
            elsewhere[lid_id].add(netwerk_id)
    koepel_of = dict(Netwerk.objects.values_list("pk", "koepel_id"))
    network_ids = {n for networks in memberships.values() for n in networks}
    koepel_ids = {koepel_of[n] for n in network_ids}

    coming = list(
        Bijeenkomst.objects.filter(PUBLISHED, geannuleerd=False, begin__gte=now, begin__lt=until)
        .filter(netwerken__koepel_id__in=koepel_ids)
        .distinct()
        .order_by("begin", "pk")
        .only("pk", "titel", "slug", "begin", "locatie", "doelgroep", "online_link")
    )
    published = list(
        Halfjaarprogramma.objects.filter(
            gepubliceerd=True, gepubliceerd_op__gte=since, netwerk_id__in=network_ids
        ).select_related("netwerk")
    )
    reports = list(
        Bijeenkomst.objects.filter(PUBLISHED, einde__lt=now, gewijzigd_op__gte=since)
        .exclude(verslag="")
        .filter(netwerken__in=network_ids)
        .distinct()
        .only("pk", "titel", "slug", "begin", "doelgroep")
    )
    materials = list(
        Materiaal.objects.filter(toegevoegd_op__gte=since, bijeenkomst__netwerken__in=network_ids)
        .filter(
            Q(bijeenkomst__programma__isnull=True) | Q(bijeenkomst__programma__gepubliceerd=True)
        )
        .select_related("bijeenkomst")
        .distinct()
    )
    meeting_ids = {b.pk for b in coming} | {b.pk for b in reports}
    meeting_ids |= {m.bijeenkomst_id for m in materials}
    organisers: dict[int, set[int]] = defaultdict(set)
    for bijeenkomst_id, netwerk_id in Bijeenkomst.netwerken.through.objects.filter(
        bijeenkomst_id__in=meeting_ids
    ).values_list("bijeenkomst_id", "netwerk_id"):
        organisers[bijeenkomst_id].add(netwerk_id)

    def may_see(bijeenkomst: Bijeenkomst, mine: dict[int, str]) -> bool:
        own = organisers[bijeenkomst.pk] & mine.keys()
        if bijeenkomst.doelgroep == Bijeenkomst.Doelgroep.KERN:
            return any(mine[n] == Lidmaatschap.Schil.KERN for n in own)
        return bool(own) or bijeenkomst.doelgroep == Bijeenkomst.Doelgroep.OPEN

    result = {}
    for lid_id, lid in leden.items():
        mine = memberships.get(lid_id, {})
        my_koepels = {koepel_of[n] for n in mine}
        content = DigestContent()
        for b in coming:
            if organisers[b.pk] & mine.keys():
                if may_see(b, mine):
                    content.eigen.append(b)
            elif (
                b.doelgroep == Bijeenkomst.Doelgroep.OPEN
                and {koepel_of[n] for n in organisers[b.pk]} & my_koepels
                and not organisers[b.pk] & elsewhere[lid_id]  # not "nearby" when it is their own
            ):
                content.in_de_buurt.append(b)
        content.programmas = [p for p in published if p.netwerk_id in mine]
        content.verslagen = [
            b for b in reports if organisers[b.pk] & mine.keys() and may_see(b, mine)
        ]
        content.materialen = [
            m
            for m in materials
            if organisers[m.bijeenkomst_id] & mine.keys() and may_see(m.bijeenkomst, mine)
        ]
        result[lid_id] = (lid, content)
    return result


def unsubscribe_token(toestemming: DigestToestemming) -> str:
    """Opaque: a random consent id with a signature, no member id or address in it."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(toestemming.sleutel.hex)


def consent_from_token(token: str, *, salt: str = UNSUBSCRIBE_SALT, max_age: int | None = None):
    """The consent record a token points to, or None if the token is tampered or unknown."""
    try:
        if max_age is None:
            value = signing.Signer(salt=salt).unsign(token)
        else:
            value = signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
        sleutel = UUID(hex=value)
    except (signing.BadSignature, ValueError):
        return None
    return DigestToestemming.objects.select_related("lid").filter(sleutel=sleutel).first()


def send_digest_batch(lid_ids: Sequence[int], periode: str, *, now: datetime | None = None) -> int:
    """Build and send one batch of digests over one SMTP connection; returns the number sent.

    The queries are the same for 5 members or 500: the content (see build_digests), the
    unsubscribe tokens, one bulk insert of the claims and one read of those still queued.
    """
    now = now or timezone.now()
    digests = {pk: d for pk, d in build_digests(lid_ids, periode, now=now).items() if d[1]}
    if not digests:
        return 0
    tokens = dict(
        DigestToestemming.objects.filter(
            lid_id__in=digests, bevestigd_op__isnull=False, ingetrokken_op__isnull=True
        ).values_list("lid_id", "sleutel")
    )
    Verzending.objects.bulk_create(
        [
            Verzending(ontvanger=lid.user.email, soort=DIGEST, lid=lid, sleutel=periode)
            for lid, _content in digests.values()
        ],
        ignore_conflicts=True,
    )
    queued = Verzending.objects.filter(
        soort=DIGEST, sleutel=periode, lid_id__in=digests, status=QUEUED
    ).values_list("lid_id", "pk")
    connection = get_connection()
    raw = isinstance(connection, SmtpBackend)  # other backends (tests, files) get mail objects
    signer = signing.Signer(salt=UNSUBSCRIBE_SALT)
    unsubscribe_path = reverse("berichten:afmelden", kwargs={"token": "TOKEN"})
    templates: dict[tuple, _DigestTemplate] = {}
    messages = []
    for lid_id, pk in sorted(queued, key=lambda item: item[1]):
        lid, content = digests[lid_id]
        template = templates.get(content.key)
        if template is None:
            template = templates[content.key] = _DigestTemplate(content, periode)
        url = settings.SITE_URL + unsubscribe_path.replace("TOKEN", signer.sign(tokens[lid_id].hex))
        messages.append((pk, template.mail_for(pk=pk, lid=lid, url=url, raw=raw)))
    return deliver(messages, connection=connection)


# Members of the same networks get the same digest but for their name, address, unsubscribe
# link and Message-ID. So a batch renders and MIME-encodes the digest once per distinct content,
# with these markers in those places, and fills them in per member: rendering and encoding took
# most of a worker's time. The markers are random, so no meeting title can contain one.
_MARK = secrets.token_hex(8)
_NAME, _NAME_HTML = f"naam{_MARK}t", f"naam{_MARK}h"
_URL, _URL_HTML = f"afmelden{_MARK}t", f"afmelden{_MARK}h"
_ADDRESS, _ID = f"adres{_MARK}@regionet.invalid", f"id{_MARK}"
_MARKERS = re.compile("|".join([_NAME, _NAME_HTML, _URL, _URL_HTML, _ADDRESS, _ID]))
_RAW_MARKERS = re.compile(_MARKERS.pattern.encode())


class _DigestTemplate:
    """The digest for one content, rendered once with markers for what differs per member."""

    def __init__(self, content: DigestContent, periode: str) -> None:
        headers = {
            "List-Unsubscribe": f"<{_URL}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": "Regionet digest <digest.regionet>",
            "Precedence": "bulk",
            "Message-ID": message_id(_ID),
        }
        context = {"lid": {"naam": _NAME}, "digest": content, "periode": periode}
        self.mail = render_mail("digest", {**context, "afmelden_url": _URL}, to=_ADDRESS)
        self.mail.extra_headers.update(headers)
        alternatives, self.mail.alternatives = self.mail.alternatives, []
        for html, mimetype in alternatives:
            html = html.replace(_NAME, _NAME_HTML).replace(_URL, _URL_HTML)
            self.mail.attach_alternative(html, mimetype)
        encoded = self.mail.message().as_bytes(linesep="\r\n")
        # Markers survive only in plain 7bit/8bit parts; 7bit parts cannot take a non-ASCII name.
        self.raw_parts = None
        if not re.search(rb"Content-Transfer-Encoding: (quoted-printable|base64)", encoded):
            self.raw_parts = _RAW_MARKERS.split(encoded)
            self.markers = _RAW_MARKERS.findall(encoded)
        self.seven_bit = b"Content-Transfer-Encoding: 7bit" in encoded
        self.from_email = sanitize_address(self.mail.from_email, settings.DEFAULT_CHARSET)

    def mail_for(self, *, pk: int, lid: Lid, url: str, raw: bool) -> EmailMessage | _RawMail:
        """This member's digest: raw bytes to send as they are where possible, else a mail."""
        email = lid.user.email
        values = {
            _NAME: lid.naam,
            _NAME_HTML: escape(lid.naam),
            _URL: url,
            _URL_HTML: escape(url),
            _ADDRESS: email,
            _ID: str(pk),
        }
        fits = email.isascii() and (lid.naam.isascii() or not self.seven_bit)
        if raw and self.raw_parts is not None and fits:
            filled = [values[m.decode()].encode() for m in self.markers] + [b""]
            body = b"".join(
                part + value for part, value in zip(self.raw_parts, filled, strict=True)
            )
            return _RawMail(from_email=self.from_email, to=email, raw=body)

        def fill(text: str) -> str:
            return _MARKERS.sub(lambda m: values[m[0]], text)

        message = EmailMultiAlternatives(
            subject=self.mail.subject,
            body=fill(self.mail.body),
            from_email=self.mail.from_email,
            to=[email],
            headers={name: fill(value) for name, value in self.mail.extra_headers.items()},
        )
        for content, mimetype in self.mail.alternatives:
            message.attach_alternative(fill(content), mimetype)
        return message


@dataclass
class _RawMail:
    """A mail already encoded; `deliver` sends it like an EmailMessage, over an SMTP backend."""

    from_email: str
    to: str
    raw: bytes
    connection: SmtpBackend | None = None
    extra_headers: dict[str, str] = field(default_factory=dict)  # its Message-ID is in raw

    def send(self, fail_silently: bool = False) -> int:
        self.connection.connection.sendmail(self.from_email, [self.to], self.raw)
        return 1


# --- Digest consent (double opt-in) ---------------------------------------------------------

# Shown beside the checkbox; the text as the member read it is stored with the consent.
CONSENT_TEXT = gettext_lazy(
    "I want to receive the Regionet newsletter: the coming meetings of my networks, open "
    "meetings nearby, new programmes and reports. I can unsubscribe with one click."
)


@transaction.atomic
def digest_request(*, lid: Lid, frequentie: str, via: str) -> DigestToestemming:
    """Record a request for the digest and mail a confirmation link (double opt-in).

    A member with a confirmed consent only changes frequency; no new confirmation is needed.
    """
    if frequentie not in (Lid.Digest.WEEKLY, Lid.Digest.MONTHLY):
        raise ValueError(f"not a digest frequency: {frequentie}")
    toestemming = (
        DigestToestemming.objects.select_for_update()
        .filter(lid=lid, ingetrokken_op__isnull=True)
        .first()
    )
    if toestemming is not None and toestemming.bevestigd_op is not None:
        toestemming.frequentie = frequentie
        toestemming.save(update_fields=["frequentie"])
        Lid.objects.filter(pk=lid.pk).update(digest=frequentie)
        return toestemming
    now = timezone.now()
    if toestemming is None:
        toestemming = DigestToestemming.objects.create(
            lid=lid,
            frequentie=frequentie,
            tekst=str(CONSENT_TEXT),
            gevraagd_via=via,
            gevraagd_op=now,
        )
    else:
        toestemming.frequentie = frequentie
        toestemming.gevraagd_op = now
        toestemming.save(update_fields=["frequentie", "gevraagd_op"])
    email = lid.user.email
    sleutel = f"{toestemming.sleutel.hex}-{int(now.timestamp())}"
    row = Verzending(
        ontvanger=email,
        soort="digest_bevestigen",
        lid=lid,
        sleutel=sleutel,
        gegevens={"toestemming": toestemming.pk},
    )
    _queue_rows([row], Q(soort="digest_bevestigen", ontvanger=email, sleutel=sleutel))
    return toestemming


@transaction.atomic
def digest_confirm(*, toestemming_id: int, now: datetime | None = None) -> DigestToestemming:
    """Confirm a digest request: from now on digests go out at the chosen frequency."""
    now = now or timezone.now()
    toestemming = DigestToestemming.objects.select_for_update().get(pk=toestemming_id)
    if toestemming.ingetrokken_op is None and toestemming.bevestigd_op is None:
        toestemming.bevestigd_op = now
        toestemming.save(update_fields=["bevestigd_op"])
        Lid.objects.filter(pk=toestemming.lid_id).update(digest=toestemming.frequentie)
    return toestemming


@transaction.atomic
def digest_unsubscribe(*, toestemming_id: int, via: str, now: datetime | None = None) -> None:
    """Withdraw digest consent. Reminders and other mails are not affected."""
    now = now or timezone.now()
    updated = DigestToestemming.objects.filter(
        pk=toestemming_id, ingetrokken_op__isnull=True
    ).update(ingetrokken_op=now, ingetrokken_via=via)
    if updated:
        lid_id = DigestToestemming.objects.values_list("lid_id", flat=True).get(pk=toestemming_id)
        Lid.objects.filter(pk=lid_id).update(digest=Lid.Digest.NEVER)


# --- Mail preferences per network -----------------------------------------------------------


@transaction.atomic
def mail_preferences_save(*, lid: Lid, keuzes: Mapping[int, tuple[bool, str]]) -> None:
    """Save a member's choices per network: {network id: (reminders on, digest frequency)}.

    Only networks of the member's active memberships. A choice equal to the profile's leaves no
    row, so a later change in the profile still reaches that network.
    """
    actief = set(
        Lidmaatschap.objects.filter(
            lid=lid, status=Lidmaatschap.Status.ACTIEF, netwerk_id__in=keuzes
        ).values_list("netwerk_id", flat=True)
    )
    if unknown := set(keuzes) - actief:
        raise ValueError(f"not an active membership: {sorted(unknown)}")
    for netwerk_id, (herinneringen, nieuwsbrief) in keuzes.items():
        if (herinneringen, nieuwsbrief) == (lid.herinneringen, lid.digest):
            Mailvoorkeur.objects.filter(lid=lid, netwerk_id=netwerk_id).delete()
            continue
        if nieuwsbrief not in Mailvoorkeur.Nieuwsbrief.values:
            raise ValueError(f"not a digest frequency: {nieuwsbrief}")
        Mailvoorkeur.objects.update_or_create(
            lid=lid,
            netwerk_id=netwerk_id,
            defaults={"herinneringen": herinneringen, "nieuwsbrief": nieuwsbrief},
        )
