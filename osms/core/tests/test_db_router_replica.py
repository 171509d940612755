"""The replica router against a real PostgreSQL streaming replica (ADR 0105).

`test_against_a_real_streaming_replica` makes a private primary and replica (replica_pair.py) and
runs the `replica` tests of this module in a pytest run of their own whose database is that primary
and whose DATABASE_REPLICA_URLS is that replica; elsewhere they skip. Without PostgreSQL's server
binaries on the machine the whole module skips.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from osms.core import db_router
from osms.coverage import services
from osms.coverage.importers import KIND_PAYMENTS
from osms.coverage.models import StatusLookup
from osms.coverage.periods import Period
from osms.coverage.selectors import mzp_table_forget
from osms.coverage.tests.factories import iin, load, monthly_payments
from osms.pages.selectors import pages_forget

from .replica_pair import postgresql_bin, start_pair

REPLICA = "replica_1"
inside_pair = pytest.mark.skipif(
    not settings.DATABASE_REPLICAS or connections["default"].vendor != "postgresql",
    reason="run by test_against_a_real_streaming_replica, against a private primary and replica",
)
pytestmark = [pytest.mark.replica]


@pytest.mark.skipif(bool(settings.DATABASE_REPLICAS), reason="this is the run it started")
def test_against_a_real_streaming_replica():
    bin_dir = postgresql_bin()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) on this machine")
    if os.geteuid() == 0 and not _has_user("postgres"):
        pytest.skip("run as root, and no postgres user to run the PostgreSQL tools as")
    pair = start_pair(bin_dir)
    try:
        env = {
            **os.environ,
            "DATABASE_URL": pair.primary.url,
            "DATABASE_REPLICA_URLS": pair.replica.url,
            "REDIS_URL": "",
            "OSMS_REPLICA_DATA": str(pair.replica.data),
            "OSMS_POSTGRESQL_BIN": str(bin_dir),
        }
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "replica", "--create-db", __file__],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        pair.stop()
    report = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, report
    assert "5 passed" in result.stdout, report


def _has_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


# --- inside the pair -----------------------------------------------------------------------------


def _replica_execute(sql: str) -> None:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(sql)


def _replayed() -> None:
    """Wait until the replica has replayed everything the primary committed so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT txid_current()")  # a commit record: the replica's replay clock moves
        cursor.execute("SELECT pg_current_wal_lsn()")
        (target,) = cursor.fetchone()
    for _ in range(200):
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up")


@pytest.fixture
def fresh(transactional_db):
    db_router.verdicts_forget()
    cache.clear()
    mzp_table_forget()
    pages_forget()
    _replayed()
    yield
    db_router.verdicts_forget()


@pytest.fixture
def paused_replica(fresh):
    """The replica stops replaying: it answers with what it had, while the primary moves on."""
    _replica_execute("SELECT pg_wal_replay_pause()")
    yield
    _replica_execute("SELECT pg_wal_replay_resume()")


def _paid_up(person: str) -> None:
    start = Period.of(timezone.localdate()) - 12
    load(KIND_PAYMENTS, monthly_payments(person, f"{start.month:02d}{start.year}", 13))


def _check(client, person: str, **extra) -> str:
    response = client.post(reverse("coverage:status_check"), {"iin": person}, **extra)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="status-result"' in html
    return "Insured" if "govuk-panel--confirmation" in html else "Not insured"


@inside_pair
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_public_check_reads_the_replica_and_logs_on_the_primary(client, paused_replica):
    person = iin()
    _paid_up(person)  # on the primary only: the replica no longer replays
    with override_settings(DATABASE_REPLICA_MAX_LAG=3600):
        assert _check(client, person) == "Not insured"  # the replica's (older) facts
        # a browser that wrote a moment ago reads its own write from the primary
        recent = str(int(time.time()) + 60)
        client.cookies[db_router.PRIMARY_COOKIE] = recent
        assert _check(client, person) == "Insured"
        client.cookies[db_router.PRIMARY_COOKIE] = str(int(time.time()) - 1)  # the mark has run out
        assert _check(client, person) == "Not insured"
    # Lagging beyond the limit: skipped, the primary answers.
    time.sleep(1.2)
    db_router.verdicts_forget()
    with override_settings(DATABASE_REPLICA_MAX_LAG=1.0):
        assert _check(client, person) == "Insured"
        assert not db_router.replica_verdict(REPLICA).usable
    assert StatusLookup.objects.using("default").filter(iin=person).count() == 4


@inside_pair
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_write_sends_that_browsers_reads_to_the_primary(client, citizen, fresh):
    from conftest import PASSWORD

    assert db_router.PRIMARY_COOKIE not in _cookies_after(client.get(reverse("pages:index")))
    assert db_router.PRIMARY_COOKIE not in _cookies_after(
        client.post(reverse("coverage:status_check"), {"iin": iin()})
    )  # the lookup log is the reader's own audit, not a write of theirs
    signed_in = client.post(reverse("accounts:login"), {"username": citizen.iin, "password": PASSWORD})
    assert signed_in.status_code == 302
    mark = signed_in.cookies[db_router.PRIMARY_COOKIE]
    assert mark["max-age"] == settings.DATABASE_PRIMARY_AFTER_WRITE_SECONDS and mark["httponly"]
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert client.get(reverse("coverage:my_status")).status_code == 200
    assert len(on_replica) == 0


def _cookies_after(response) -> set[str]:
    return set(response.cookies)


@inside_pair
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_partner_api_and_information_pages_read_the_replica(client, make_user, fresh):
    officer = make_user(role="fund_officer")
    _key, raw = services.api_key_issue(actor=officer, name="Bank")
    person = iin()
    _paid_up(person)
    _replayed()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.post(
            "/api/v1/status", {"iin": person}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
        )
    assert response.status_code == 200 and response.json()["insured"] is True
    assert any("coverage_payment" in query["sql"] for query in on_replica.captured_queries)
    assert any("coverage_partnerapikey" in query["sql"] for query in on_replica.captured_queries)
    assert StatusLookup.objects.using("default").filter(iin=person, channel="partner").count() == 1
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert client.get(reverse("pages:index")).status_code == 200
        assert client.get(reverse("pages:page", args=["who-pays"])).status_code == 200
    assert any("coverage_" in query["sql"] for query in on_replica.captured_queries)


@inside_pair
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_outside_the_read_views_everything_is_the_primarys(client, citizen, fresh):
    client.force_login(citizen)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert client.get(reverse("accounts:cabinet")).status_code == 200
        services.status_lookup_log(channel="public", iin=citizen.iin, on=timezone.localdate(), insured=None)
    assert len(on_replica) == 0


@inside_pair
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_replica_stopped_mid_run_is_skipped_without_an_error(client, fresh, caplog):
    person = iin()
    _paid_up(person)
    _replayed()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert _check(client, person) == "Insured"
    assert len(on_replica) > 0  # the replica answered, and its connection is kept
    pg_ctl = Path(os.environ["OSMS_POSTGRESQL_BIN"]) / "pg_ctl"
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, str(pg_ctl), "-D", os.environ["OSMS_REPLICA_DATA"], "-m", "immediate", "stop"], check=True)
    caplog.set_level(logging.WARNING, logger="osms.core.db_router")
    # The verdict still says "usable" (kept for an hour here): the dead connection is found at once.
    with override_settings(DATABASE_REPLICA_CHECK_SECONDS=3600):
        assert _check(client, person) == "Insured"
    assert "replica_1 skipped" in caplog.text
    db_router.verdicts_forget()  # checked afresh: unreachable
    assert _check(client, person) == "Insured"
    assert client.get(reverse("pages:index")).status_code == 200
    assert StatusLookup.objects.using("default").filter(iin=person).count() == 3
