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

`RateLimitDatabaseCache` is the development counter (no Redis): Django's database cache, whose
`incr` reads and then writes, so two processes could both read 4 and both write 5. Here the
increment first touches the row in the same transaction, which takes its lock (the row lock on
PostgreSQL, the database's write lock on SQLite), so the read that follows sees every earlier
increment and the next one waits for this one.
"""

from __future__ import annotations

import threading

from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

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


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = PortalRedisCacheClient


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


class RateLimitRedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RateLimitCacheClient


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
