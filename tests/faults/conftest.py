"""Faults for the tests: Redis (cache and broker) or PostgreSQL out of reach.

`redis_outage.begin()` points the cache, the rate limits and the Celery broker at a port where
nothing listens, and queues tasks for real (not eagerly) as production does; `.end()` undoes it,
with tasks run in-process again so that what the sweeps queue is done at once.
"""

from __future__ import annotations

import socket

import pytest
from kombu import pools

from portal.celery import app


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _point_broker(url: str | None, *, eager: bool) -> None:
    app.conf.task_always_eager = eager
    if url is not None:
        app.conf.broker_url = url
    pools.reset()  # kombu's connection and producer pools, keyed by the broker's address
    app._pool = None
    app.amqp._producer_pool = None


class RedisOutage:
    """`begin()` makes the cache and the broker unreachable; `end()` brings them back."""

    def __init__(self, settings):
        self.settings = settings
        self.broker_url = app.conf.broker_url
        self.caches = settings.CACHES
        self.ratelimit_cache = getattr(settings, "RATELIMIT_USE_CACHE", "default")

    def begin(self) -> None:
        away = f"redis://127.0.0.1:{closed_port()}/0"
        self.settings.CACHES = {
            "default": {"BACKEND": "osms.core.cache.RedisCache", "LOCATION": away},
            "ratelimit": {"BACKEND": "osms.core.cache.RateLimitRedisCache", "LOCATION": away},
            "shell": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "faults-shell"},
        }
        self.settings.RATELIMIT_USE_CACHE = "ratelimit"
        _point_broker(away, eager=False)

    def end(self) -> None:
        self.settings.CACHES = self.caches
        self.settings.RATELIMIT_USE_CACHE = self.ratelimit_cache
        _point_broker(self.broker_url, eager=True)


@pytest.fixture
def redis_outage(settings):
    outage = RedisOutage(settings)
    yield outage
    outage.end()
