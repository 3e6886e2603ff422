"""Periodic work of the confidential channel: thin and idempotent."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from berichten.tasks import RETRY

from . import mails, services
from .models import Melding


def notify(now: datetime | None = None) -> int:
    """Claim the reports (and additions) the committee has not been told of, and mail once
    for all of them. Hourly rather than at once, so the mail's time (in the mail log, in the
    mail servers' logs) does not give away the moment a report came in. Returns how many."""
    with transaction.atomic():
        ids = list(
            Melding.objects.select_for_update()
            .filter(gemeld=False)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        claimed = Melding.objects.filter(pk__in=ids, gemeld=False).update(gemeld=True)
        moment = now or timezone.now()
        # The key (in the mail log, which staff see) names the hour, not the reports.
        mails.queue_new_report_notice(key=f"{moment:%Y%m%d%H}")
    return claimed


@shared_task(**RETRY)
def notify_committee() -> int:
    return notify()


@shared_task
def erase_closed_reports() -> int:
    return services.reports_erase(timezone.now())
