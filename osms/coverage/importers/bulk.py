"""The payments register on PostgreSQL at national scale: millions of rows a month.

The same checks and counts as the portable path (parsing.parse_payment, writers.payments_write_orm),
arranged for throughput (docs/adr/0102-payments-covering-index.md,
docs/adr/0103-payments-import-in-columns-and-lanes.md, docs/performance.md):

- The file is read in blocks of whole lines and decoded a block at a time; a block that is not
  UTF-8 is decoded line by line, so one bad line is still rejected with its number.
- Checking: `columnar.check_block` checks a whole block in columns (compiled code, outside the
  interpreter) and passes the rows in the register's exact shape; every other line goes to
  `parsing.parse_payment`, the one authority on §13, which rejects it with its reason or accepts it.
- The plan: the file is cut into chunks of about batch_size rows by ranges of the consumer's
  IIN (bounds from the table's statistics, or from the first block), and consecutive chunks go to
  the same lane: one of a few database sessions (PAYMENTS_IMPORT_CONNECTIONS), each a thread with
  its own connection and session temp tables. Rows of one identity share the consumer, so the
  chunk and the lane. Inside a transaction that the caller holds (the tests) there is one lane,
  on the caller's own connection, so the caller's transaction sees everything and rolls it back.
- Staging: each lane COPYs its rows into a temp table (unlogged, private) partitioned by chunk
  while this thread checks the next block; at most one block per lane is waiting, so memory
  stays bounded.
- Applying: every lane at once, chunk after chunk, each one transaction: one INSERT ... ON
  CONFLICT DO NOTHING in identity order (the line number deciding between rows of one identity,
  so the first in the file is stored) and one set-based UPDATE that marks stored accepted
  payments returned. In identity order the unique index - led by the consumer, so a month's
  register touches all of it - is walked once from end to end, and the lanes walk disjoint
  ranges of it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, BinaryIO

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction

from . import columnar, parsing
from .parsing import Line, RowError

if TYPE_CHECKING:
    from . import ImportSummary, Rejection

logger = logging.getLogger(__name__)

BLOCK_BYTES = 8 << 20  # ~70 000 rows: the columnar check's unit
_ASCII_WHITESPACE = " \t\n\r\x0b\x0c"  # what bytes.strip() removes: blank lines are skipped alike

LOAD_TABLE = "coverage_payment_load"
_LOAD_COLUMNS = ", ".join(columnar.COPY_COLUMNS)
_IDENTITY = "consumer_iin, period, received, payer_id, number"
_ACCEPTED = "accepted"  # Payment.Status values, as stored
_RETURNED = "returned"


# --- reading ----------------------------------------------------------------------------------------


def read_header(stream: BinaryIO) -> tuple[Line | None, int]:
    """The first non-blank line (the header) read with readline, so the stream is left exactly
    after it; and the number of the line that follows. As parsing.read_lines: BOM dropped."""
    number = 0
    while True:
        raw = stream.readline()
        if not raw:
            return None, number + 1
        number += 1
        size = len(raw)
        if number == 1 and raw.startswith(parsing.BOM):
            raw = raw[len(parsing.BOM) :]
        raw = raw.rstrip(b"\r\n")
        if raw.strip():
            return Line(number=number, text=_decode(raw), size=size), number + 1


def read_blocks(stream: BinaryIO, *, first_number: int, block_bytes: int = BLOCK_BYTES) -> Iterator[tuple]:
    """Blocks of lines: (number of the block's first line, [text, or None if not UTF-8], bytes).

    Line numbers count every line of the file; line ends are removed; blank lines come as ""
    or whitespace (callers skip them)."""
    number = first_number
    rest = b""
    while True:
        block = stream.read(block_bytes)
        if block:
            block = rest + block
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                rest = block
                continue
            rest, block, size = block[cut:], block[: cut - 1], cut
        elif rest:
            block, rest, size = rest, b"", len(rest)
        else:
            return
        try:
            text = block.decode("utf-8")
        except UnicodeDecodeError:
            texts = [_decode(raw.rstrip(b"\r")) for raw in block.split(b"\n")]
        else:
            texts = text.split("\n")
            if "\r" in text:
                texts = [line.rstrip("\r") for line in texts]
        yield number, texts, size
        number += len(texts)


def _decode(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


# --- COPY text of the rows the full parser decided ------------------------------------------------


def copy_line(row: parsing.PaymentRow) -> str:
    """The COPY line of a row the full parser accepted (the columns of columnar.COPY_COLUMNS)."""
    return (
        f"{row.line}\t{row.received.isoformat()}\t{copy_text(row.number)}\t{row.knp}\t"
        f"{copy_text(row.payer_name)}\t{row.payer_id}\t{row.consumer_iin}\t{row.amount}\t"
        f"{_RETURNED if row.returned else _ACCEPTED}\t{row.period}\t"
        f"{row.refund if row.refund is not None else '\\N'}\n"
    )


def copy_text(value: str) -> str:
    """Escape a free-text value for COPY's text format (only № and Отправитель can need it)."""
    if "\\" in value or "\t" in value or "\r" in value or "\n" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")
    return value


# --- the plan: chunks of consumers, and which lane applies which ------------------------------------


class Plan:
    """The file cut into chunks by ranges of the consumer's IIN (`bounds`: chunk j holds the
    consumers from bounds[j-1] inclusive to bounds[j] exclusive), each chunk one transaction of
    about batch_size rows; consecutive chunks go to the same lane, so each lane walks one range
    of the identity index from its start to its end."""

    def __init__(self, bounds: list[str], lanes: int):
        self.bounds = bounds
        self.chunks = len(bounds) + 1
        self.lanes = min(lanes, self.chunks)
        self.rows = [0] * self.chunks

    def chunk_of(self, consumer: str) -> int:
        return bisect.bisect_right(self.bounds, consumer)

    def lane_of(self, chunk: int) -> int:
        return chunk * self.lanes // self.chunks

    def lane_chunks(self, lane: int) -> list[int]:
        return [chunk for chunk in range(self.chunks) if self.lane_of(chunk) == lane]

    def range_of(self, chunk: int) -> tuple[str | None, str | None]:
        return (self.bounds[chunk - 1] if chunk else None, self.bounds[chunk] if chunk < len(self.bounds) else None)


def _plan(stream: BinaryIO, first_block, first_size: int, lanes: int, batch_size: int) -> Plan:
    """Chunks of about batch_size rows: their number from the file's size, their bounds from the
    stored population (the table's statistics, whatever the order of the file) or, for a table
    without statistics, from the first block's consumers."""
    good, lines = first_block
    size = _stream_size(stream)
    estimate = lines if size is None or not first_size else size * lines // first_size
    chunks = max(lanes, -(-estimate // batch_size))
    bounds = _bounds_from_statistics(chunks) or _bounds_from_sample(good["consumer_iin"], chunks)
    return Plan(bounds, lanes)


def _stream_size(stream: BinaryIO) -> int | None:
    try:
        at = stream.tell()
        size = stream.seek(0, 2)
        stream.seek(at)
    except (AttributeError, OSError, ValueError):
        return None
    return size


def _bounds_from_statistics(chunks: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT histogram_bounds::text::text[] FROM pg_stats"
            " WHERE schemaname = current_schema() AND tablename = 'coverage_payment' AND attname = 'consumer_iin'"
        )
        row = cursor.fetchone()
    histogram = row[0] if row and row[0] else []
    if len(histogram) < 2 * chunks:
        return []  # too coarse for chunks of the size asked
    return sorted({histogram[len(histogram) * k // chunks] for k in range(1, chunks)})


def _bounds_from_sample(consumers, chunks: int) -> list[str]:
    if consumers.len() == 0 or chunks == 1:
        return []
    ordered = consumers.sort()
    return sorted({ordered[ordered.len() * k // chunks] for k in range(1, chunks)})


# --- one lane's work, run in the lane's thread on the lane's connection ------------------------------


def _literal(value: str | None, default: str) -> str:
    return default if value is None else "'" + value.replace("'", "''") + "'"


def payments_stage_begin(plan: Plan, lane: int) -> None:
    """An empty session temp table for the lane's share of the file (temp: unlogged, private),
    one partition per chunk. Text in byte order (COLLATE "C"): the sorts of the apply compare
    bytes, which also sorts IINs as numbers."""
    temp_buffers_raise()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {LOAD_TABLE}")
        cursor.execute(
            f"CREATE TEMP TABLE {LOAD_TABLE} ("
            ' line integer, received date, number varchar(32) COLLATE "C", knp varchar(3), payer_name varchar(255),'
            ' payer_id varchar(12) COLLATE "C", consumer_iin varchar(12) COLLATE "C", amount numeric(14,2),'
            " status varchar(8), period integer, refund numeric(14,2)) PARTITION BY RANGE (consumer_iin)"
        )
        for chunk in plan.lane_chunks(lane):
            low, high = plan.range_of(chunk)
            cursor.execute(
                f"CREATE TEMP TABLE {LOAD_TABLE}_{chunk} PARTITION OF {LOAD_TABLE}"
                f" FOR VALUES FROM ({_literal(low, 'MINVALUE')}) TO ({_literal(high, 'MAXVALUE')})"
            )


def payments_stage(data: bytes) -> None:
    """COPY one block's checked rows (COPY text) into the load table: each row to its chunk."""
    if not data:
        return
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {LOAD_TABLE} ({_LOAD_COLUMNS}) FROM STDIN") as copy:
        copy.write(data)


def payments_apply(*, chunk: int) -> tuple[int, int]:
    """Store the staged rows of one chunk in identity order (the line number deciding between
    rows of one identity, so the first in the file is stored); returns (added, updated). Call
    inside a transaction. In identity order the unique index is walked once from end to end."""
    with connection.cursor() as cursor:
        # The chunk is redone if the server fails before it is on disk, and the import is
        # idempotent; each lane's last chunk commits synchronously, which flushes every chunk.
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(
            "INSERT INTO coverage_payment"  # noqa: S608 - the names are this module's constants
            " (received, number, knp, payer_name, payer_id, consumer_iin, amount, status, period, refund_amount)"
            " SELECT received, number, knp, payer_name, payer_id, consumer_iin, amount, status, period, refund"
            f" FROM {LOAD_TABLE}_{int(chunk)} ORDER BY {_IDENTITY}, line"
            f" ON CONFLICT ({_IDENTITY}) DO NOTHING"
        )
        added = cursor.rowcount
        cursor.execute(
            "UPDATE coverage_payment p SET status = %s, refund_amount = l.refund"  # noqa: S608 - constants
            f" FROM (SELECT DISTINCT ON ({_IDENTITY}) {_IDENTITY}, refund FROM {LOAD_TABLE}_{int(chunk)}"
            f"       WHERE status = %s ORDER BY {_IDENTITY}, line) l"
            # The stored table's collation for the join, so that its identity index serves it.
            ' WHERE p.consumer_iin = l.consumer_iin COLLATE "default" AND p.period = l.period'
            ' AND p.received = l.received AND p.payer_id = l.payer_id COLLATE "default"'
            ' AND p.number = l.number COLLATE "default" AND p.status = %s',
            [_RETURNED, _RETURNED, _ACCEPTED],
        )
        updated = max(cursor.rowcount, 0)
    return added, updated


def _apply_chunk(chunk: int, *, last: bool, stop: threading.Event | None = None) -> tuple[int, int]:
    if stop is not None and stop.is_set():
        return 0, 0
    with transaction.atomic():
        added, updated = payments_apply(chunk=chunk)
        if last:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = on")
    return added, updated


def temp_buffers_raise() -> None:
    """Let the session keep its share of the file in memory (only possible before the session's
    first temp table; afterwards PostgreSQL refuses and the default stays)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET temp_buffers = '512MB'")
    except DatabaseError:
        pass


# --- lanes ---------------------------------------------------------------------------------------------


def _share_connection(wrapper) -> None:
    """In a lane's thread: use the importing thread's connection (and so its transaction)."""
    connections[wrapper.alias] = wrapper


def _close_connection() -> None:
    connection.close()


class Lane:
    """One database session of the import in a thread of its own: its share of the rows, its
    temp tables, its chunk transactions. With `shared`, the thread uses that connection (the
    importing thread's) instead of opening its own."""

    def __init__(self, shared=None):
        self.shared = shared
        if shared is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="payments-lane")
        else:
            self._executor = ThreadPoolExecutor(max_workers=1, initializer=_share_connection, initargs=(shared,))
        self.pending: Future | None = None

    def submit(self, function, *args, **kwargs) -> Future:
        return self._executor.submit(function, *args, **kwargs)

    def wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()  # re-raises the lane's error here

    def close(self) -> None:
        try:
            if self.shared is None:
                self._executor.submit(_close_connection).result()
        finally:
            self._executor.shutdown(wait=True)


def lane_count(requested: int | None = None) -> int:
    """The number of lanes: one inside a transaction the caller holds, else the setting."""
    if connection.in_atomic_block:
        return 1
    return max(1, requested or settings.PAYMENTS_IMPORT_CONNECTIONS)


def payments_import(
    stream: BinaryIO,
    *,
    summary: ImportSummary,
    first_number: int,
    batch_size: int,
    today: dt.date,
    on_rejected: Callable[[Rejection], None],
    on_progress: Callable[[ImportSummary], None],
    lanes: int | None = None,
) -> ImportSummary:
    count = lane_count(lanes)
    shared = connections[connection.alias] if count == 1 else None
    if shared is not None:
        shared.inc_thread_sharing()
    workers: list[Lane] = []
    try:
        started = time.perf_counter()
        plan = _stage(
            stream, workers, count, shared, summary, first_number, batch_size, today, on_rejected, on_progress
        )
        staged = time.perf_counter()
        # Apply chunk after chunk, each its own transaction, every lane at once: a killed
        # import leaves whole chunks, and running the file again finds them unchanged.
        queues = [[chunk for chunk in plan.lane_chunks(lane) if plan.rows[chunk]] for lane in range(len(workers))]
        _apply(workers, queues, plan, summary, on_progress, queued=shared is None)
        logger.info(
            "payments import: %d rows checked and staged in %.1f s, applied in %.1f s (%d chunks, %d lanes)",
            summary.read,
            staged - started,
            time.perf_counter() - staged,
            plan.chunks,
            len(workers),
        )
    finally:
        try:
            for lane in workers:
                lane.close()
        finally:
            if shared is not None:
                shared.dec_thread_sharing()
    return summary


def _apply(workers: list[Lane], queues: list[list[int]], plan: Plan, summary, on_progress, *, queued: bool) -> None:
    """Each lane applies its chunks in order. Lanes with connections of their own get all their
    chunks at once, so that neither waits for the other between chunks (on a busy machine one
    lane's chunk often takes longer); a lane sharing this thread's connection gets one chunk at a
    time, so that on_progress never uses the connection while the lane does."""
    stop = threading.Event()
    rounds = max((len(queue) for queue in queues), default=0)
    batches = [range(rounds)] if queued else [[round_] for round_ in range(rounds)]
    try:
        for batch in batches:
            running = [
                (lane.submit(_apply_chunk, queue[round_], last=round_ == len(queue) - 1, stop=stop), queue[round_])
                for round_ in batch
                for lane, queue in zip(workers, queues, strict=True)
                if round_ < len(queue)
            ]
            for future, chunk in running:
                added, updated = future.result()
                summary.added += added
                summary.updated += updated
                summary.unchanged += plan.rows[chunk] - added - updated
                on_progress(summary)
    except BaseException:
        stop.set()  # the chunks still queued are not applied; the file can be imported again
        raise


def _stage(
    stream, workers: list[Lane], count, shared, summary, first_number, batch_size, today, on_rejected, on_progress
) -> Plan:
    """Read and check the file a block at a time and COPY each lane's share of a block into its
    load table while this thread checks the next block. The first block decides the plan (and
    so how many lanes start)."""
    verdicts = columnar.Verdicts(today=today)
    plan: Plan | None = None
    waiting_bytes = 0

    def collect() -> None:
        nonlocal waiting_bytes
        for lane in workers:
            lane.wait()
        summary.bytes_read += waiting_bytes
        waiting_bytes = 0
        on_progress(summary)  # every lane is idle: this thread may use the connection

    for first, texts, size in read_blocks(stream, first_number=first_number):
        good, slow = columnar.check_block(first, texts, verdicts)
        if plan is None:
            plan = _plan(stream, (good, len(texts)), size, count, batch_size)
            workers.extend(Lane(shared) for _ in range(plan.lanes))
            for future in [lane.submit(payments_stage_begin, plan, i) for i, lane in enumerate(workers)]:
                future.result()
        extra: list[list[str]] = [[] for _ in workers]
        read = good.height
        for at in slow:
            text = texts[at]
            if text is not None and not text.strip(_ASCII_WHITESPACE):
                continue  # a blank line, as parsing.read_lines skips it
            read += 1
            row = _parse_slowly(first + at, text, today, summary, on_rejected)
            if row is not None:
                chunk = plan.chunk_of(row.consumer_iin)
                plan.rows[chunk] += 1
                extra[plan.lane_of(chunk)].append(copy_line(row))
        parts = columnar.split_by_chunk(good, plan)
        data = [columnar.copy_rows(part) + "".join(lines).encode() for part, lines in zip(parts, extra, strict=True)]
        collect()
        for lane, payload in zip(workers, data, strict=True):
            lane.pending = lane.submit(payments_stage, payload)
        summary.read += read
        waiting_bytes = size
    collect()
    if plan is None:  # no line after the header
        plan = Plan([], 1)
    return plan


def _parse_slowly(number: int, text: str | None, today: dt.date, summary, on_rejected) -> parsing.PaymentRow | None:
    """The full §13 checks: a rejection with its reason, or the accepted row."""
    from . import Rejection

    try:
        return parsing.parse_payment(Line(number=number, text=text, size=0), today=today)
    except RowError as exc:
        summary.rejected += 1
        on_rejected(Rejection(line=number, reason=str(exc), text=text or ""))
        return None


__all__ = ["copy_line", "copy_text", "payments_apply", "payments_import", "payments_stage", "read_blocks"]
