"""Django's Redis cache backend, with one Redis client per connection pool, failing open.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` object for every cache
call, and each one sets up some 170 response callbacks. On a cached visitor page here that
was a fifth of the request (687 µs before, 549 µs after). One client per pool does the same
work: the client is only a front to the pool, which threads may share and which starts
afresh after a fork.

The cache speeds pages up; it must never take them down. When Redis cannot be reached, every
call behaves as on an empty cache that forgets what it is given: a read misses, a write is
dropped, `add` succeeds (so allauth's rate-limit lock is taken, and its limits fail open),
`incr` finds no key. A warning is logged at most once a minute. Sockets time out quickly
(`DEFAULT_OPTIONS`), and after a failure Redis is skipped for `SKIP_FOR` seconds (a circuit
breaker), so a dead or hanging Redis costs a page one timeout at most, not one per call.

A write dropped during an outage would leave what Redis held before it looking current once
Redis is back: a session logged out meanwhile would be logged in again, a page-cache version
bump would be lost. So each process remembers the keys it could not write and deletes them,
before anything else, as soon as Redis answers again. (Per process: a process that is
restarted during an outage forgets its list; the other processes still clear theirs.)
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, cast

from django.core.cache.backends import redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Seconds. Redis answers in well under a millisecond here; waiting longer only stalls pages.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
SKIP_FOR = 5.0  # after a failure, calls skip Redis this long
WARN_EVERY = 60.0  # while Redis keeps failing, one warning a minute
MAX_LOST = 10_000  # keys remembered for deletion once Redis is back
FAILURES = (RedisError, OSError)


class _Outage:
    """What this process knows about one Redis: until when to skip it, and which keys it
    could not write meanwhile. Shared by all threads (each has its own cache object)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.skip_until = 0.0
        self.warned_at = -math.inf
        self.down = False
        self.lost: set[str] = set()

    def remember(self, keys: Iterable[str]) -> None:
        with self.lock:
            for key in keys:
                if len(self.lost) >= MAX_LOST:
                    logger.error("cache: too many writes lost, some stale entries may stay")
                    return
                self.lost.add(key)

    def failed(self, exc: BaseException, keys: Iterable[str]) -> None:
        self.remember(keys)
        now = time.monotonic()
        with self.lock:
            self.skip_until = now + SKIP_FOR
            self.down = True
            warn = now - self.warned_at >= WARN_EVERY
            if warn:
                self.warned_at = now
        if warn:
            logger.warning("cache: Redis unreachable, serving without it: %r", exc)

    def recovered(self) -> None:
        with self.lock:
            was_down, self.down = self.down, False
            self.warned_at = -math.inf
        if was_down:
            logger.warning("cache: Redis reachable again")


_outages: dict[tuple[str, ...], _Outage] = {}
_outages_lock = threading.Lock()


def _outage_of(servers: list[str]) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(tuple(servers), _Outage())


class _Client(redis.RedisCacheClient):
    def __init__(self, servers, *args, **kwargs):
        super().__init__(servers, *args, **kwargs)
        self._clients = {}
        self._outage = _outage_of(servers)

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _try(self, call: Callable[[], Any], fallback: Any, written: Iterable[str] = ()) -> Any:
        """`call()`, or `fallback` when Redis fails or is being skipped; `written`: the keys
        the call would change, to delete once Redis is back if the call did not happen."""
        outage = self._outage
        if time.monotonic() < outage.skip_until:
            outage.remember(written)
            return fallback
        try:
            if outage.lost:
                self._forget_lost()
            result = call()
        except FAILURES as exc:
            outage.failed(exc, written)
            return fallback
        if outage.down:
            outage.recovered()
        return result

    def _forget_lost(self) -> None:
        """Delete what this process could not write during the outage (it may be stale)."""
        outage = self._outage
        with outage.lock:
            keys = list(outage.lost)
        client = self.get_client(write=True)
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
        with outage.lock:
            outage.lost.difference_update(keys)
        logger.info("cache: %d keys written during the outage cleared", len(keys))

    def add(self, key, value, timeout):
        return self._try(lambda: super(_Client, self).add(key, value, timeout), True, [key])

    def get(self, key, default):
        return self._try(lambda: super(_Client, self).get(key, default), default)

    def set(self, key, value, timeout):
        self._try(lambda: super(_Client, self).set(key, value, timeout), None, [key])

    def touch(self, key, timeout):
        return self._try(lambda: super(_Client, self).touch(key, timeout), False, [key])

    def delete(self, key):
        return self._try(lambda: super(_Client, self).delete(key), False, [key])

    def get_many(self, keys):
        return self._try(lambda: super(_Client, self).get_many(keys), {})

    def has_key(self, key):
        return self._try(lambda: super(_Client, self).has_key(key), False)

    def incr(self, key, delta):
        missing = object()
        result = self._try(lambda: super(_Client, self).incr(key, delta), missing, [key])
        if result is missing:
            raise ValueError(f"Key '{key}' not found (cache unreachable).")
        return result

    def set_many(self, data, timeout):
        self._try(lambda: super(_Client, self).set_many(data, timeout), None, list(data))

    def delete_many(self, keys):
        self._try(lambda: super(_Client, self).delete_many(keys), None, list(keys))

    def clear(self):
        return self._try(lambda: super(_Client, self).clear(), False)

    def ping(self) -> None:
        """Raise if Redis does not answer now (for the readiness check; no failing open)."""
        self.get_client(write=True).ping()


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client
        self._options = {**DEFAULT_OPTIONS, **self._options}

    def ping(self) -> None:
        """Raise if Redis does not answer now."""
        cast(_Client, self._cache).ping()  # the client is of `self._class`, set above
