"""A real Celery worker process on the real broker (Redis) and database (PostgreSQL) of the test run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _real_services() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql") and bool(os.environ.get("REDIS_URL"))


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """Start `celery worker` against the test database; tasks are queued for real (not eager)."""
    if not _real_services():
        pytest.skip("needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL)")
    from portal.celery import app

    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "SMS_BACKEND": "osms.core.sms.FileSmsBackend",
        "SMS_FILE_PATH": str(tmp_path / "sms"),
    }
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "portal", "purge", "-f"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=prefork", "--concurrency=1", "-l", "INFO"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.sms_dir = tmp_path / "sms"
    process.log_path = tmp_path / "worker.log"
    deadline = time.monotonic() + 30
    while "ready." not in process.log_path.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
    app.conf.task_always_eager = was_eager


def wait_for(predicate, *, timeout: float = 20.0, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError("condition not met in time")
