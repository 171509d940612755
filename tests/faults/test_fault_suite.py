"""The fault suite's short run (one of each fault, a batch of 5, short leases) against real processes:
a Celery worker and beat, a private redis-server and PostgreSQL cluster, an HTTP SMS gateway. Every
request of every batch reaches its final state and none is delivered twice (docs/reliability.md)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from bench.services import ROOT, pg_bin

pytestmark = pytest.mark.worker


def test_every_fault_ends_with_every_request_final_and_none_twice(tmp_path):
    try:
        pg_bin("initdb")
    except RuntimeError:
        pytest.skip("PostgreSQL's server binaries are not installed")
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    out = tmp_path / "faults.json"
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "faults", "--quick", "--json", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    outcomes = json.loads(out.read_text()) if out.exists() else []
    assert {o["fault"] for o in outcomes} == {
        "worker SIGKILL mid-batch",
        "Redis stopped, then started",
        "Redis flushed",
        "PostgreSQL restart",
        "SMS gateway 500, then 200",
    }, done.stdout[-3000:] + done.stderr[-3000:]
    for outcome in outcomes:
        assert outcome["final"] == outcome["batch"] == 5, outcome
        assert outcome["twice"] == 0, outcome
    assert done.returncode == 0
