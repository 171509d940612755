"""The statement service with a real Celery worker on Redis and PostgreSQL: issued within seconds,
and issued exactly once even when the worker is killed in the middle of a task."""

from __future__ import annotations

import json
import os
import re
import signal
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils.functional import empty

from osms.core.models import NotificationDelivery
from osms.core.uploads import private_storage
from osms.coverage.periods import Period
from osms.statements import rendering, selectors, services
from osms.statements.models import StatementDocument, StatementRequest
from osms.statements.tasks import statements_sweep

from .conftest import wait_for

pytestmark = pytest.mark.worker


@pytest.fixture
def private_root(monkeypatch, settings, tmp_path):
    """The worker (started after this fixture, with this environment) and the test share the private root."""
    root = tmp_path / "private"
    monkeypatch.setenv("PRIVATE_MEDIA_ROOT", str(root))
    settings.PRIVATE_MEDIA_ROOT = root
    private_storage._wrapped = empty
    yield root
    private_storage._wrapped = empty


def sms_code(sms_dir: Path, phone: str) -> str | None:
    for path in sorted(sms_dir.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        message = json.loads(path.read_text())
        if message["to"] == phone and (match := re.search(r"\b(\d{6})\b", message["text"])):
            return match.group(1)
    return None


def send_request(worker, citizen) -> StatementRequest:
    """Make and confirm a request as the pages do; the code's SMS is sent by the worker itself."""
    request = services.statement_request_create(
        actor=citizen, period_from=Period(2025, 11), period_to=Period(2026, 11), language="ru", consent=True
    )
    services.statement_confirmation_begin(actor=citizen, request=request, method="sms")
    code = wait_for(lambda: sms_code(worker.sms_dir, citizen.phone), timeout=20)
    return services.statement_request_confirm(actor=citizen, request=request, method="sms", proof=code)


def status(request) -> str:
    return StatementRequest.objects.values_list("status", flat=True).get(pk=request.pk)


def test_a_statement_is_issued_by_the_worker_within_seconds(private_root, celery_worker_process, citizen):
    started = time.monotonic()
    request = send_request(celery_worker_process, citizen)
    wait_for(lambda: status(request) == StatementRequest.Status.ISSUED, timeout=30, interval=0.05)
    elapsed = time.monotonic() - started

    document = StatementDocument.objects.get(request=request)
    with document.pdf.open("rb") as stream:
        assert rendering.sha256(stream.read()) == document.sha256
    assert elapsed < 10, f"issued in {elapsed:.1f} s"
    stages = list(request.stages.values_list("kind", flat=True))
    assert stages == ["draft", "received", "processing", "issued"]
    # The citizen is told by SMS, through the same worker.
    wait_for(
        lambda: NotificationDelivery.objects.filter(
            notification__user=citizen, channel="sms", status=NotificationDelivery.Status.SENT
        ).exists()
    )


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in text]


def _waiting_on_documents(cursor) -> bool:
    cursor.execute(
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
        " WHERE c.relname = 'statements_statementdocument' AND NOT l.granted"
    )
    return cursor.fetchone()[0] > 0


def test_a_worker_killed_mid_task_leaves_the_request_to_the_sweep_which_issues_it_once(
    private_root, celery_worker_process, citizen
):
    db = connection.settings_dict
    # Hold the documents table so that the worker, having claimed and rendered the request, blocks
    # just before writing the document: the middle of the task, where we kill it.
    blocker = psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None, dbname=db["NAME"]
    )
    observer = psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=True,
    )
    blocker.execute("LOCK TABLE statements_statementdocument IN SHARE MODE")
    try:
        request = send_request(celery_worker_process, citizen)
        wait_for(lambda: status(request) == StatementRequest.Status.PROCESSING, timeout=30, interval=0.05)
        with observer.cursor() as cursor:
            wait_for(lambda: _waiting_on_documents(cursor), timeout=30, interval=0.05)
        children = _children(celery_worker_process.pid)
        assert children, "the worker has no pool process"
        for child in children:
            os.kill(child, signal.SIGKILL)
    finally:
        blocker.rollback()
        blocker.close()
        observer.close()

    # The message comes back (late acknowledgement, reject on worker lost) to the worker's new pool
    # process, which finds the request claimed a moment ago by a worker it cannot know is dead: it leaves it.
    log = celery_worker_process.log_path
    wait_for(lambda: "WorkerLostError" in log.read_text() or "worker lost" in log.read_text().lower(), timeout=30)
    wait_for(lambda: "'skipped'" in log.read_text(), timeout=30)
    request.refresh_from_db()
    assert request.status == StatementRequest.Status.PROCESSING
    assert not StatementDocument.objects.filter(request=request).exists()

    # Two minutes later the claim is stale; the minute's sweep hands the request to the worker.
    StatementRequest.objects.filter(pk=request.pk).update(
        claimed_at=request.claimed_at - selectors.STALE_CLAIM * 2,
        queued_at=request.queued_at - selectors.STALE_CLAIM * 2,
    )
    statements_sweep.delay()
    wait_for(lambda: status(request) == StatementRequest.Status.ISSUED, timeout=30, interval=0.1)
    time.sleep(1.0)  # a duplicate, if any, would show now

    assert StatementDocument.objects.filter(request=request).count() == 1
    request.refresh_from_db()
    assert request.attempts == 2
    stages = list(request.stages.values_list("kind", flat=True))
    assert stages == ["draft", "received", "processing", "requeued", "processing", "issued"]
    assert citizen.notifications.count() == 1
