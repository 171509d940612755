"""Reads that scale out: the status answer, the public check, the partner API and the information
pages read from a PostgreSQL streaming replica when `DATABASE_REPLICA_URLS` lists any (ADR 0105).

Everything else reads and writes on the primary (`default`):
- only views wrapped in `replica_reads` may read from a replica, and in them only the models of
  `REPLICA_APPS` (the coverage facts); sign-in, sessions, roles, representation and every other
  app are always read from the primary, so a revoked right or a signed-out session is never seen
  late;
- read-your-writes: a request that writes (any model but the lookup log and the cache table)
  sets the cookie `osms_primary_until`; for `DATABASE_PRIMARY_AFTER_WRITE_SECONDS` after it, every
  read of that browser goes to the primary;
- a replica is used only while its verdict is good: in recovery, streaming from the primary, and
  replaying within `DATABASE_REPLICA_MAX_LAG` seconds. The verdict is checked with a short
  connect timeout and kept `DATABASE_REPLICA_CHECK_SECONDS` in each process; a replica that is
  down, lagging or promoted is skipped and the primary answers (no error page).
Tasks, commands and the back office never see a replica: without a request in `replica_reads`
the router answers the primary.
"""

from __future__ import annotations

import functools
import itertools
import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

PRIMARY_COOKIE = "osms_primary_until"
# Models whose rows may be read from a replica inside a `replica_reads` view.
REPLICA_APPS = frozenset({"coverage"})
# Writes that do not make the writer's next reads go to the primary: the lookup log is the
# reader's own audit trail, never shown back to them; the cache table is a cache.
UNMARKED_WRITES = frozenset({"coverage.statuslookup", "django_cache.cacheentry"})

# What a replica must show to be used: in recovery (not promoted), its WAL receiver streaming,
# and the age of the last replayed transaction when it has WAL still to replay (an idle primary
# sends nothing, so a replica that has replayed all it received is not behind).
_HEALTH_SQL = (
    "SELECT pg_is_in_recovery(),"
    " coalesce((SELECT status = 'streaming' FROM pg_stat_wal_receiver), false),"
    " CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0"
    " ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 1e9) END"
)


@dataclass
class _Request:
    """What the router knows of the request being served in this thread."""

    primary_only: bool  # the browser wrote recently (read-your-writes)
    replica_reads: bool = False  # inside a `replica_reads` view
    alias: str | None = None  # the database chosen for this request's replica reads
    wrote: bool = False


_request: ContextVar[_Request | None] = ContextVar("osms_db_request", default=None)


@dataclass
class Verdict:
    usable: bool
    reason: str
    checked_at: float


_verdicts: dict[str, Verdict] = {}
_turn = itertools.count()


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


def verdicts_forget() -> None:
    """Drop this process's cached verdicts (tests; a deploy restarts processes anyway)."""
    _verdicts.clear()


def replica_check(alias: str) -> Verdict:
    """Ask the replica itself (short connect timeout, ADR 0105) whether it may answer reads."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute(_HEALTH_SQL)
            in_recovery, streaming, lag = cursor.fetchone()
    except DatabaseError as exc:
        connection.close()
        return Verdict(False, f"unreachable: {exc.__class__.__name__}", time.monotonic())
    if not in_recovery:
        reason, usable = "not in recovery (promoted?)", False
    elif not streaming:
        reason, usable = "not streaming from the primary", False
    elif float(lag) > settings.DATABASE_REPLICA_MAX_LAG:
        reason, usable = f"{float(lag):.1f} s behind", False
    else:
        reason, usable = f"{float(lag):.1f} s behind", True
    return Verdict(usable, reason, time.monotonic())


def replica_verdict(alias: str) -> Verdict:
    """The cached verdict on a replica, checked again when older than DATABASE_REPLICA_CHECK_SECONDS."""
    verdict = _verdicts.get(alias)
    if verdict is None or time.monotonic() - verdict.checked_at >= settings.DATABASE_REPLICA_CHECK_SECONDS:
        fresh = replica_check(alias)
        if verdict is None or verdict.usable != fresh.usable:
            logger.log(
                logging.INFO if fresh.usable else logging.WARNING,
                "database replica %s %s: %s",
                alias,
                "in use" if fresh.usable else "skipped",
                fresh.reason,
            )
        _verdicts[alias] = verdict = fresh
    return verdict


def _usable_replica() -> str:
    """A replica whose verdict is good and whose connection opens, in turn; else the primary."""
    aliases = replica_aliases()
    start = next(_turn)
    for offset in range(len(aliases)):
        alias = aliases[(start + offset) % len(aliases)]
        if not replica_verdict(alias).usable:
            continue
        connection = connections[alias]
        try:
            # A persistent connection to a replica stopped since the verdict fails here, not in
            # the view: the request's health check of the connection (CONN_HEALTH_CHECKS), made now.
            if connection.connection is not None and not connection.is_usable():
                connection.close()
            connection.ensure_connection()
            connection.health_check_done = True
        except DatabaseError as exc:
            connection.close()
            _verdicts[alias] = Verdict(False, f"unreachable: {exc.__class__.__name__}", time.monotonic())
            logger.warning("database replica %s skipped: %s", alias, exc.__class__.__name__)
            continue
        return alias
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    """DATABASE_ROUTERS entry: replicas for the reads of `replica_reads` views, the primary otherwise."""

    def db_for_read(self, model, **hints):
        state = _request.get()
        if state is None or not state.replica_reads or model._meta.app_label not in REPLICA_APPS:
            return None  # the primary, or the database an instance in the hints came from
        if state.alias is None:
            state.alias = _usable_replica()
        return state.alias

    def db_for_write(self, model, **hints):
        state = _request.get()
        if state is not None and model._meta.label_lower not in UNMARKED_WRITES:
            state.wrote = True
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db in replica_aliases() else None


def replica_reads(view):
    """Let the view's reads of the coverage facts come from a replica (unless this browser wrote
    recently, or no replica is usable)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        state = _request.get()
        if state is None or state.primary_only:
            return view(request, *args, **kwargs)
        state.replica_reads = True
        try:
            return view(request, *args, **kwargs)
        finally:
            state.replica_reads = False

    return wrapped


def read_alias(model) -> str:
    """The database a raw-SQL read of `model`'s table goes to (the router's answer)."""
    from django.db import router

    return router.db_for_read(model)


class ReadYourWritesMiddleware:
    """Marks a browser that wrote, so that its reads go to the primary for a while; without
    replicas it does nothing. Placed before the session middleware, so that a session saved at
    the end of the request counts as a write."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = bool(replica_aliases())

    def __call__(self, request):
        if not self.enabled:
            return self.get_response(request)
        until = request.COOKIES.get(PRIMARY_COOKIE, "")
        state = _Request(primary_only=until.isdigit() and int(until) > time.time())
        token = _request.set(state)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        if state.wrote:
            seconds = settings.DATABASE_PRIMARY_AFTER_WRITE_SECONDS
            response.set_cookie(
                PRIMARY_COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
