"""The payments register on PostgreSQL at national scale: millions of rows a month.

The same checks and counts as the portable path (parsing.parse_payment, writers.payments_write_orm),
arranged for throughput (docs/adr/0102-payments-covering-index.md, docs/performance.md):

- The file is read in blocks of whole lines and decoded a block at a time; a block that is not
  UTF-8 is decoded line by line, so one bad line is still rejected with its number.
- `PaymentCopier` turns a line straight into a line of COPY text when every cell is exactly in
  the shape the register uses (the dates, periods, amounts and payers' IDs of a month repeat, so
  their verdicts are remembered). Anything else goes to `parsing.parse_payment`, the one
  authority on §13, which rejects the row with its reason or accepts it. The fast path only
  ever accepts what parse_payment accepts, with the same values (tested row for row).
- Staging: the checked rows are COPYed into a session temp table (unlogged, private). Parsing
  and COPY overlap: a second thread streams batch N through the same database connection (so
  the same transaction rules hold, tests included) while this thread parses batch N+1; psycopg
  waits for PostgreSQL without the GIL, so on two cores Python and PostgreSQL work at once. At
  most two batches are held in Python, so its memory stays bounded.
- Applying: the staged file is sorted once by the identity (the line number deciding between
  rows of one identity, so the first in the file is stored) and applied in chunks, each one
  transaction: one INSERT ... ON CONFLICT DO NOTHING and one set-based UPDATE that marks stored
  accepted payments returned. In identity order the unique index - led by the consumer, so a
  month's register touches all of it - is walked once from end to end instead of once per row
  at random: the difference between reading each index page once and reading it ~10 times.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, BinaryIO

from django.db import DatabaseError, connection, connections, transaction

from . import parsing
from .parsing import KNP_CODES, MAX_MONTHS_AHEAD, STATUS_ACCEPTED, STATUS_RETURNED, Line, RowError

if TYPE_CHECKING:
    from . import ImportSummary, Rejection

BLOCK_BYTES = 4 << 20
_ASCII_WHITESPACE = " \t\n\r\x0b\x0c"  # what bytes.strip() removes: blank lines are skipped alike
_CACHE_LIMIT = 200_000

LOAD_TABLE = "coverage_payment_load"
_LOAD_COLUMNS = "line, received, number, knp, payer_name, payer_id, consumer_iin, amount, status, period, refund"
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


# --- the fast path of parse_payment -----------------------------------------------------------------


def _bounded(cache: dict) -> dict:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    return cache


class PaymentCopier:
    """`copier(number, text)` -> a line of COPY text, or None when the full parser must decide.

    Accepts only rows whose every cell is exactly in the register's shape; the verdicts on dates,
    periods, amounts and payers come from the parsing module's own checks, remembered."""

    def __init__(self, *, today: dt.date):
        self.today = today
        self._dates: dict[str, tuple[str, int] | bool] = {}
        self._periods: dict[str, tuple[int, int] | bool] = {}
        self._amounts: dict[str, str | bool] = {}
        self._payers: dict[str, bool] = {}

    def _date(self, text: str):
        try:
            day = parsing.parse_date(text)
        except RowError:
            return False
        if day > self.today:
            return False
        return day.isoformat(), day.year * 12 + day.month

    def _period(self, text: str):
        try:
            value = parsing.parse_period(text)
        except RowError:
            return False
        return value, (value // 100) * 12 + value % 100

    @staticmethod
    def _amount(text: str):
        try:
            return parsing.parse_amount(text)
        except RowError:
            return False

    @staticmethod
    def _payer(text: str) -> bool:
        if len(text) != 12 or not text.isascii() or not text.isdigit():
            return False  # not in the register's exact shape: the full parser decides
        try:
            parsing.parse_payer_id(text)
        except RowError:
            return False
        return True

    def __call__(self, number: int, text: str) -> str | None:
        cells = text.split(";")
        if len(cells) != 10 or "\x00" in text:
            return None
        received, order, knp, payer_name, payer_id, consumer, amount, status, period, refund = cells
        day = self._dates.get(received)
        if day is None:
            day = _bounded(self._dates)[received] = self._date(received)
        if day is False:
            return None
        month = self._periods.get(period)
        if month is None:
            month = _bounded(self._periods)[period] = self._period(period)
        if month is False or month[1] - day[1] > MAX_MONTHS_AHEAD:
            return None
        if knp not in KNP_CODES:
            return None
        money = self._amounts.get(amount)
        if money is None:
            money = _bounded(self._amounts)[amount] = self._amount(amount)
        if money is False:
            return None
        if status == STATUS_ACCEPTED:
            returned = False
        elif status == STATUS_RETURNED:
            returned = True
        else:
            return None
        if refund:
            back = self._amounts.get(refund)
            if back is None:
                back = _bounded(self._amounts)[refund] = self._amount(refund)
            if back is False:
                return None
        else:
            back = money if returned else "\\N"
        payer_ok = self._payers.get(payer_id)
        if payer_ok is None:
            payer_ok = _bounded(self._payers)[payer_id] = self._payer(payer_id)
        if not payer_ok or not parsing._iin_plausible(consumer):
            return None
        order = order.strip()
        payer_name = payer_name.strip()
        if not order or len(order) > 32 or len(payer_name) > 255:
            return None
        return (
            f"{number}\t{day[0]}\t{copy_text(order)}\t{knp}\t{copy_text(payer_name)}\t{payer_id}\t{consumer}\t"
            f"{money}\t{_RETURNED if returned else _ACCEPTED}\t{month[0]}\t{back}\n"
        )

    @staticmethod
    def from_row(row: parsing.PaymentRow) -> str:
        """The COPY line of a row the full parser accepted."""
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


# --- writing ------------------------------------------------------------------------------------------


SORTED_TABLE = "coverage_payment_sorted"


def payments_stage_begin() -> None:
    """An empty session temp table for the whole file (temp: unlogged, private to the import)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {LOAD_TABLE} ("
            " line integer, received date, number varchar(32), knp varchar(3), payer_name varchar(255),"
            " payer_id varchar(12), consumer_iin varchar(12), amount numeric(14,2), status varchar(8),"
            " period integer, refund numeric(14,2))"
        )
        cursor.execute(f"TRUNCATE {LOAD_TABLE}")


def payments_stage(lines: list[str]) -> None:
    """COPY one batch of checked rows into the load table."""
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {LOAD_TABLE} ({_LOAD_COLUMNS}) FROM STDIN") as copy:
        copy.write("".join(lines))


def payments_stage_sort() -> int:
    """The staged file in identity order, numbered (seq), the line number deciding between rows of
    one identity; returns the number of rows. Applying it in this order walks the unique index
    once from end to end, instead of once per row at random (docs/adr/0102)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(f"DROP TABLE IF EXISTS {SORTED_TABLE}")
        cursor.execute(
            f"CREATE TEMP TABLE {SORTED_TABLE} AS SELECT row_number() OVER (ORDER BY {_IDENTITY}, line) AS seq,"  # noqa: S608
            f" {_LOAD_COLUMNS} FROM {LOAD_TABLE}"
        )
        rows = cursor.rowcount
        cursor.execute(f"CREATE INDEX ON {SORTED_TABLE} (seq)")
        cursor.execute(f"ANALYZE {SORTED_TABLE}")
        cursor.execute(f"TRUNCATE {LOAD_TABLE}")
    return rows


def payments_apply(*, after: int, upto: int) -> tuple[int, int]:
    """Store the sorted rows after..upto; returns (added, updated). Call inside a transaction."""
    with connection.cursor() as cursor:
        # The chunk is redone if the server fails before it is on disk, and the import is
        # idempotent; the job's final, synchronous commit flushes every chunk before it.
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(
            "INSERT INTO coverage_payment"  # noqa: S608 - the names are this module's constants
            " (received, number, knp, payer_name, payer_id, consumer_iin, amount, status, period, refund_amount)"
            " SELECT received, number, knp, payer_name, payer_id, consumer_iin, amount, status, period, refund"
            f" FROM {SORTED_TABLE} WHERE seq > %s AND seq <= %s ORDER BY seq"
            f" ON CONFLICT ({_IDENTITY}) DO NOTHING",
            [after, upto],
        )
        added = cursor.rowcount
        cursor.execute(
            "UPDATE coverage_payment p SET status = %s, refund_amount = l.refund"  # noqa: S608 - constants
            f" FROM (SELECT DISTINCT ON ({_IDENTITY}) {_IDENTITY}, refund FROM {SORTED_TABLE}"
            f"       WHERE seq > %s AND seq <= %s AND status = %s ORDER BY {_IDENTITY}, seq) l"
            " WHERE p.consumer_iin = l.consumer_iin AND p.period = l.period AND p.received = l.received"
            " AND p.payer_id = l.payer_id AND p.number = l.number AND p.status = %s",
            [_RETURNED, after, upto, _RETURNED, _ACCEPTED],
        )
        updated = max(cursor.rowcount, 0)
    return added, updated


def _share_connection(wrapper) -> None:
    """In the writer thread: use the importing thread's connection (and so its transaction)."""
    connections[wrapper.alias] = wrapper


def payments_import(
    stream: BinaryIO,
    *,
    summary: ImportSummary,
    first_number: int,
    batch_size: int,
    today: dt.date,
    on_rejected: Callable[[Rejection], None],
    on_progress: Callable[[ImportSummary], None],
) -> ImportSummary:
    copier = PaymentCopier(today=today)
    wrapper = connections[connection.alias]
    temp_buffers_raise()
    payments_stage_begin()
    _stage(stream, copier, wrapper, summary, first_number, batch_size, on_rejected, on_progress)
    # Apply in chunks of batch_size rows, each its own transaction: a killed import leaves whole
    # chunks, and running the file again finds them unchanged.
    with transaction.atomic():
        total = payments_stage_sort()
    for after in range(0, total, batch_size):
        upto = min(after + batch_size, total)
        with transaction.atomic():
            added, updated = payments_apply(after=after, upto=upto)
        summary.added += added
        summary.updated += updated
        summary.unchanged += upto - after - added - updated
        on_progress(summary)
    return summary


def _stage(stream, copier, wrapper, summary, first_number, batch_size, on_rejected, on_progress) -> None:
    """Read, check and COPY the file into the load table: this thread parses batch N+1 while a
    second thread streams batch N through the same connection."""
    wrapper.inc_thread_sharing()
    pending: Future | None = None
    pending_bytes = 0

    def collect() -> None:
        nonlocal pending
        if pending is None:
            return
        pending.result()  # re-raises the writer's error here
        pending = None
        summary.bytes_read += pending_bytes
        on_progress(summary)  # the writer is idle: this thread may use the connection

    try:
        with ThreadPoolExecutor(max_workers=1, initializer=_share_connection, initargs=(wrapper,)) as writer:
            batch: list[str] = []
            batch_bytes = 0

            def flush() -> None:
                nonlocal pending, pending_bytes, batch, batch_bytes
                collect()
                if batch:
                    pending = writer.submit(payments_stage, batch)
                    pending_bytes = batch_bytes
                else:
                    summary.bytes_read += batch_bytes
                batch, batch_bytes = [], 0

            for first, texts, size in read_blocks(stream, first_number=first_number):
                batch_bytes += size
                for number, text in enumerate(texts, first):
                    if text is not None:
                        copy_line = copier(number, text)
                        if copy_line is None:
                            if not text.strip(_ASCII_WHITESPACE):
                                continue  # a blank line, as parsing.read_lines skips it
                            copy_line = _parse_slowly(number, text, copier, summary, on_rejected)
                    else:
                        copy_line = _parse_slowly(number, text, copier, summary, on_rejected)
                    summary.read += 1
                    if copy_line is not None:
                        batch.append(copy_line)
                        if len(batch) >= batch_size:
                            flush()
            flush()
            collect()
    finally:
        wrapper.dec_thread_sharing()


def _parse_slowly(number: int, text: str | None, copier: PaymentCopier, summary, on_rejected) -> str | None:
    """The full §13 checks: a rejection with its reason, or the row's COPY line."""
    from . import Rejection

    try:
        row = parsing.parse_payment(Line(number=number, text=text, size=0), today=copier.today)
    except RowError as exc:
        summary.rejected += 1
        on_rejected(Rejection(line=number, reason=str(exc), text=text or ""))
        return None
    return PaymentCopier.from_row(row)


def temp_buffers_raise() -> None:
    """Let the session keep a whole batch of the load table in memory (only possible before the
    session's first temp table; afterwards PostgreSQL refuses and the default stays)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET temp_buffers = '128MB'")
    except DatabaseError:
        pass


__all__ = ["PaymentCopier", "copy_text", "payments_apply", "payments_import", "payments_stage", "read_blocks"]
