"""Private services for the fault suite and the restore drill: a PostgreSQL cluster and a Redis server
of their own, on free ports in a temporary folder, never the shared ones (5432, 6379).

PostgreSQL refuses to run as root: when this runs as root, the cluster's commands run as the
`postgres` system user (runuser). Binaries come from /usr/lib/postgresql/<newest>/bin.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pg_bin(name: str) -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    if found and Path(found[-1], name).exists():
        return str(Path(found[-1], name))
    located = shutil.which(name)
    if not located:
        raise RuntimeError(f"PostgreSQL's {name} is not installed")
    return located


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def wait_until(predicate, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError(f"{what} not met within {timeout:.0f} s")


def workdir(prefix: str) -> Path:
    """A temporary folder the cluster's user may write to."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")
    return path


class PrivateCluster:
    """initdb + pg_ctl on a free port; WAL archived to `<dir>/wal` when `archive` is set (PITR)."""

    def __init__(self, root: Path, *, name: str = "data", archive: bool = False, port: int | None = None):
        self.root, self.data, self.port = root, root / name, port or free_port()
        self.archive = archive
        self.log = root / f"{name}.log"

    def _run(self, argv: list[str], **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(_as_postgres(argv), check=True, capture_output=True, text=True, **kwargs)

    def init(self) -> PrivateCluster:
        self._run([pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"])
        settings = [
            f"port = {self.port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{self.root}'",
            "fsync = off" if not self.archive else "fsync = on",
            "max_connections = 60",
            "shared_buffers = 64MB",
        ]
        if self.archive:
            wal = self.root / "wal"
            self._run(["mkdir", "-p", str(wal)])
            settings += ["wal_level = replica", "archive_mode = on", f"archive_command = 'cp %p {wal}/%f'"]
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n" + "\n".join(settings) + "\n")
        return self

    def start(self) -> None:
        self._run([pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start"])

    def stop(self, mode: str = "fast") -> None:
        self._run([pg_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop"])

    def restart(self) -> None:
        self._run([pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "restart"])

    def psql(self, sql: str, *, db: str = "postgres") -> str:
        out = self._run(
            [pg_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db, "-Atqc", sql]
        )
        return out.stdout.strip()

    def url(self, db: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")


class PrivateRedis:
    """redis-server on a free port, no persistence: a stop loses the queue, as a flush does."""

    def __init__(self, root: Path):
        self.root, self.port, self.process = root, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: self.cli("PING") == "PONG", timeout=10, what="redis-server up")

    def cli(self, *args: str) -> str:
        done = subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True)
        return done.stdout.strip()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class CeleryProcess:
    """`celery -A portal worker` (or beat) in a process group of its own, so a SIGKILL takes it all."""

    def __init__(self, env: dict[str, str], log: Path, *, beat: bool = False, concurrency: int = 2):
        self.env, self.log_path, self.beat, self.concurrency = env, log, beat, concurrency
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> float:
        self.starts += 1
        log_path = self.log_path.with_name(f"{self.log_path.stem}-{self.starts}.log")
        if self.beat:
            args = ["beat", "-s", str(self.log_path.with_suffix(".schedule")), "-l", "INFO"]
        else:
            args = [
                "worker",
                "--pool=prefork",
                f"--concurrency={self.concurrency}",
                "-l",
                "INFO",
                "-n",
                f"w{time.time_ns()}@%h",
            ]
        log = log_path.open("a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if not self.beat:
            wait_until(lambda: "ready." in log_path.read_text(), timeout=60, what="worker ready")
        return time.monotonic()

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once (no warm shutdown, nothing acknowledged)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
