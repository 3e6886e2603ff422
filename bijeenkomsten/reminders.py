"""Reminders before meetings: when, to whom, and what they say.

The offsets come from settings.BERICHTEN_HERINNERINGEN (per kind of meeting, read from the
environment). A reminder is keyed "bijeenkomst-<id>-<offset>" (or "-handmatig-<date>" for one
sent from the admin), so the outbox mails it once per recipient however often the beat runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from berichten.delivery import send_queued
from berichten.models import Verzending
from berichten.outbox import Mail, queue_mails, store_mails
from leden.mail_preferences import reminder_choices
from leden.models import Lid, Lidmaatschap

from .mails import registration_context
from .models import PUBLISHED, Aanmelding, Bijeenkomst

TZ = ZoneInfo("Europe/Amsterdam")
REMINDER = "herinnering"


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


def reminder_key(bijeenkomst: Bijeenkomst, label: str) -> str:
    return f"bijeenkomst-{bijeenkomst.pk}-{label}"


@dataclass(frozen=True)
class _Reminder:
    """One reminder to send: to a registrant, or an invitation to an unregistered core member."""

    email: str
    lid: Lid | None
    aanmelding: Aanmelding | None = None

    @property
    def lid_id(self) -> int | None:
        return self.lid.pk if self.lid is not None else None


def reminder_recipients(
    bijeenkomst: Bijeenkomst, *, registered_before: datetime | None
) -> list[_Reminder]:
    """Everyone who should get a reminder for this meeting (four queries at most).

    Guests always get it; members unless they switched reminders off for the meeting's
    networks (or, without a choice there, in their profile).
    """
    organisers = list(bijeenkomst.netwerken.values_list("pk", flat=True))
    registrations = bijeenkomst.aanmeldingen.filter(
        status=Aanmelding.Status.AANGEMELD, bevestigd=True
    ).select_related("lid__user")
    if registered_before is not None:
        registrations = registrations.filter(aangemeld_op__lte=registered_before)
    registered = list(registrations)
    reminders = [_Reminder(a.email, a.lid, a) for a in registered if a.email]
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
        reminders += [_Reminder(lid.user.email, lid) for lid in core]
    members = [a.lid for a in registered if a.lid is not None] + core
    wanted = reminder_choices(members, organisers)
    return [r for r in reminders if r.lid_id is None or r.lid_id in wanted]


def _mails(bijeenkomst: Bijeenkomst, reminders: list[_Reminder]) -> list[Mail]:
    mails = []
    for reminder in reminders:
        if reminder.aanmelding is not None:
            context = registration_context(reminder.aanmelding, bijeenkomst)
        else:
            assert reminder.lid is not None  # an invitation: to a core member
            context = {
                "bijeenkomst": bijeenkomst,
                "bijeenkomst_url": settings.SITE_URL + bijeenkomst.get_absolute_url(),
                "lid": reminder.lid,
                "naam": reminder.lid.naam,
                "uitnodiging": True,
            }
        mails.append(
            Mail(
                reminder.email,
                context,
                lid_id=reminder.lid_id,
                bijeenkomst_id=bijeenkomst.pk,
                language=context["lid"].taal if context.get("lid") else "",
            )
        )
    return mails


def _not_yet_reminded(key: str, reminders: list[_Reminder]) -> list[_Reminder]:
    """Leave out who has this reminder already (one query): no second rendering every beat,
    and no second reminder to a member whose address changed since."""
    done = Verzending.objects.filter(soort=REMINDER, sleutel=key).values_list("ontvanger", "lid_id")
    addresses = {email for email, _lid in done}
    members = {lid_id for _email, lid_id in done if lid_id is not None}
    return [r for r in reminders if r.email not in addresses and r.lid_id not in members]


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Send the reminders that are due now; safe to run any number of times, concurrently too.

    Per meeting only the nearest offset that has passed is sent (a meeting created two days
    ahead gets its one-day reminder, not a late seven-day one). Registrants who registered after
    a reminder moment do not get that reminder: their confirmation is fresher. Rows a failed
    run left queued are sent by the next run (or by the outbox's stale-mail job).
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
        key = reminder_key(bijeenkomst, label)
        pending = list(
            Verzending.objects.filter(
                soort=REMINDER, sleutel=key, status=Verzending.Status.QUEUED
            ).values_list("pk", flat=True)
        )
        reminders = reminder_recipients(bijeenkomst, registered_before=bijeenkomst.begin - delta)
        reminders = _not_yet_reminded(key, reminders)
        ids = store_mails(kind=REMINDER, key=key, mails=_mails(bijeenkomst, reminders))
        sent += send_queued(sorted({*pending, *ids}))
    return sent


def send_reminder_now(*, bijeenkomst_id: int, now: datetime | None = None) -> int:
    """Queue a reminder to everyone registered, at most once per meeting per day.

    Called from the admin; the mails go out after the transaction commits.
    """
    now = now or timezone.now()
    bijeenkomst = Bijeenkomst.objects.get(pk=bijeenkomst_id)
    key = reminder_key(bijeenkomst, f"handmatig-{timezone.localdate(now, TZ).isoformat()}")
    reminders = reminder_recipients(bijeenkomst, registered_before=None)
    ids = queue_mails(kind=REMINDER, key=key, mails=_mails(bijeenkomst, reminders))
    return len(ids)
