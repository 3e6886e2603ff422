"""Celery tasks: thin. Each takes ids or keys, and calls a service.

All of them are idempotent (a rerun sends only what is still queued), so all of them use
acks_late: a task lost with a killed worker is delivered again rather than dropped.
"""

from __future__ import annotations

from celery import shared_task

from . import services

RETRY = {
    "autoretry_for": (services.TemporaryMailError,),
    "retry_backoff": 30,  # 30 s, 60 s, 120 s … with full jitter
    "retry_backoff_max": 900,  # well below the Redis visibility timeout
    "retry_jitter": True,
    "max_retries": services.MAX_ATTEMPTS,
    "acks_late": True,
}


@shared_task(**RETRY)
def send_mails(verzending_ids: list[int]) -> int:
    return services.send_queued(verzending_ids)


@shared_task(**RETRY)
def send_digest_batch(lid_ids: list[int], periode: str) -> int:
    return services.send_digest_batch(lid_ids, periode)


@shared_task(**RETRY)
def send_due_reminders() -> int:
    return services.send_due_reminders()


@shared_task(acks_late=True)
def send_digests() -> int:
    return services.send_digests()


@shared_task(**RETRY)
def retry_stale_mails() -> int:
    return services.retry_stale_mails()
