"""Celery tasks: thin. Each takes ids (or what is left once the rows are gone) and calls a
service."""

from __future__ import annotations

from celery import shared_task

from . import services

RETRY = {"retry_backoff": 30, "retry_backoff_max": 900, "max_retries": 5}


@shared_task(autoretry_for=(OSError,), **RETRY)
def send_departure_mails(naam: str, coordinator_ids: list[int], netwerk_ids: list[int]) -> int:
    return services.departure_mails_send(
        naam=naam, coordinator_ids=coordinator_ids, netwerk_ids=netwerk_ids
    )
