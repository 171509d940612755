"""The portal's Redis cache backends (osms/core/cache.py): Django's meaning, fewer round trips."""

import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import RequestFactory
from django_ratelimit.core import is_ratelimited

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")


def key() -> str:
    return f"test:{uuid.uuid4().hex}"


def test_incr_counts_an_existing_key_and_refuses_a_missing_one():
    cache = caches["default"]
    name = key()
    with pytest.raises(ValueError):
        cache.incr(name)
    assert cache.get(name) is None  # not created by the failed increment
    cache.set(name, 5, 30)
    assert cache.incr(name) == 6 and cache.incr(name, 4) == 10 and cache.get(name) == 10


def test_one_client_object_per_process():
    cache = caches["default"]
    assert cache._cache.get_client(write=True) is cache._cache.get_client("x", write=True)


def test_rate_limit_add_then_incr_counts_as_set_nx_then_incr_did():
    cache = caches["ratelimit"]
    name = key()
    assert cache.add(name, 1, 30) is True and cache.get(name) == 1
    assert cache.add(name, 1, 30) is False and cache.incr(name) == 2
    assert cache.add(name, 1, 30) is False and cache.incr(name) == 3
    assert cache.get(name) == 3
    assert 0 < cache._cache.get_client(write=True).ttl(cache.make_key(name)) <= 30
    # a plain increment, not after add, goes to Redis
    assert cache.incr(name) == 4
    # add of anything else than a positive count is Django's SET NX
    other = key()
    assert cache.add(other, 0, 30) is True and cache.add(other, 0, 30) is False and cache.get(other) == 0
    with pytest.raises(ValueError):
        cache.incr(key())


def test_rate_limit_is_counted_per_client_once_per_request():
    factory = RequestFactory()

    def limited(address: str) -> bool:
        request = factory.post("/", REMOTE_ADDR=address)
        return is_ratelimited(request, group=f"test-{group}", key="ip", rate="3/m", increment=True)

    group = uuid.uuid4().hex
    assert [limited("10.0.0.1") for _ in range(4)] == [False, False, False, True]
    assert limited("10.0.0.2") is False
