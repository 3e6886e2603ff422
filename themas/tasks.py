"""Periodic work of theme rounds: thin, idempotent (a rerun sends and closes nothing twice)."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from berichten.tasks import RETRY

from . import mails, services
from .models import Themaronde


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


@shared_task(**RETRY)
def run_theme_rounds() -> int:
    return run_rounds()
