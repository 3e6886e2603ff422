"""The Redis cache backend: Django's, with one client per connection pool."""

import os
import threading

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")


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
