"""The replica router's decisions, on any database (the real replica: test_db_router_replica.py)."""

from __future__ import annotations

import time

import pytest
from django.db import router
from django.test import override_settings
from django.urls import reverse

from osms.core import db_router
from osms.coverage.models import Payment, StatusLookup
from portal.settings.replicas import replica_databases

pytestmark = pytest.mark.django_db


@pytest.fixture
def replicas(monkeypatch):
    """A replica configured; which database answers is recorded instead of connecting to it."""
    asked: list[str] = []

    def usable() -> str:
        asked.append("asked")
        return "default"

    monkeypatch.setattr(db_router, "_usable_replica", usable)
    with override_settings(DATABASE_REPLICAS=["replica_1"]):
        yield asked


def test_replica_urls_become_mirrored_databases_with_a_short_connect_timeout():
    primary = {"CONN_MAX_AGE": 60}
    databases = replica_databases(
        ["postgres://portal@10.0.0.2:5432/osms", "postgres://portal@10.0.0.3:5432/osms?connect_timeout=3"], primary
    )
    assert list(databases) == ["replica_1", "replica_2"]
    first, second = databases["replica_1"], databases["replica_2"]
    assert (first["HOST"], first["NAME"], first["CONN_MAX_AGE"]) == ("10.0.0.2", "osms", 60)
    assert first["OPTIONS"]["connect_timeout"] == 1 and int(second["OPTIONS"]["connect_timeout"]) == 3
    assert first["CONN_HEALTH_CHECKS"] and first["TEST"] == {"MIRROR": "default"}


def test_without_replicas_no_mark_and_every_read_on_the_primary(client, citizen):
    from conftest import PASSWORD

    response = client.post(reverse("accounts:login"), {"username": citizen.iin, "password": PASSWORD})
    assert response.status_code == 302 and db_router.PRIMARY_COOKIE not in response.cookies
    assert router.db_for_read(Payment) == "default"


def test_the_public_check_asks_for_a_replica_and_its_lookup_log_leaves_no_mark(client, replicas):
    response = client.post(reverse("coverage:status_check"), {"iin": "880327407777"})
    assert response.status_code == 200 and 'id="status-result"' in response.content.decode()
    assert replicas and db_router.PRIMARY_COOKIE not in response.cookies
    assert StatusLookup.objects.count() == 1


def test_a_sign_in_marks_the_browser_and_its_reads_then_stay_on_the_primary(client, citizen, replicas):
    from conftest import PASSWORD

    response = client.post(reverse("accounts:login"), {"username": citizen.iin, "password": PASSWORD})
    mark = response.cookies[db_router.PRIMARY_COOKIE]
    assert int(mark.value) > time.time() and mark["max-age"] == 15 and mark["httponly"]
    assert client.get(reverse("coverage:my_status")).status_code == 200
    assert client.get(reverse("pages:index")).status_code == 200
    assert replicas == []  # the marked browser never read from a replica
    client.cookies[db_router.PRIMARY_COOKIE] = str(int(time.time()) - 1)  # the mark ran out
    assert client.get(reverse("coverage:my_status")).status_code == 200
    assert replicas == ["asked"]


def test_pages_outside_the_read_views_and_background_work_never_ask(client, citizen, replicas):
    client.force_login(citizen)
    assert client.get(reverse("accounts:cabinet")).status_code == 200
    assert router.db_for_read(Payment) == "default"  # no request: a task, a command
    assert replicas == []


def test_a_replica_is_never_migrated():
    with override_settings(DATABASE_REPLICAS=["replica_1"]):
        assert db_router.ReplicaRouter().allow_migrate("replica_1", "coverage") is False
        assert db_router.ReplicaRouter().allow_migrate("default", "coverage") is None
