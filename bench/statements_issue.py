"""Statement service benchmark: the time from a request reaching the system (confirmed) to its issued
document, with real Celery workers on Redis and PostgreSQL. Run by hand, never in the tests:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/osms_bench_statements \\
    REDIS_URL=redis://127.0.0.1:6379/12 \\
    .venv/bin/python -m bench.statements_issue --single 50 --burst 1000 --concurrency 2

* single: requests one after another on an idle service (each waits for its document): p50, p95.
* burst: `--burst` requests received in one transaction, so all their tasks are queued at once:
  p50, p95, max of each request's time, and the time until the last document is issued.

Times are the request's own stored stamps (`received_at` → `finished_at`), written by the portal and
the workers on the same clock. The database must be PostgreSQL with "bench" in its name (it is
created and migrated if missing; earlier statements in it are deleted). The workers are started
here (`celery worker --pool=prefork --concurrency N`) and stopped at the end. Results go to stdout
and to var/bench/statements-<time>.json; docs/performance-statements.md records them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = int(rank), min(int(rank) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _summary(latencies: list[float]) -> dict[str, float]:
    return {
        "count": len(latencies),
        "p50_s": round(_percentile(latencies, 50), 3),
        "p95_s": round(_percentile(latencies, 95), 3),
        "max_s": round(max(latencies), 3),
        "mean_s": round(statistics.fmean(latencies), 3),
    }


def _load() -> tuple[float, float, float]:
    return os.getloadavg()


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of the worker and its pool processes, from /proc: what the work cost,
    whatever else the machine was doing."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    for process in [pid, *map(int, children)]:
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _ensure_database(url: str) -> None:
    import psycopg
    from django.conf import settings
    from psycopg import sql

    db = settings.DATABASES["default"]
    name = db["NAME"]
    assert "bench" in name, f"use a database named *bench*, not {name!r}: statements in it are deleted"
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"] or None, dbname="postgres"
    ) as admin:
        admin.autocommit = True
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _citizens(count: int):
    """`count` citizens with a year of payments (12 rows each), made once and reused by later runs."""
    import io

    from django.utils import timezone

    from osms.accounts.models import User
    from osms.core.iin import make_bin, make_iin
    from osms.coverage.importers import KIND_PAYMENTS, run_import
    from osms.coverage.importers.parsing import PAYMENTS_HEADER
    from osms.coverage.periods import Period

    wanted = []
    for index in range(count):
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=index % 15000)
        wanted.append(make_iin(birth, female=index % 2 == 1, serial=5000 + index // 15000))
    existing = set(User.objects.filter(iin__in=wanted).values_list("iin", flat=True))
    missing = [iin for iin in wanted if iin not in existing]
    if missing:
        from django.contrib.auth.hashers import make_password

        unusable = make_password(None)
        User.objects.bulk_create(
            [
                User(
                    iin=iin,
                    last_name="Бенчмарков",
                    first_name="Тест",
                    phone="+77010000000",
                    language="ru",
                    password=unusable,  # nobody signs in as these citizens
                )
                for iin in missing
            ],
            batch_size=1000,
        )
        employer = make_bin(dt.date(2010, 1, 1), serial=1)
        m0 = Period.of(timezone.localdate())
        lines = [";".join(PAYMENTS_HEADER)]
        for iin in missing:
            for period in Period.range(m0 - 12, m0 - 1):
                received = (period + 1).first_day.strftime("%d.%m.%Y")
                lines.append(
                    f"{received};B{period.code};121;ТОО Бенч;{employer};{iin};6375.00;ОБРАБОТАННЫЕ;{period.code};"
                )
        run_import(KIND_PAYMENTS, io.BytesIO("\n".join(lines).encode()))
    return list(User.objects.filter(iin__in=wanted).order_by("iin"))


def _start_workers(concurrency: int, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false"}
    subprocess.run([sys.executable, "-m", "celery", "-A", "portal", "purge", "-f"], cwd=ROOT, env=env, check=True)
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "-l",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while "ready." not in log_path.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    return process


def _drafts(users):
    from django.utils import timezone

    from osms.statements import rules, services

    first, last = rules.default_period(timezone.localdate())
    return [
        services.statement_request_create(actor=user, period_from=first, period_to=last, language="ru", consent=True)
        for user in users
    ]


def _receive(requests) -> None:
    from osms.statements import services
    from osms.statements.models import StatementRequest

    for request in requests:
        services._receive(request, method=StatementRequest.Signature.SMS, signer_iin=request.iin)


def _wait(ids: list[int], *, timeout: float) -> list[float]:
    from osms.statements.models import StatementRequest

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = StatementRequest.objects.filter(pk__in=ids, finished_at__isnull=False).count()
        if done == len(ids):
            break
        time.sleep(0.02 if len(ids) == 1 else 0.5)
    rows = list(StatementRequest.objects.filter(pk__in=ids).values_list("received_at", "finished_at", "due_at"))
    unfinished = [row for row in rows if row[1] is None]
    assert not unfinished, f"{len(unfinished)} requests not issued within {timeout} s"
    return [(finished - received).total_seconds() for received, finished, _ in rows]


def run(*, single: int, burst: int, concurrency: int, timeout: float) -> dict:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from osms.core.models import Notification
    from osms.statements.models import StatementDocument, StatementRequest

    call_command("migrate", verbosity=0)
    users = _citizens(max(burst, single, 1))
    # Start clean: earlier runs' statements and their notifications.
    StatementDocument.objects.all().delete()
    StatementRequest.objects.all().delete()
    Notification.objects.filter(user__in=users).delete()

    out_dir = ROOT / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    worker = _start_workers(concurrency, out_dir / f"statements-worker-{stamp}.log")
    result: dict = {
        "when": timezone.localtime().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "concurrency": concurrency,
        "load_before": _load(),
    }
    try:
        # Warm-up: the pool processes load WeasyPrint and the font once.
        warm = _drafts(users[: concurrency * 2])
        _receive(warm)
        _wait([request.pk for request in warm], timeout=timeout)

        latencies = []
        for user in users[:single]:
            (request,) = _drafts([user])
            _receive([request])
            latencies.extend(_wait([request.pk], timeout=timeout))
        if latencies:
            result["single"] = _summary(latencies)
            print(f"single ({single} one after another): {result['single']}", flush=True)

        if burst:
            requests = _drafts(users[:burst])
            cpu_before = _cpu_seconds(worker.pid)
            started = time.monotonic()
            with transaction.atomic():  # all received at once: the tasks are queued when this commits
                _receive(requests)
            ids = [request.pk for request in requests]
            latencies = _wait(ids, timeout=timeout)
            wall = time.monotonic() - started
            cpu = _cpu_seconds(worker.pid) - cpu_before
            stamps = StatementRequest.objects.filter(pk__in=ids).values_list("received_at", "finished_at", "due_at")
            first_in = min(received for received, _, _ in stamps)
            last_out = max(finished for _, finished, _ in stamps)
            result["burst"] = {
                **_summary(latencies),
                "all_issued_s": round((last_out - first_in).total_seconds(), 1),
                "wall_s": round(wall, 1),
                "per_second": round(burst / (last_out - first_in).total_seconds(), 2),
                "past_due_at": sum(1 for _, finished, due in stamps if finished > due),
                "over_15_wall_minutes": sum(1 for latency in latencies if latency > 15 * 60),
                "documents": StatementDocument.objects.filter(request_id__in=ids).count(),
                "worker_cpu_s": round(cpu, 1),
                "worker_cpu_per_statement_s": round(cpu / burst, 3),
                # What the cores could issue if the workers had them to themselves.
                "cpu_bound_all_issued_s": round(cpu / (os.cpu_count() or 1), 1),
            }
            print(f"burst ({burst} queued at once): {result['burst']}", flush=True)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    result["load_after"] = _load()
    (out_dir / f"statements-{stamp}.json").write_text(json.dumps(result, indent=2))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.statements_issue", description=__doc__.split("\n")[0])
    parser.add_argument("--single", type=int, default=50, help="requests one after another")
    parser.add_argument("--burst", type=int, default=1000, help="requests queued at once")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2, help="worker pool processes")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds to wait for the documents")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        parser.error("set DATABASE_URL (PostgreSQL, a database named *bench*) and REDIS_URL")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SMS_BACKEND", "osms.core.sms.ConsoleSmsBackend")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(ROOT / "var" / "bench" / "private"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    _ensure_database(os.environ["DATABASE_URL"])
    result = run(single=args.single, burst=args.burst, concurrency=args.concurrency, timeout=args.timeout)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
