"""Celery tasks of the portal: thin, they take ids or call one function."""

from __future__ import annotations

from celery import shared_task

from . import exports
from .retention import run_retention


@shared_task
def apply_retention() -> int:
    """Every rule of the register of personal data, once; the rows changed in all."""
    return sum(log.rows for log in run_retention())


@shared_task(acks_late=True)  # idempotent: the job is claimed by a conditional update
def run_export_job(job_id: str) -> str:
    return exports.export_job_run(job_id)
