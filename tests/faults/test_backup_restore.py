"""The restore drill: a base backup and the archived WAL of a private PostgreSQL cluster, restored into a
fresh cluster, give back the same records and the same status answers — including what was written
after the base backup (point-in-time recovery replays the archive) — and the uploaded documents."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from bench.services import ROOT, PrivateCluster, free_port, pg_bin, workdir

pytestmark = pytest.mark.skipif(
    not shutil.which("runuser") and os.geteuid() == 0, reason="needs runuser to run PostgreSQL as its user"
)


def manage(url: str, *args: str, media: Path) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": url,
        "PRIVATE_MEDIA_ROOT": str(media),
        "REDIS_URL": "",
        # The demo's uploads are scanned by the run's own clamd, as every upload is (tests/clamd.py).
        "CLAMAV_URL": settings.CLAMAV_URL,
        "CLAMAV_REQUIRED": "true" if settings.CLAMAV_URL else "false",
    }
    env.pop("REDIS_URL")
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def live(tmp_path):
    try:
        pg_bin("initdb")
    except RuntimeError:
        pytest.skip("PostgreSQL's server binaries are not installed")
    root = workdir("osms-drill-")
    cluster = PrivateCluster(root, name="live", archive=True).init()
    cluster.start()
    yield cluster
    cluster.destroy()
    shutil.rmtree(root, ignore_errors=True)


def test_a_backup_restores_the_same_records_status_answers_and_documents(live, tmp_path):
    media = tmp_path / "private"
    (media / "appeals").mkdir(parents=True)
    (media / "appeals" / "letter.pdf").write_bytes(b"%PDF-1.7 a citizen's document")
    live.psql("CREATE DATABASE osms")
    url = live.url("osms")
    manage(url, "migrate", "-v0", media=media)
    manage(url, "demo_data", media=media)

    backups = tmp_path / "backups"
    env = {
        **os.environ,
        "PGHOST": "127.0.0.1",
        "PGPORT": str(live.port),
        "PGUSER": "postgres",
        "BACKUP_DIR": str(backups),
        "WAL_DIR": str(live.root / "wal"),
        "MEDIA_DIR": str(media),
    }
    subprocess.run([str(ROOT / "scripts" / "backup")], env=env, check=True, capture_output=True)
    # Written after the base backup: only the archived WAL brings it back.
    live.psql(
        "INSERT INTO core_calendarexception (day, kind, reason) VALUES ('2026-12-31', 'day_off', 'decree')", db="osms"
    )
    live.psql("SELECT pg_switch_wal()")
    expected = json.loads(manage(url, "data_fingerprint", media=media))
    assert expected["rows"]["core.CalendarException"] >= 1 and len(expected["status"]) >= 10

    base = next((backups / "base").iterdir())
    restored_root = workdir("osms-restored-")
    port = free_port()
    drill = subprocess.run(
        [
            str(ROOT / "scripts" / "restore-drill"),
            str(base),
            str(live.root / "wal"),
            str(restored_root / "data"),
            str(port),
        ],
        env={**os.environ, "DATABASE": "osms", "MEDIA_TARGET": str(tmp_path / "restored-media")},
        capture_output=True,
        text=True,
    )
    restored = PrivateCluster(restored_root, port=port)
    try:
        assert drill.returncode == 0, drill.stderr[-2000:]
        fingerprint = json.loads(drill.stdout.strip().splitlines()[-1])
        assert fingerprint == expected
        assert (tmp_path / "restored-media" / "appeals" / "letter.pdf").read_bytes().startswith(b"%PDF-1.7")
    finally:
        restored.destroy()
        shutil.rmtree(restored_root, ignore_errors=True)
