"""The payments register on PostgreSQL at national scale: millions of rows a month.

The same checks and counts as the portable path (parsing.parse_payment, writers.payments_write_orm),
arranged for throughput (docs/adr/0102-payments-covering-index.md,
docs/adr/0103-payments-import-in-columns-and-lanes.md, docs/performance.md):

- The file is read in blocks of whole lines and decoded a block at a time; a block that is not
  UTF-8 is decoded line by line, so one bad line is still rejected with its number (importers/blocks.py).
- Checking: `columnar.check_block` checks a whole block in columns (compiled code, outside the
  interpreter) and passes the rows in the register's exact shape; every other line goes to
  `parsing.parse_payment`, the one authority on §13, which rejects it with its reason or accepts it.
- The plan (importers/plan.py): the file is cut into chunks of about batch_size rows by ranges of the consumer's
  IIN (bounds from the table's statistics, or from the first block), and consecutive chunks go to
  the same lane: one of a few database sessions (PAYMENTS_IMPORT_CONNECTIONS), each a thread with
  its own connection and session temp tables. Rows of one identity share the consumer, so the
  chunk and the lane. Inside a transaction that the caller holds (the tests) there is one lane,
  on the caller's own connection, so the caller's transaction sees everything and rolls it back.
- Spilling (importers/spill.py): each lane appends its chunks' rows of a block, as COPY text, to
  one local file per chunk in a private temp directory while this thread checks the next block;
  at most one block per lane is waiting, so memory stays bounded. The directory is removed when
  the import ends, however it ends.
- Applying (importers/apply.py): every lane at once, chunk after chunk, each one transaction:
  the chunk's file sorted in identity order (the line number deciding between rows of one
  identity, so the first in the file is stored) and COPYed straight into coverage_payment as new
  rows; merged through the lane's temp table by INSERT ... ON CONFLICT DO NOTHING and a set-based
  UPDATE of returned payments when some are stored already. In identity order the unique index -
  led by the consumer, so a month's register touches all of it - is walked once from end to end,
  and the lanes walk disjoint ranges of it (docs/adr/0110-payments-import-direct-copy.md).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, BinaryIO

import polars as pl
from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction

from . import columnar, parsing
from .apply import ACCEPTED, LOAD_TABLE, RETURNED, payments_apply
from .blocks import read_blocks, read_header
from .parsing import Line, RowError
from .plan import Plan, plan_chunks
from .spill import Spill, new_rows

if TYPE_CHECKING:
    from . import ImportSummary, Rejection

logger = logging.getLogger(__name__)

_ASCII_WHITESPACE = " \t\n\r\x0b\x0c"  # what bytes.strip() removes: blank lines are skipped alike


# --- COPY text of the rows the full parser decided ------------------------------------------------


def copy_line(row: parsing.PaymentRow) -> str:
    """The COPY line of a row the full parser accepted (the columns of columnar.COPY_COLUMNS)."""
    return (
        f"{row.line}\t{row.received.isoformat()}\t{copy_text(row.number)}\t{row.knp}\t"
        f"{copy_text(row.payer_name)}\t{row.payer_id}\t{row.consumer_iin}\t{row.amount}\t"
        f"{RETURNED if row.returned else ACCEPTED}\t{row.period}\t"
        f"{row.refund if row.refund is not None else '\\N'}\n"
    )


def copy_text(value: str) -> str:
    """Escape a free-text value for COPY's text format (only № and Отправитель can need it)."""
    if "\\" in value or "\t" in value or "\r" in value or "\n" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")
    return value


# --- one lane's work, run in the lane's thread on the lane's connection ------------------------------


def payments_lane_begin() -> None:
    """A lane's session before its first chunk: room for the temp table a merged chunk is
    loaded into, and none left from an earlier import on this connection."""
    temp_buffers_raise()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {LOAD_TABLE}")


def payments_spill(spill: Spill, parts: dict[int, pl.DataFrame], extra: dict[int, list[str]]) -> None:
    """Append one block's rows of the lane's chunks to their spill files (COPY text)."""
    spill.append(
        {
            chunk: (columnar.copy_rows(parts[chunk]) if chunk in parts else b"")
            + "".join(extra.get(chunk, ())).encode()
            for chunk in parts.keys() | extra.keys()
        }
    )


def _apply_chunk(
    lane: Lane, chunk: int, *, last: bool, following: int | None = None, stop: threading.Event | None = None
) -> tuple[int, int]:
    """One chunk, one transaction, in the lane's thread, while the lane's helper sorts the
    following chunk. Once a lane has met stored rows (a file imported again, or overlapping
    another), it merges its remaining chunks at once rather than try each as new first."""
    if stop is not None and stop.is_set():
        return 0, 0
    rows = lane.prepared(chunk)
    if following is not None and not lane.merging:
        lane.prepare(following)
    with transaction.atomic():
        added, updated, new = payments_apply(chunk=chunk, spill=lane.spill, new=not lane.merging, rows=rows)
        if last:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = on")
    lane.merging = not new
    lane.new_chunks += new
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

    def __init__(self, spill: Spill, shared=None):
        self.spill = spill
        self.shared = shared
        if shared is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="payments-lane")
        else:
            self._executor = ThreadPoolExecutor(max_workers=1, initializer=_share_connection, initargs=(shared,))
        self.pending: Future | None = None
        self._helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="payments-sort")
        self._ahead: dict[int, Future] = {}  # chunks being sorted for a COPY as new rows
        self.merging = False  # the lane met stored rows: it merges its remaining chunks
        self.new_chunks = 0  # chunks stored as new rows (importers/apply.py)

    def submit(self, function, *args, **kwargs) -> Future:
        return self._executor.submit(function, *args, **kwargs)

    def prepare(self, chunk: int) -> None:
        """Sort a chunk's spilled rows for a COPY as new rows, in the helper thread."""
        self._ahead[chunk] = self._helper.submit(lambda: new_rows(self.spill.frame(chunk)))

    def prepared(self, chunk: int) -> tuple[bytes, int, int] | None:
        """The chunk's sorted rows if prepare() was asked for them (waiting for them), else None."""
        ahead = self._ahead.pop(chunk, None)
        return None if ahead is None or self.merging else ahead.result()

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
            self._helper.shutdown(wait=True, cancel_futures=True)


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
    spill = Spill()
    try:
        started = time.perf_counter()
        plan = _stage(
            stream, workers, spill, count, shared, summary, first_number, batch_size, today, on_rejected, on_progress
        )
        staged = time.perf_counter()
        # Apply chunk after chunk, each its own transaction, every lane at once: a killed
        # import leaves whole chunks, and running the file again finds them unchanged.
        queues = [[chunk for chunk in plan.lane_chunks(lane) if plan.rows[chunk]] for lane in range(len(workers))]
        _apply(workers, queues, plan, summary, on_progress, queued=shared is None)
        logger.info(
            "payments import: %d rows checked and spilled in %.1f s, applied in %.1f s"
            " (%d chunks, %d lanes; %d chunks stored as new rows)",
            summary.read,
            staged - started,
            time.perf_counter() - staged,
            plan.chunks,
            len(workers),
            sum(lane.new_chunks for lane in workers),
        )
    finally:
        try:
            for lane in workers:
                lane.close()
        finally:
            spill.remove()
            if shared is not None:
                shared.dec_thread_sharing()
    return summary


def _apply(workers: list[Lane], queues: list[list[int]], plan: Plan, summary, on_progress, *, queued: bool) -> None:
    """Each lane applies its chunks in order. Lanes with connections of their own get all their
    chunks at once, so that neither waits for the other between chunks (on a busy machine one
    lane's chunk often takes longer); a lane sharing this thread's connection gets one chunk at a
    time, so that on_progress never uses the connection while the lane does."""
    stop = threading.Event()
    for lane, queue in zip(workers, queues, strict=True):
        if queue:
            lane.prepare(queue[0])
    rounds = max((len(queue) for queue in queues), default=0)
    batches = [range(rounds)] if queued else [[round_] for round_ in range(rounds)]
    try:
        for batch in batches:
            running = [
                (
                    lane.submit(
                        _apply_chunk,
                        lane,
                        queue[round_],
                        last=round_ == len(queue) - 1,
                        following=queue[round_ + 1] if round_ + 1 < len(queue) else None,
                        stop=stop,
                    ),
                    queue[round_],
                )
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
    stream,
    workers: list[Lane],
    spill: Spill,
    count,
    shared,
    summary,
    first_number,
    batch_size,
    today,
    on_rejected,
    on_progress,
) -> Plan:
    """Read and check the file a block at a time; each lane appends its chunks' rows of a block to
    their spill files while this thread checks the next block. The first block decides the plan
    (and so how many lanes start)."""
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
            plan = plan_chunks(stream, (good, len(texts)), size, count, batch_size)
            workers.extend(Lane(spill, shared) for _ in range(plan.lanes))
            for future in [lane.submit(payments_lane_begin) for lane in workers]:
                future.result()
        extra, slow_read = _slow_lines(first, texts, slow, plan, today, summary, on_rejected)
        read = good.height + slow_read
        parts = columnar.split_by_chunk(good, plan)
        collect()
        for number, lane in enumerate(workers):
            mine = {chunk: part for chunk, part in parts.items() if plan.lane_of(chunk) == number}
            lane.pending = lane.submit(payments_spill, spill, mine, extra[number])
        summary.read += read
        waiting_bytes = size
    collect()
    if plan is None:  # no line after the header
        plan = Plan([], 1)
    return plan


def _slow_lines(first: int, texts, slow, plan: Plan, today: dt.date, summary, on_rejected) -> tuple[list, int]:
    """The lines of a block the columnar check passed on, through the full parser: the COPY lines
    of the rows it accepts, by lane and chunk, and how many lines were read (blank lines are not)."""
    extra: list[dict[int, list[str]]] = [{} for _ in range(plan.lanes)]
    read = 0
    lines = texts.gather(slow).to_list() if isinstance(texts, pl.Series) else [texts[at] for at in slow]
    for at, text in zip(slow, lines, strict=True):
        if text is not None and not text.strip(_ASCII_WHITESPACE):
            continue  # a blank line, as parsing.read_lines skips it
        read += 1
        row = _parse_slowly(first + at, text, today, summary, on_rejected)
        if row is not None:
            chunk = plan.chunk_of(row.consumer_iin)
            plan.rows[chunk] += 1
            extra[plan.lane_of(chunk)].setdefault(chunk, []).append(copy_line(row))
    return extra, read


def _parse_slowly(number: int, text: str | None, today: dt.date, summary, on_rejected) -> parsing.PaymentRow | None:
    """The full §13 checks: a rejection with its reason, or the accepted row."""
    from . import Rejection

    try:
        return parsing.parse_payment(Line(number=number, text=text, size=0), today=today)
    except RowError as exc:
        summary.rejected += 1
        on_rejected(Rejection(line=number, reason=str(exc), text=text or ""))
        return None


__all__ = [
    "copy_line",
    "copy_text",
    "payments_apply",
    "payments_import",
    "payments_spill",
    "read_blocks",
    "read_header",
]
