"""Starting an export job: the export page's (and the admin's) side of `portal.exports`' jobs.

Apart from `portal.exports` because the task that runs a job (`portal.tasks`) imports that
module, and starting one queues the task.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db import transaction

from .exports import EXTENSIONS, Exporter
from .models import ExportJob, ExportLog
from .queueing import enqueue_on_commit
from .tasks import run_export_job

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


def export_job_start(
    *,
    exporter: Exporter,
    identifier: str,
    user: User,
    fmt: str,
    filters: dict[str, Any],
    url_kwargs: dict[str, Any] | None = None,
    ids: list[int] | None = None,
    source: str = "page",
) -> ExportJob:
    """Log an export and queue it for the worker; the caller shows the job's page."""
    if fmt not in EXTENSIONS:
        raise ValueError(f"Unknown export format: {fmt}")
    user_id = cast(int, user.pk)  # a logged-in user (the views require one)
    with transaction.atomic():
        log = ExportLog.objects.create(
            user_id=user_id,
            user_email=getattr(user, "email", "") or "",
            export=identifier,
            format=fmt,
            source=source,
            filters=filters,
        )
        job = ExportJob.objects.create(
            user_id=user_id,
            log=log,
            exporter=exporter.url_name,
            url_kwargs=url_kwargs or {},
            ids=ids or [],
        )
        enqueue_on_commit(run_export_job, str(job.pk))
    return job
