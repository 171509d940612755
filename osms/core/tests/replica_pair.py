"""A private PostgreSQL primary and its streaming replica, made with PostgreSQL's own tools in a
temporary folder on free ports (initdb, pg_ctl, pg_basebackup -R), for the replica router's tests
(test_db_router_replica.py). As root, the tools run as the `postgres` user (initdb refuses root)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# Small and fast: the pair holds a test database for a few seconds, nothing else.
_SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c shared_buffers=32MB -c fsync=off -c full_page_writes=off"
    " -c max_connections=40 -c wal_receiver_status_interval=1s -c logging_collector=off"
)


def postgresql_bin() -> Path | None:
    """The folder of the newest PostgreSQL server binaries on this machine, or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    found = shutil.which("initdb")
    if candidates:
        return Path(candidates[-1]).parent
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    bin: Path
    data: Path
    port: int
    log: Path

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*prefix, *args], check=check, capture_output=True, text=True, timeout=60)

    def start(self) -> None:
        options = f"{_SERVER_OPTIONS} -p {self.port} -k {self.data.parent}"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/osms"


@dataclass
class Pair:
    folder: Path
    primary: Server
    replica: Server

    def stop(self) -> None:
        self.replica.stop()
        self.primary.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def start_pair(bin_dir: Path) -> Pair:
    folder = Path(tempfile.mkdtemp(prefix="osms-replica-"))
    folder.chmod(0o777)
    primary = Server(bin_dir, folder / "primary", _free_port(), folder / "primary.log")
    replica = Server(bin_dir, folder / "replica", _free_port(), folder / "replica.log")
    pair = Pair(folder, primary, replica)
    try:
        # initdb's pg_hba.conf lets local connections replicate (trust: a private, loopback-only pair).
        primary._run(str(bin_dir / "initdb"), "-D", str(primary.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        primary.start()
        primary._run(
            str(bin_dir / "pg_basebackup"),
            *("-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"),
            *("-D", str(replica.data), "-R", "-X", "stream", "-c", "fast"),
        )
        replica.start()
        _wait_streaming(bin_dir, replica.port)
    except BaseException:
        pair.stop()
        raise
    return pair


def _wait_streaming(bin_dir: Path, port: int) -> None:
    psql = [str(bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-tAc"]
    for _ in range(100):
        result = subprocess.run(
            [*psql, "SELECT status FROM pg_stat_wal_receiver"], capture_output=True, text=True, check=False
        )
        if result.stdout.strip() == "streaming":
            return
        time.sleep(0.1)
    raise RuntimeError("the replica did not start streaming")
