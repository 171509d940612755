"""The health check of persistent connections (osms/core/postgresql/base.py, ADR 0108): no round
trip while the session is quiet, and a session the server has ended is never reused."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql import base as django_backend

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the portal's PostgreSQL backend"),
]


def test_a_quiet_session_is_usable_without_asking_the_server(monkeypatch):
    connection.ensure_connection()
    asked = []
    monkeypatch.setattr(django_backend.DatabaseWrapper, "is_usable", lambda self: asked.append(1) or True)
    assert connection.is_usable() and not asked


def test_a_session_the_server_ended_is_not_reused():
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    dsn = connection.connection.info.dsn
    with psycopg.connect(dsn, password=connection.settings_dict.get("PASSWORD") or None, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not connection.is_usable()
    # Django's per-request check then closes it, and the next query opens a new session.
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_a_session_inside_a_transaction_is_asked(monkeypatch):
    connection.ensure_connection()
    asked = []
    monkeypatch.setattr(django_backend.DatabaseWrapper, "is_usable", lambda self: asked.append(1) or True)
    connection.connection.execute("BEGIN")
    try:
        assert connection.is_usable() and asked
    finally:
        connection.connection.execute("ROLLBACK")
