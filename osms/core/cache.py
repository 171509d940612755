"""Redis cache backends of the portal (ADR 0104).

`RedisCache` is Django's, with two costs of the busiest pages taken out: Django builds a new
`redis.Redis` object on every cache call (its ~170 response callbacks cost more CPU than the round
trip itself), and its `incr` asks Redis twice (EXISTS, then INCRBY). Here each process keeps one
client per connection pool (clients are thread-safe; the pool hands out connections), and `incr`
is one Lua call with the same meaning: ValueError when the key is missing.

`RateLimitRedisCache` serves django-ratelimit only (settings.RATELIMIT_USE_CACHE). The library
counts a request with `add(key, 1)` and, when the key is already there, `incr(key)`: two round
trips. Here `add(key, 1)` is one atomic INCRBY (plus EXPIRE when it made the key) that returns
whether the key was new, exactly as SET NX would; the count it read is kept for the `incr(key)`
that the library makes next in the same thread, which then needs no round trip. Any other call
behaves as in `RedisCache`.

Both are fail-safe (ADR 0013): Redis is a cache, never the record, so when it cannot be reached a
read is a miss, a write is dropped and an `add` of the rate limits counts as the first request
(the limits open; django-axes' lockouts live in the database and still hold). After a failure
the client leaves Redis alone for `FAILSAFE_PAUSE` seconds, so a page pays for at most one
connection timeout per pause instead of one per cache call.

`RateLimitDatabaseCache` is the development counter (no Redis): Django's database cache, whose
`incr` reads and then writes, so two processes could both read 4 and both write 5. Here the
increment first touches the row in the same transaction, which takes its lock (the row lock on
PostgreSQL, the database's write lock on SQLite), so the read that follows sees every earlier
increment and the next one waits for this one.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("osms.cache")

# Seconds during which an unreachable Redis is not asked again (per process).
FAILSAFE_PAUSE = 5.0
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

_INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return false
"""

_ADD_OR_INCR = """
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if count == tonumber(ARGV[1]) then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return count
"""


class PortalRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._scripts = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client

    def _script(self, source: str):
        """A registered script (EVALSHA, loaded again by redis-py if the server forgot it)."""
        script = self._scripts.get(source)
        if script is None:
            script = self._scripts[source] = self.get_client(write=True).register_script(source)
        return script

    def incr(self, key, delta):
        count = self._script(_INCR_EXISTING)(keys=[key], args=[delta], client=self.get_client(key, write=True))
        if count is None:
            raise ValueError(f"Key '{key}' not found.")
        return count


class FailsafeMixin:
    """Turns an unreachable Redis into cache misses (see the module's docstring)."""

    _paused_until = 0.0
    _missing_add = False  # what `add` answers when Redis is away

    def _guard(self, method, missing, *args):
        """`method(*args)`, or `missing()` when Redis is unreachable (or was a moment ago)."""
        if time.monotonic() < self._paused_until:
            return missing()
        try:
            return method(*args)
        except _UNREACHABLE as exc:
            if time.monotonic() >= self._paused_until:
                logger.warning("Redis cache unreachable (%s: %s); serving without it", type(exc).__name__, exc)
            self._paused_until = time.monotonic() + FAILSAFE_PAUSE
            return missing()

    def get(self, key, default):
        return self._guard(super().get, lambda: default, key, default)

    def get_many(self, keys):
        return self._guard(super().get_many, dict, keys)

    def has_key(self, key):
        return self._guard(super().has_key, lambda: False, key)

    def add(self, key, value, timeout):
        return self._guard(super().add, lambda: self._missing_add, key, value, timeout)

    def set(self, key, value, timeout):
        return self._guard(super().set, lambda: False, key, value, timeout)

    def set_many(self, data, timeout):
        return self._guard(super().set_many, lambda: list(data), data, timeout)

    def touch(self, key, timeout):
        return self._guard(super().touch, lambda: False, key, timeout)

    def delete(self, key):
        return self._guard(super().delete, lambda: False, key)

    def delete_many(self, keys):
        return self._guard(super().delete_many, lambda: None, keys)

    def clear(self):
        return self._guard(super().clear, lambda: False)

    def incr(self, key, delta):
        def missing():
            raise ValueError(f"Key '{key}' not found.")

        return self._guard(super().incr, missing, key, delta)


class FailsafeCacheClient(FailsafeMixin, PortalRedisCacheClient):
    pass


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailsafeCacheClient


class RateLimitCacheClient(PortalRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._counted = threading.local()

    def add(self, key, value, timeout):
        self._counted.key = None
        if type(value) is not int or value <= 0 or timeout is None or timeout <= 0:
            return super().add(key, value, timeout)
        count = self._script(_ADD_OR_INCR)(keys=[key], args=[value, timeout], client=self.get_client(key, write=True))
        if count == value:
            return True
        self._counted.key, self._counted.delta, self._counted.count = key, value, count
        return False

    def incr(self, key, delta):
        counted = self._counted
        if getattr(counted, "key", None) == key and counted.delta == delta:
            counted.key = None
            return counted.count
        return super().incr(key, delta)


class FailsafeRateLimitCacheClient(FailsafeMixin, RateLimitCacheClient):
    _missing_add = True  # the first request of its window: never limited while Redis is away


class RateLimitRedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailsafeRateLimitCacheClient


class RateLimitDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        from django.db import connections, router, transaction

        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        made = self.make_and_validate_key(key, version=version)
        with transaction.atomic(using=db), connection.cursor() as cursor:
            sql = f"UPDATE {table} SET expires = expires WHERE cache_key = %s"  # noqa: S608  # nosec B608 # the table named in settings, quoted; the key bound
            cursor.execute(sql, [made])
            return super().incr(key, delta, version)
