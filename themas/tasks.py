"""Periodic work of theme rounds and their date polls: thin, idempotent (a rerun sends and
closes nothing twice)."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from berichten.tasks import RETRY

from . import mails, services
from .models import Datumpeiling, Themaronde


def run_rounds(now: datetime | None = None) -> int:
    """Remind who has not voted in the last two days; close rounds whose voting ended.
    Returns the number of rounds acted on."""
    now = now or timezone.now()
    acted = 0
    for ronde in Themaronde.objects.open().select_related("netwerk").order_by("pk"):
        if mails.due_reminder_window(ronde, now):
            mails.queue_voting_reminders(ronde.pk)
            acted += 1
        elif ronde.stemmen_tot <= now:
            services.round_close(ronde=ronde, now=now)
            acted += 1
    return acted


def run_date_polls(now: datetime | None = None) -> int:
    """Remind who has not answered a date poll that closes within two days: once per poll,
    claimed by a conditional update that commits with the queued mails. Returns the number
    of polls reminded of."""
    now = now or timezone.now()
    reminded = 0
    for peiling_id in mails.date_polls_due_for_reminder(now).values_list("pk", flat=True):
        with transaction.atomic():
            claimed = Datumpeiling.objects.filter(pk=peiling_id, herinnerd_op__isnull=True).update(
                herinnerd_op=now
            )
            if claimed:
                mails.queue_date_poll_reminders(peiling_id)
                reminded += 1
    return reminded


@shared_task(**RETRY)
def run_theme_rounds() -> int:
    return run_rounds() + run_date_polls()
