"""Liveness and readiness for load balancers and orchestration.

`/healthz` says only that this process answers requests. `/healthz/ready` checks each
dependency, the database, the cache (Redis) and the Celery broker, and names each one's state,
so whoever watches can tell them apart: 200 when all answer, 503 naming those that do not. The
site keeps serving without the cache and the broker (pages are made from the database, mails
wait in the outbox), so a load balancer should take a node out only when "database" fails.

The checks run side by side, each bounded by `TIMEOUT`, whatever its driver's own timeouts:
a hanging dependency makes the answer "timeout", not a hanging probe. Details go to the log,
not to the (public) answer.

Which Celery app's broker to check is handed in by `config.urls` (`register_broker`), which
wires this view: portal imports nothing above it, the project's Celery app included.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, TypedDict

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

if TYPE_CHECKING:
    from celery import Celery

logger = logging.getLogger(__name__)

TIMEOUT = 2.0  # seconds for all checks together


def _database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()  # this thread's own connection


def _cache() -> None:
    ping = getattr(cache, "ping", None)
    if ping is not None:
        ping()  # the Redis backend fails open, so reads would never report it
        return
    cache.set("healthz:ready", 1, 10)  # a process-local cache answers or breaks, nothing else
    if cache.get("healthz:ready") != 1:
        raise RuntimeError("the cache does not keep what it is given")


_celery_app: Celery | None = None


def register_broker(app: Celery) -> None:
    """Check the broker of `app` (the project's Celery app) for readiness."""
    global _celery_app  # noqa: PLW0603 (one registration at start-up)
    _celery_app = app


def _broker() -> None:
    if _celery_app is None:
        raise RuntimeError("no Celery app registered (see portal.health.register_broker)")
    with _celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=TIMEOUT)
        conn.default_channel  # noqa: B018 (opens a channel: the transport really answers)


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "broker": _broker,
}


def readiness() -> dict[str, str]:
    """Each dependency's state: "ok", "failing" or "timeout"."""
    pool = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="healthz")
    try:
        futures = {name: pool.submit(check) for name, check in CHECKS.items()}
        wait(futures.values(), timeout=TIMEOUT)
        states = {}
        for name, future in futures.items():
            if not future.done():
                states[name] = "timeout"
                logger.warning("readiness: %s did not answer within %s s", name, TIMEOUT)
            elif (exc := future.exception()) is not None:
                states[name] = "failing"
                logger.warning("readiness: %s failing: %r", name, exc)
            else:
                states[name] = "ok"
        return states
    finally:
        pool.shutdown(wait=False)  # a hanging check ends on its own socket timeout


# The answer is public, so a flood of probes must not become a flood of database connections:
# each process checks at most once per RECHECK_AFTER seconds and answers the rest from memory.
RECHECK_AFTER = 2.0


class _Recent(TypedDict):
    at: float  # time.monotonic() of the last check
    states: dict[str, str]


_last: _Recent = {"at": -RECHECK_AFTER, "states": {}}
_lock = threading.Lock()


def recent_readiness() -> dict[str, str]:
    """`readiness()`, made at most once per RECHECK_AFTER seconds in this process."""
    with _lock:
        if time.monotonic() - _last["at"] >= RECHECK_AFTER:
            _last["states"] = readiness()
            _last["at"] = time.monotonic()
        return dict(_last["states"])


def forget() -> None:
    """Check afresh on the next probe (tests change what is reachable between probes)."""
    with _lock:
        _last["at"] = -RECHECK_AFTER


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    states = recent_readiness()
    healthy = all(state == "ok" for state in states.values())
    return JsonResponse(states, status=200 if healthy else 503)
