"""The lookup log's durability (ADR 0105): its row's own transaction does not wait for the WAL
flush; nothing else in the session changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.utils import timezone

from osms.coverage import services
from osms.coverage.models import StatusLookup

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="synchronous_commit is PostgreSQL's")


def _setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@postgresql
@pytest.mark.django_db(transaction=True)
def test_the_lookup_row_commits_without_waiting_for_the_flush_and_nothing_else_does():
    fields, sql = services._status_lookup_insert("default", asynchronous=True)
    values = [timezone.now(), "public", "880327407777", dt.date(2026, 12, 2), True, "192.0.2.1", None]
    with connection.cursor() as cursor:
        cursor.execute(
            sql + " RETURNING current_setting('synchronous_commit')",
            [field.get_db_prep_save(value, connection) for field, value in zip(fields, values, strict=True)],
        )
        assert cursor.fetchone()[0] == "off"  # in the row's own transaction
    assert _setting() == "on"  # the next statement of the same session is durable again
    services.status_lookup_log(channel="public", iin="880327407777", on=dt.date(2026, 12, 2), insured=False)
    assert _setting() == "on"
    row = StatusLookup.objects.order_by("-id").values("channel", "iin", "insured", "client").first()
    assert row == {"channel": "public", "iin": "880327407777", "insured": False, "client": ""}
    assert StatusLookup.objects.count() == 2


@postgresql
@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_transaction_the_lookup_keeps_the_callers_durability():
    with transaction.atomic():
        services.status_lookup_log(channel="partner", iin="880327407777", on=dt.date(2026, 12, 2), insured=None)
        assert _setting() == "on"
    assert StatusLookup.objects.filter(channel="partner").count() == 1
