"""Celery tasks for the newsletter without an account: thin, idempotent, ids only."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task

from berichten.tasks import RETRY
from portal.queueing import enqueue_on_commit

from . import digest


@shared_task(**RETRY)
def send_subscriber_digest_batch(abonnee_ids: list[int], periode: str) -> int:
    return digest.send_subscriber_digest_batch(abonnee_ids, periode)


def queue_subscriber_digests(*, now: datetime | None = None) -> int:
    """Queue a batch task per batch due now; returns the batch count."""
    batches = 0
    for ids, periode in digest.subscriber_batches(now=now):
        enqueue_on_commit(send_subscriber_digest_batch, ids, periode)
        batches += 1
    return batches


@shared_task(acks_late=True)
def send_subscriber_digests() -> int:
    return queue_subscriber_digests()
