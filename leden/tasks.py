"""Celery tasks: thin. Each takes ids (or what is left once the rows are gone) and calls a
module."""

from __future__ import annotations

import secrets

from celery import shared_task

from berichten.tasks import RETRY

from . import mails


@shared_task(**RETRY)
def send_departure_mails(
    naam: str, coordinator_ids: list[int], netwerk_ids: list[int], vertrek: str = ""
) -> int:
    return mails.send_departure_mails(
        naam=naam,
        coordinator_ids=coordinator_ids,
        netwerk_ids=netwerk_ids,
        vertrek=vertrek or secrets.token_hex(8),  # a task queued before this argument existed
    )
