"""ClamAV for the test run (a pytest plugin, loaded by the root conftest).

Every upload in the tests is scanned by a real clamd, as in production. There is no internet to
fetch signatures, so the run starts its own clamd with a one-line signature database that knows the
EICAR test file, on a unix socket in a temporary folder (docs/adr/0012-upload-pipeline.md).

- CLAMAV_URL set in the environment (a clamd of your own, e.g. the compose service): used as is.
- Otherwise Debian's `clamd` (package clamav-daemon, installed by .ci/run) is started for the run.
- Neither, on a PostgreSQL run (CI): the run stops with an error. Neither, on a SQLite run (a fresh
  machine): scanning is switched off for the run and only the tests that need the daemon are skipped.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

# The EICAR test file, assembled so that this source file is not itself "infected".
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
_STATE: dict[str, str] = {}


def _clamd_binary() -> str | None:
    return shutil.which("clamd") or next((p for p in ("/usr/sbin/clamd",) if os.access(p, os.X_OK)), None)


def _answers(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect(path)
            sock.sendall(b"nPING\n")
            return sock.recv(16).strip() == b"PONG"
    except OSError:
        return False


def _start(binary: str, folder: Path) -> subprocess.Popen:
    (folder / "db").mkdir()
    (folder / "db" / "portal-test.ndb").write_text(f"Portal.Test.EICAR:0:*:{EICAR.hex()}\n")
    socket_path = folder / "clamd.sock"
    (folder / "clamd.conf").write_text(
        f"LocalSocket {socket_path}\nDatabaseDirectory {folder / 'db'}\nForeground yes\n"
        f"LogFile {folder / 'clamd.log'}\nStreamMaxLength 40M\nMaxThreads 4\n"
    )
    process = subprocess.Popen(
        [binary, "-c", str(folder / "clamd.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(600):  # loading one signature takes well under a second; allow a slow machine a minute
        if _answers(str(socket_path)):
            return process
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
    raise RuntimeError(f"clamd did not start:\n{log[-2000:]}")


@pytest.fixture(scope="session", autouse=True)
def _antivirus(django_test_environment):
    from django.conf import settings
    from django.test import override_settings

    url = os.environ.get("CLAMAV_URL", "")
    process = None
    folder = None
    if not url and (binary := _clamd_binary()):
        folder = Path(tempfile.mkdtemp(prefix="osms-clamd-"))
        process = _start(binary, folder)
        url = f"unix://{folder / 'clamd.sock'}"
    if not url and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        raise pytest.UsageError("clamd is needed for this run: install clamav-daemon or set CLAMAV_URL.")
    _STATE["url"] = url
    with override_settings(CLAMAV_URL=url, CLAMAV_REQUIRED=bool(url)):
        yield url
    if process is not None:
        process.terminate()
        process.wait(timeout=30)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def clamd_url(settings) -> str:
    """The running clamd's address; the test is skipped on a SQLite run where clamd is not installed."""
    if not _STATE.get("url"):
        pytest.skip("clamd is not installed (Debian package clamav-daemon); a PostgreSQL run requires it")
    settings.CLAMAV_URL = _STATE["url"]
    settings.CLAMAV_REQUIRED = True
    return _STATE["url"]
