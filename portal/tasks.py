"""Celery tasks of the portal: thin, they take ids."""

from __future__ import annotations

from celery import shared_task

from . import exports


@shared_task(acks_late=True)  # idempotent: the job is claimed by a conditional update
def run_export_job(job_id: str) -> str:
    return exports.export_job_run(job_id)
