"""Benchmarks that need the database: the payments import, a large table, the status answer."""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import statistics
import time

from django.db import connection


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _table_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'coverage_payment'")
        return int(cursor.fetchone()[0])


def _backend_cpu_seconds() -> float:
    """CPU time (user + system) of this connection's PostgreSQL backend, from /proc."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with open(f"/proc/{pid}/stat") as stream:
        fields = stream.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_cpu_seconds() -> float:
    """CPU time of the whole PostgreSQL server on this machine: the postmaster, its live children
    (backends, checkpointer, WAL writer, autovacuum) and the children it has reaped (the import's
    lane sessions end before the figure is read). The server must run here, as in the benchmarks."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    with open(f"/proc/{backend}/stat") as stream:
        postmaster = int(stream.read().rsplit(")", 1)[1].split()[1])
    ticks = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as stream:
                fields = stream.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(pid) == postmaster:
            ticks += sum(int(value) for value in fields[11:15])  # its own and its reaped children's
        elif int(fields[1]) == postmaster:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _load() -> str:
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def bench_import(path: str, *, reimport: bool = True) -> None:
    """Wall-clock rows/s end to end, and the CPU seconds of this process and of its PostgreSQL
    backend: on a shared, loaded machine the CPU figures say what the work costs."""
    from osms.coverage.importers import KIND_PAYMENTS, run_import

    assert connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database"
    print(f"payments table before: ~{_table_rows():,} rows; peak RSS so far {_peak_rss_mb():.0f} MB; {_load()}")
    passes = ["first import", "re-import (unchanged)"] if reimport else ["first import"]
    for label in passes:
        rejected = 0

        def count(rejection):
            nonlocal rejected
            rejected += 1

        server = _server_cpu_seconds()
        cpu = time.process_time()
        started = time.perf_counter()
        with open(path, "rb") as stream:
            summary = run_import(KIND_PAYMENTS, stream, on_rejected=count)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu
        server = _server_cpu_seconds() - server
        print(
            f"{label}: {summary.read:,} rows in {elapsed:.1f} s = {summary.read / elapsed:,.0f} rows/s; "
            f"{summary.as_dict()}; peak RSS {_peak_rss_mb():.0f} MB; CPU: importer {cpu:.1f} s"
            f" ({cpu / summary.read * 1e6:.1f} µs a row), PostgreSQL server {server:.1f} s"
            f" ({server / max(summary.read, 1) * 1e6:.1f} µs a row); {_load()}",
            flush=True,
        )


def _assert_bench_database() -> None:
    name = connection.settings_dict["NAME"]
    assert connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database"
    assert "bench" in name, f"build-table empties coverage_payment: use a database named *bench*, not {name!r}"


def build_table(*, persons: int, months: int) -> None:
    """Empty coverage_payment and fill it with a payment history streamed from this process
    straight into COPY (no file), month after month as registers arrive, so one person's rows
    are spread over the table as in production; the identity index (the only one, covering:
    ADR 0102) is built afterwards, then VACUUM ANALYZE sets the visibility map.

    Consumers are bench.generate.person_iin(0 .. persons-1), valid IINs the load clients use too;
    80% are employees paid by one of 60 000 organisations (КНП 121, any amount), 20% self-payers
    (КНП 122, 4 250); about one month in 23 is missing, so there are debts, graces and lapses.
    """
    from osms.coverage.models import PAYMENT_IDENTITY_SQL

    from .generate import EMPLOYERS, employer_bin, person_iin

    _assert_bench_database()
    last = dt.date(2026, 10, 1)
    first_year, first_month = divmod(last.year * 12 + last.month - 1 - (months - 1), 12)
    started = time.perf_counter()
    iins = [person_iin(p) for p in range(persons)]
    bins = [employer_bin(e) for e in range(EMPLOYERS)]
    names = [f'ТОО "Компания {e}"' for e in range(EMPLOYERS)]
    print(f"{persons:,} person IINs in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 1")
        cursor.execute("ALTER TABLE coverage_payment DROP CONSTRAINT IF EXISTS coverage_payment_identity")
        cursor.execute("DROP INDEX IF EXISTS coverage_payment_iin_received")
        cursor.execute("TRUNCATE coverage_payment")
        for offset in range(months):
            year, month0 = divmod(first_year * 12 + first_month + offset, 12)
            period = year * 100 + month0 + 1
            ry, rm = (year + 1, 1) if month0 == 11 else (year, month0 + 2)
            days = [f"{ry:04d}-{rm:02d}-{d:02d}" for d in range(1, 26)]
            t = time.perf_counter()
            written = 0
            with connection.connection.cursor().copy(
                "COPY coverage_payment (received, number, knp, payer_name, payer_id, consumer_iin, amount, status,"
                " period) FROM STDIN"
            ) as copy:
                chunk = []
                for p in range(persons):
                    if (p * 7 + offset) % 23 == 0:
                        continue
                    if p % 10 < 8:
                        e = p % EMPLOYERS
                        chunk.append(
                            f"{days[p % 25]}\t{p % 100000}\t121\t{names[e]}\t{bins[e]}\t{iins[p]}\t"
                            f"{3000 + (p % 7) * 1500}\taccepted\t{period}\n"
                        )
                    else:
                        iin = iins[p]
                        chunk.append(
                            f"{days[p % 25]}\t{p % 100000}\t122\tФизическое лицо\t{iin}\t{iin}\t4250\taccepted\t{period}\n"
                        )
                    if len(chunk) == 20_000:
                        copy.write("".join(chunk))
                        written += len(chunk)
                        chunk.clear()
                copy.write("".join(chunk))
                written += len(chunk)
            print(f"period {period}: {written:,} rows in {time.perf_counter() - t:.1f} s", flush=True)
        t = time.perf_counter()
        cursor.execute(PAYMENT_IDENTITY_SQL)
        print(f"identity index (covering): {time.perf_counter() - t:.1f} s", flush=True)
        t = time.perf_counter()
        cursor.execute("VACUUM ANALYZE coverage_payment")
        print(f"vacuum analyze: {time.perf_counter() - t:.1f} s", flush=True)
        cursor.execute(
            "SELECT pg_size_pretty(pg_relation_size('coverage_payment')),"
            " pg_size_pretty(pg_indexes_size('coverage_payment'))"
        )
        table_size, index_size = cursor.fetchone()
    print(
        f"built ~{_table_rows():,} payments for {persons:,} persons in {time.perf_counter() - started:.0f} s;"
        f" table {table_size}, indexes {index_size}"
    )


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def bench_status(*, samples: int, on: str, persons: int) -> None:
    """`persons` is the --persons given to build-table: its consumers are person_iin(0 .. persons-1)."""
    from osms.coverage.selectors import mzp_table, status_answer

    from .generate import person_iin

    day = dt.date.fromisoformat(on)
    rng = random.Random(7)
    # Random persons of the synthetic history, and 5% valid IINs with no data at all.
    iins = [
        person_iin(rng.randrange(persons)) if rng.random() < 0.95 else person_iin(persons + rng.randrange(10**6))
        for _ in range(samples)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT received, period, amount, knp, payer_id, status"
            " FROM coverage_payment WHERE consumer_iin = %s AND received <= %s",
            [iins[0], day],
        )
        print("\n".join(row[0] for row in cursor.fetchall()))
    print(_load())
    mzp_table()
    for iin in iins[:500]:  # warm the connection and the code paths
        status_answer(iin=iin, on=day)
    timings = []
    insured = 0
    backend = _backend_cpu_seconds()
    cpu = time.process_time()
    started = time.perf_counter()
    for iin in iins:
        t = time.perf_counter()
        answer = status_answer(iin=iin, on=day)
        timings.append((time.perf_counter() - t) * 1000)
        insured += answer.insured
    elapsed = time.perf_counter() - started
    cpu = (time.process_time() - cpu) / samples * 1000
    backend = (_backend_cpu_seconds() - backend) / samples * 1000
    print(f"CPU per answer: Python {cpu:.3f} ms, PostgreSQL backend {backend:.3f} ms")
    print(
        f"status_answer over ~{_table_rows():,} payments, {samples:,} random IINs ({persons:,} persons):"
        f" p50 {_percentile(timings, 0.50):.2f} ms, p90 {_percentile(timings, 0.90):.2f} ms,"
        f" p99 {_percentile(timings, 0.99):.2f} ms, max {max(timings):.1f} ms,"
        f" mean {statistics.fmean(timings):.2f} ms; {samples / elapsed:,.0f} answers/s; {insured:,} insured; {_load()}"
    )
