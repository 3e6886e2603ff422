"""The Redis cache backend: Django's, with one client per connection pool, failing open."""

import logging
import os
import threading

import pytest
from django.core.cache import caches

from tests.mailfixtures import free_port

needs_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")


@needs_redis
def test_one_client_serves_every_call_and_threads_share_its_pool():
    from portal.cache import RedisCache

    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client  # not a new one per call

    cache.set("cache-test", {"a": 1}, 30)
    seen = []
    thread = threading.Thread(target=lambda: seen.append(caches["default"].get("cache-test")))
    thread.start()
    thread.join()
    assert cache.get("cache-test") == {"a": 1} and seen == [{"a": 1}]


def test_an_unreachable_redis_behaves_as_an_empty_cache_that_forgets(caplog):
    """Reads miss, writes vanish, `add` succeeds (allauth's rate-limit lock is taken, so its
    limits let the request through), `incr` finds no key; one warning, not one per call."""
    from portal.cache import RedisCache

    cache = RedisCache(f"redis://127.0.0.1:{free_port()}/0", {})  # nothing listens there
    with caplog.at_level(logging.INFO, logger="portal.cache"):
        assert cache.get("sleutel", "standaard") == "standaard"
        assert cache.add("sleutel", 1) is True
        cache.set("sleutel", 1)
        cache.set_many({"a": 1, "b": 2})
        assert cache.get_many(["sleutel", "a"]) == {}
        assert cache.has_key("sleutel") is False
        with pytest.raises(ValueError):
            cache.incr("sleutel")
        assert cache.delete("sleutel") is False
        cache.delete_many(["a", "b"])
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()
    with pytest.raises(Exception):  # noqa: B017 (the readiness check must see the failure)
        cache.ping()
