"""The nightly retention job: applies every rule in the register of personal data.

Each app declares its fields and how long they are kept (`portal.personal_data.declare`, in its
`privacy` module) with the step that forgets what has expired. This job knows no app: it walks
the register's rules and runs each rule's step, which works in batches of its own transactions
and selects only what is still to forget; so a run broken off by a crash resumes the next night
(or at once, by rerunning), and a second run changes nothing. One rule failing does not stop
the others. Per rule, one `RetentionLog` row says how many rows changed, never which.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone

from .models import RetentionLog
from .personal_data import retentions

logger = logging.getLogger(__name__)


def run_retention(now: datetime | None = None) -> list[RetentionLog]:
    """Forget what every rule says has expired by `now`; the log rows of this run."""
    now = now or timezone.now()
    logs = []
    for rule in retentions():
        if rule.apply is None:  # declared, forgotten by its app elsewhere (or not yet ready)
            continue
        try:
            rows, ok = rule.apply(now), True
        except Exception:
            # Logged with its traceback (no row data in it: the steps work on ids); the next
            # night tries again, and the admin shows the rule as not completed.
            logger.exception("Retention rule %s failed", rule.key)
            rows, ok = 0, False
        logs.append(
            RetentionLog.objects.create(run_at=now, rule=rule.key, days=rule.days, rows=rows, ok=ok)
        )
        logger.info("Retention rule %s: %d rows", rule.key, rows)
    return logs
