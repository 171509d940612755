"""The development rate-limit counter (no Redis): Django's database cache with an increment that
holds the row's lock, so two processes never both count from the same value."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parents[3]
RATELIMIT_DB_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {"BACKEND": "osms.core.cache.RateLimitDatabaseCache", "LOCATION": "portal_ratelimit_test"},
}


@pytest.fixture
def counter(settings, db):
    settings.CACHES = RATELIMIT_DB_CACHE
    call_command("createcachetable", verbosity=0)
    return caches["ratelimit"]


def test_the_increment_locks_the_row_before_it_reads(counter):
    counter.add("rl:a", 1, 60)
    with CaptureQueriesContext(connection) as queries:
        assert counter.incr("rl:a") == 2
    statements = [query["sql"].lstrip().split()[0].upper() for query in queries.captured_queries]
    work = [s for s in statements if s in ("UPDATE", "SELECT", "INSERT")]
    assert work[0] == "UPDATE" and "SELECT" in work[1:]  # the lock first, then the read and the write
    assert counter.incr("rl:a", 3) == 5 and counter.get("rl:a") == 5
    with pytest.raises(ValueError):
        counter.incr("rl:missing")


@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_lose_none(settings):
    if connection.vendor != "postgresql":
        pytest.skip("threads share one in-memory SQLite database; PostgreSQL shows concurrent sessions")
    settings.CACHES = RATELIMIT_DB_CACHE
    call_command("createcachetable", verbosity=0)
    cache = caches["ratelimit"]
    cache.add("rl:c", 0, 60)

    def work():
        from django.db import connections

        for _ in range(25):
            caches["ratelimit"].incr("rl:c")
        connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("rl:c") == 100


def test_without_redis_the_rate_limits_count_in_the_locked_database_cache():
    code = (
        "import portal.settings.dev as s; "
        "assert s.CACHES['ratelimit']['BACKEND'] == 'osms.core.cache.RateLimitDatabaseCache'; "
        "assert s.RATELIMIT_USE_CACHE == 'ratelimit'"
    )
    env = {**os.environ, "REDIS_URL": "", "DATABASE_URL": "sqlite:///var/unused.sqlite3"}
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env).returncode == 0
