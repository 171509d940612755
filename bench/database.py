"""Benchmarks that need the database: the payments import, a large table, the status answer."""

from __future__ import annotations

import datetime as dt
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


def bench_import(path: str, *, reimport: bool = True) -> None:
    from osms.coverage.importers import KIND_PAYMENTS, run_import

    assert connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database"
    print(f"payments table before: ~{_table_rows():,} rows; peak RSS so far {_peak_rss_mb():.0f} MB")
    passes = ["first import", "re-import (unchanged)"] if reimport else ["first import"]
    for label in passes:
        rejected = 0

        def count(rejection):
            nonlocal rejected
            rejected += 1

        started = time.perf_counter()
        with open(path, "rb") as stream:
            summary = run_import(KIND_PAYMENTS, stream, on_rejected=count)
        elapsed = time.perf_counter() - started
        print(
            f"{label}: {summary.read:,} rows in {elapsed:.1f} s = {summary.read / elapsed:,.0f} rows/s; "
            f"{summary.as_dict()}; peak RSS {_peak_rss_mb():.0f} MB"
        )


def build_table(*, persons: int, months: int) -> None:
    """A payment history generated inside PostgreSQL, month after month as registers arrive (so one
    person's rows are spread over the table, as in production), indexes built afterwards.

    Consumers are '8' + 11 digits (the status answer does not validate IINs it reads); 80% are
    employees paid by one of 60 000 organisations (КНП 121, any amount), 20% self-payers (КНП 122,
    4 250); about one month in 23 is missing, so there are debts, graces and lapsed statuses.
    """
    assert connection.vendor == "postgresql"
    last = dt.date(2026, 10, 1)
    first_year, first_month = divmod(last.year * 12 + last.month - 1 - (months - 1), 12)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '2GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        cursor.execute("ALTER TABLE coverage_payment DROP CONSTRAINT IF EXISTS coverage_payment_identity")
        cursor.execute("DROP INDEX IF EXISTS coverage_payment_iin_received")
        for offset in range(months):
            year, month0 = divmod(first_year * 12 + first_month + offset, 12)
            period = year * 100 + month0 + 1
            received = dt.date(year + (month0 + 1) // 12, (month0 + 1) % 12 + 1, 1)
            t = time.perf_counter()
            cursor.execute(
                """
                INSERT INTO coverage_payment
                  (received, number, knp, payer_name, payer_id, consumer_iin, amount, status, period, refund_amount)
                SELECT %(received)s::date + (p %% 25),
                       (p %% 100000)::text,
                       CASE WHEN p %% 10 < 8 THEN '121' ELSE '122' END,
                       CASE WHEN p %% 10 < 8 THEN 'ТОО "Компания ' || (p %% 60000) || '"' ELSE 'Физическое лицо' END,
                       CASE WHEN p %% 10 < 8 THEN '0101' || '4' || lpad((p %% 60000)::text, 7, '0')
                            ELSE '8' || lpad(p::text, 11, '0') END,
                       '8' || lpad(p::text, 11, '0'),
                       CASE WHEN p %% 10 < 8 THEN 3000 + (p %% 7) * 1500 ELSE 4250 END,
                       'accepted', %(period)s, NULL
                FROM generate_series(1, %(persons)s) AS p
                WHERE (p * 7 + %(offset)s) %% 23 <> 0
                """,
                {"received": received, "period": period, "persons": persons, "offset": offset},
            )
            print(f"period {period}: {cursor.rowcount:,} rows in {time.perf_counter() - t:.1f} s", flush=True)
        t = time.perf_counter()
        cursor.execute(
            "ALTER TABLE coverage_payment ADD CONSTRAINT coverage_payment_identity"
            " UNIQUE (consumer_iin, period, received, payer_id, number)"
        )
        print(f"unique identity index: {time.perf_counter() - t:.1f} s", flush=True)
        t = time.perf_counter()
        cursor.execute("CREATE INDEX coverage_payment_iin_received ON coverage_payment (consumer_iin, received)")
        print(f"(consumer_iin, received) index: {time.perf_counter() - t:.1f} s", flush=True)
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
    """`persons` is the --persons given to build-table: the synthetic IINs are 8 + 11 digits."""
    from osms.coverage.selectors import mzp_table, status_answer

    day = dt.date.fromisoformat(on)
    rng = random.Random(7)
    # Random persons of the synthetic history, and 5% IINs with no data at all.
    iins = [
        f"8{rng.randrange(1, persons + 1):011d}"
        if persons and rng.random() < 0.95
        else f"7{rng.randrange(10**11):011d}"
        for _ in range(samples)
    ]
    mzp_table()
    for iin in iins[:500]:  # warm the connection and the code paths
        status_answer(iin=iin, on=day)
    timings = []
    insured = 0
    started = time.perf_counter()
    for iin in iins:
        t = time.perf_counter()
        answer = status_answer(iin=iin, on=day)
        timings.append((time.perf_counter() - t) * 1000)
        insured += answer.insured
    elapsed = time.perf_counter() - started
    print(
        f"status_answer over ~{_table_rows():,} payments, {samples:,} random IINs ({persons:,} persons):"
        f" p50 {_percentile(timings, 0.50):.2f} ms, p90 {_percentile(timings, 0.90):.2f} ms,"
        f" p99 {_percentile(timings, 0.99):.2f} ms, max {max(timings):.1f} ms,"
        f" mean {statistics.fmean(timings):.2f} ms; {samples / elapsed:,.0f} answers/s; {insured:,} insured"
    )
