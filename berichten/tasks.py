"""Celery tasks of the outbox: thin. Each takes ids and calls delivery.

Both are idempotent (a rerun sends only what is still queued), so both use acks_late: a task
lost with a killed worker is delivered again rather than dropped. RETRY is shared with the
domain apps' mail tasks (reminders, digests, the departure mail).
"""

from __future__ import annotations

from celery import shared_task

from portal.queueing import enqueue_on_commit

from . import delivery

RETRY = {
    "autoretry_for": (delivery.TemporaryMailError,),
    "retry_backoff": 30,  # 30 s, 60 s, 120 s … with full jitter
    "retry_backoff_max": 900,  # well below the Redis visibility timeout
    "retry_jitter": True,
    "max_retries": delivery.MAX_ATTEMPTS,
    "acks_late": True,
}
SEND_BATCH = 100


@shared_task(**RETRY)
def send_mails(verzending_ids: list[int]) -> int:
    return delivery.send_queued(verzending_ids)


@shared_task(**RETRY)
def retry_stale_mails() -> int:
    return delivery.retry_stale_mails()


def enqueue_sending(ids: list[int]) -> None:
    """Send these rows from the worker after commit. With the broker down they stay queued
    and `retry_stale_mails` sends them later: the page that queued them still answers."""
    for start in range(0, len(ids), SEND_BATCH):
        enqueue_on_commit(send_mails, ids[start : start + SEND_BATCH])
