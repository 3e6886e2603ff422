"""Portal's periodic job: the nightly retention run (thin: `portal.retention` does the work)."""

from celery import shared_task

from .retention import run_retention


@shared_task
def apply_retention() -> int:
    """Every rule of the register of personal data, once; the rows changed in all."""
    return sum(log.rows for log in run_retention())
