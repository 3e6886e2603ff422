"""Celery tasks for meeting mails: thin. Each takes ids or keys, and calls a module.

All of them are idempotent (a rerun sends only what is still queued), so all of them use
acks_late: a task lost with a killed worker is delivered again rather than dropped.
"""

from __future__ import annotations

from datetime import datetime

from celery import shared_task

from berichten.tasks import RETRY
from portal.queueing import enqueue_on_commit

from . import digest, reminders


@shared_task(**RETRY)
def send_due_reminders() -> int:
    return reminders.send_due_reminders()


@shared_task(**RETRY)
def send_digest_batch(lid_ids: list[int], periode: str) -> int:
    return digest.send_digest_batch(lid_ids, periode)


def queue_digests(*, now: datetime | None = None, batch_size: int = digest.BATCH_SIZE) -> int:
    """Queue a digest batch task per batch due now; returns the batch count."""
    batches = 0
    for lid_ids, periode in digest.digest_batches(now=now, batch_size=batch_size):
        enqueue_on_commit(send_digest_batch, lid_ids, periode)
        batches += 1
    return batches


@shared_task(acks_late=True)
def send_digests() -> int:
    return queue_digests()
