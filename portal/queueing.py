"""Handing work to Celery without making the broker a dependency of the page.

A request that changed something queues its follow-up work (a mail) once its transaction has
committed. When the broker cannot take it, the change stands and the page answers as usual:
the failure is logged and the work is left to the periodic job that picks up what was never
handed over (berichten.tasks.retry_stale_mails for mails). So a publish tries the broker once,
briefly, and never raises for a broker that is down.
"""

from __future__ import annotations

import logging
import time
from functools import partial
from typing import Any

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# One quick reconnect (a Redis restart leaves pooled connections dead), no waiting between.
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0, "interval_max": 0}
WARN_EVERY = 60.0  # seconds between warnings while the broker stays down

_last_warning = -WARN_EVERY


def enqueue(task, *args: Any, **kwargs: Any) -> bool:
    """Queue `task(*args, **kwargs)`; False, logged, when the broker could not take it."""
    global _last_warning
    app = task.app
    if app.conf.task_always_eager:  # tests: the task runs here, and its errors must show
        task.apply_async(args, kwargs)
        return True
    try:
        with app.producer_or_acquire() as producer:
            # Fail at once on a broker that refuses; kombu would otherwise keep retrying the
            # connection for broker_connection_timeout seconds.
            producer.connection.ensure_connection(max_retries=1, interval_start=0)
            task.apply_async(args, kwargs, producer=producer, retry=True, retry_policy=RETRY_POLICY)
    except (OperationalError, OSError) as exc:
        now = time.monotonic()
        log = logger.warning if now - _last_warning >= WARN_EVERY else logger.info
        if log is logger.warning:
            _last_warning = now
        log("broker unreachable, %s not queued (a periodic job picks it up): %s", task.name, exc)
        return False
    return True


def enqueue_on_commit(task, *args: Any, **kwargs: Any) -> None:
    """Queue `task(*args, **kwargs)` once the current transaction commits (see `enqueue`)."""
    transaction.on_commit(partial(enqueue, task, *args, **kwargs))
