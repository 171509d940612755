"""`python -m bench import-ratio FILE`: the payments import against the raw limit, in one run.

The raw limit: the same rows, already checked, converted and sorted in the identity index's order,
cut in two by consumer, COPYed by two sessions at once straight into a twin of coverage_payment
(the same columns and indexes, and the same rows already in it). Nothing can store the file
faster on this server: no checking, no staging, no conflict handling. The import is what the
back office runs (`bench import --no-reimport`, in a process of its own so that its peak memory is
its own). The rounds alternate (raw, import, raw, import, ...); after each, the new rows are
deleted and the table vacuumed, so that every round is a first load into the same table.

The twin (bench_payment_twin) is made once per run from coverage_payment and dropped at the end.
Needs a database named *bench* (bench build-table) on this machine, like the other benchmarks.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import threading
import time

import polars as pl
from django.db import connection

from .database import _assert_bench_database, _load, _server_cpu_seconds

TWIN = "bench_payment_twin"
_COLUMNS = "received, number, knp, payer_name, payer_id, consumer_iin, amount, status, period, refund_amount"


def _rows_sorted(path: str) -> pl.DataFrame:
    """The file's rows as the import stores them (its own columnar check and conversion), sorted
    in the identity index's order."""
    from osms.coverage.importers import bulk, columnar
    from osms.coverage.models import PAYMENT_IDENTITY

    verdicts = columnar.Verdicts(today=dt.datetime.now(dt.UTC).date())
    frames = []
    with open(path, "rb") as stream:
        _header, first = bulk.read_header(stream)
        for number, texts, _size in bulk.read_blocks(stream, first_number=first):
            good, slow = columnar.check_block(number, [t for t in texts if t and t.strip()], verdicts)
            assert not slow, f"{len(slow)} lines the columnar check did not take: use a generated file"
            frames.append(good.drop("line"))
    return pl.concat(frames).sort(list(PAYMENT_IDENTITY))


def _prepare(path: str) -> tuple[list[str], int]:
    """Two COPY files, one per half of the consumers, and the row count."""
    rows = _rows_sorted(path)
    consumers = rows["consumer_iin"]
    cut = consumers[len(consumers) // 2]
    halves = [rows.filter(pl.col("consumer_iin") < cut), rows.filter(pl.col("consumer_iin") >= cut)]
    files = []
    for number, half in enumerate(halves):
        out = f"var/bench/raw-half-{number}.copy"
        half.write_csv(out, include_header=False, separator="\t", quote_style="never", null_value="\\N")
        files.append(out)
    return files, rows.height


def _twin_create() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TWIN}")
        cursor.execute(f"CREATE TABLE {TWIN} (LIKE coverage_payment INCLUDING DEFAULTS INCLUDING IDENTITY)")
        cursor.execute(f"INSERT INTO {TWIN} SELECT * FROM coverage_payment ORDER BY id")
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'coverage_payment' ORDER BY indexname")
        for (definition,) in cursor.fetchall():
            twin = definition.replace("ON public.coverage_payment ", f"ON public.{TWIN} ")
            cursor.execute(re.sub(r"INDEX (\w+) ON", lambda m: f"INDEX {m.group(1)}_twin ON", twin, count=1))
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{TWIN}', 'id'), (SELECT max(id) FROM {TWIN}))")
        cursor.execute(f"VACUUM ANALYZE {TWIN}")


def _max_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
        return cursor.fetchone()[0]


def _remove_new_rows(table: str, above: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id > %s", [above])
        cursor.execute(f"VACUUM {table}")
        cursor.execute("CHECKPOINT")


def _copy_session(file: str, errors: list[BaseException]) -> None:
    import psycopg

    try:
        settings = connection.settings_dict
        with (
            psycopg.connect(
                host=settings["HOST"],
                port=settings["PORT"] or 5432,
                user=settings["USER"],
                dbname=settings["NAME"],
                password=settings["PASSWORD"] or None,
                autocommit=True,
            ) as conn,
            conn.cursor() as cursor,
        ):
            cursor.execute("SET synchronous_commit = off")  # as the import's chunks
            with open(file, "rb") as stream, cursor.copy(f"COPY {TWIN} ({_COLUMNS}) FROM STDIN") as copy:
                while block := stream.read(1 << 20):
                    copy.write(block)
    except BaseException as exc:  # reported by the caller
        errors.append(exc)


def _raw_round(files: list[str], rows: int) -> float:
    errors: list[BaseException] = []
    sessions = [threading.Thread(target=_copy_session, args=(file, errors)) for file in files]
    server = _server_cpu_seconds()
    started = time.perf_counter()
    for session in sessions:
        session.start()
    for session in sessions:
        session.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    server = _server_cpu_seconds() - server
    print(
        f"  raw limit: {rows:,} rows in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s;"
        f" PostgreSQL server {server / rows * 1e6:.1f} µs a row; {_load()}",
        flush=True,
    )
    return rows / elapsed


_IMPORT_LINE = re.compile(r"= ([0-9,]+) rows/s; .*peak RSS ([0-9]+) MB")


def _import_round(path: str) -> tuple[float, int]:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "import", path, "--no-reimport"],
        capture_output=True,
        text=True,
        env=os.environ,
        check=False,
    )
    line = next((line for line in result.stdout.splitlines() if line.startswith("first import")), None)
    if line is None:
        raise RuntimeError(result.stdout + result.stderr)
    phases = re.search(r"payments import: [^\"]*", result.stderr)
    print("  import:", line, f"({phases.group(0)})" if phases else "", flush=True)
    speed, peak = _IMPORT_LINE.search(line).groups()
    return float(speed.replace(",", "")), int(peak)


def _prepare_apart(path: str) -> tuple[list[str], int]:
    """_prepare in a process of its own: Linux carries a process's peak memory over to the
    programs it starts, so this one stays small for the import's figure to be the import's."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_prepare_in_child, (path,))


def _prepare_in_child(path: str) -> tuple[list[str], int]:
    import django

    django.setup()
    return _prepare(path)


def bench_import_ratio(path: str, *, rounds: int) -> None:
    _assert_bench_database()
    os.makedirs("var/bench", exist_ok=True)
    started = time.perf_counter()
    files, rows = _prepare_apart(path)
    print(f"{rows:,} rows checked, sorted and cut in two by consumer in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    _twin_create()
    base, twin_base = _max_id("coverage_payment"), _max_id(TWIN)
    print(f"twin of coverage_payment ({base:,} ids) made in {time.perf_counter() - started:.0f} s; {_load()}")
    raw, imported, peaks = [], [], []
    try:
        for number in range(1, rounds + 1):
            print(f"round {number}", flush=True)
            raw.append(_raw_round(files, rows))
            _remove_new_rows(TWIN, twin_base)
            speed, peak = _import_round(path)
            imported.append(speed)
            peaks.append(peak)
            _remove_new_rows("coverage_payment", base)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TWIN}")
        for file in files:
            os.remove(file)
    ratios = [i / r for i, r in zip(imported, raw, strict=True)]
    print(
        f"import / raw limit: {', '.join(f'{value:.2f}' for value in ratios)}"
        f" (import {', '.join(f'{value:,.0f}' for value in imported)} rows/s;"
        f" raw {', '.join(f'{value:,.0f}' for value in raw)} rows/s); import peak memory {max(peaks)} MB; {_load()}"
    )
