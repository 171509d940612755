"""One chunk of a bulk payments import (importers/bulk.py) stored in coverage_payment.

A chunk is stored one of two ways, with the same rows and counts (docs/adr/0103-payments-import-in-
columns-and-lanes.md, docs/adr/0108-payments-fast-path.md, docs/adr/0110-payments-import-direct-copy.md):

- **New** (the common case: another month's register): the chunk's spill file (importers/spill.py)
  is sorted in the importer and its rows - the first of each identity in line order, a later
  ВОЗВРАТ folded in - are COPYed straight into coverage_payment, in identity order, under a
  savepoint. PostgreSQL writes each row once, in COPY's batches, and checks uniqueness as it
  inserts, so a row already stored (or being stored by another import) ends the attempt with a
  unique violation: the savepoint is rolled back and the chunk is merged instead.
- **Merge**: the chunk is COPYed into the lane's temp table, then INSERT ... ON CONFLICT DO
  NOTHING in identity order, the line number deciding between rows of one identity, so the
  first in the file is stored; then one set-based UPDATE marks stored accepted payments returned.

In identity order the unique index is walked once from end to end.
"""

from __future__ import annotations

import psycopg
from django.db import IntegrityError, connection, transaction

from .columnar import COPY_COLUMNS
from .spill import STORED_COLUMNS, Spill, new_rows

LOAD_TABLE = "coverage_payment_load"  # each lane's session temp table: the chunk being merged
IDENTITY = "consumer_iin, period, received, payer_id, number"
ACCEPTED = "accepted"  # Payment.Status values, as stored
RETURNED = "returned"

_UNIQUE_VIOLATION = "23505"
_INSERT = (
    "INSERT INTO coverage_payment"
    " (received, number, knp, payer_name, payer_id, consumer_iin, amount, status, period, refund_amount)"
)
_ROWS = "received, number, knp, payer_name, payer_id, consumer_iin, amount, status, period, refund"
_COPY_NEW = f"COPY coverage_payment ({', '.join(STORED_COLUMNS)}) FROM STDIN"
_COPY_LOAD = f"COPY {LOAD_TABLE} ({', '.join(COPY_COLUMNS)}) FROM STDIN"
_CREATE_LOAD = (
    f"CREATE TEMP TABLE IF NOT EXISTS {LOAD_TABLE} ("
    ' line integer, received date, number varchar(32) COLLATE "C", knp varchar(3), payer_name varchar(255),'
    ' payer_id varchar(12) COLLATE "C", consumer_iin varchar(12) COLLATE "C", amount numeric(14,2),'
    " status varchar(8), period integer, refund numeric(14,2))"
)


def payments_apply(
    *, chunk: int, spill: Spill, new: bool = True, rows: tuple[bytes, int, int] | None = None
) -> tuple[int, int, bool]:
    """Store the spilled rows of one chunk; returns (added, updated, stored as new). With `new`,
    the chunk is first tried as new rows (`rows`: spill.new_rows of it, if already sorted);
    otherwise (the lane met stored rows before) it is merged at once. Call inside a transaction."""
    with connection.cursor() as cursor:
        # The chunk is redone if the server fails before it is on disk, and the import is
        # idempotent; each lane's last chunk commits synchronously, which flushes every chunk.
        cursor.execute("SET LOCAL synchronous_commit = off")
        if new:
            data, added, updated = rows or new_rows(spill.frame(chunk))
            if _copy_new(cursor, data):
                return added, updated, True
        cursor.execute(_CREATE_LOAD)
        cursor.execute(f"TRUNCATE {LOAD_TABLE}")
        with cursor.cursor.copy(_COPY_LOAD) as copy:
            for data in spill.pieces(chunk):
                copy.write(data)
        cursor.execute("SET LOCAL work_mem = '256MB'")
        added = _merge(cursor)
        return added, _mark_returned(cursor), False


def _copy_new(cursor, data: bytes) -> bool:
    """The chunk's new rows COPYed into the table; False when one of them is stored already,
    with nothing of the attempt left."""
    try:
        with transaction.atomic(), cursor.cursor.copy(_COPY_NEW) as copy:  # a savepoint
            copy.write(data)
    except (psycopg.Error, IntegrityError) as exc:
        cause = exc if isinstance(exc, psycopg.Error) else exc.__cause__
        if getattr(cause, "sqlstate", None) != _UNIQUE_VIOLATION:
            raise
        return False
    return True


def _merge(cursor) -> int:
    """The chunk's rows that are not stored yet, in identity order; of the rows of one identity,
    the first in the file."""
    cursor.execute(
        f"{_INSERT} SELECT {_ROWS} FROM {LOAD_TABLE} ORDER BY {IDENTITY}, line"  # noqa: S608 - constants  # nosec B608 # table and column names are constants
        f" ON CONFLICT ({IDENTITY}) DO NOTHING"
    )
    return cursor.rowcount


def _mark_returned(cursor) -> int:
    """Stored accepted payments that the chunk returns: marked returned with the refund of the
    first ВОЗВРАТ of each."""
    cursor.execute(
        "UPDATE coverage_payment p SET status = %s, refund_amount = l.refund"  # noqa: S608 - constants  # nosec B608 # table and column names are constants
        f" FROM (SELECT DISTINCT ON ({IDENTITY}) {IDENTITY}, refund FROM {LOAD_TABLE}"
        f"       WHERE status = %s ORDER BY {IDENTITY}, line) l"
        # The stored table's collation for the join, so that its identity index serves it.
        ' WHERE p.consumer_iin = l.consumer_iin COLLATE "default" AND p.period = l.period'
        ' AND p.received = l.received AND p.payer_id = l.payer_id COLLATE "default"'
        ' AND p.number = l.number COLLATE "default" AND p.status = %s',
        [RETURNED, RETURNED, ACCEPTED],
    )
    return max(cursor.rowcount, 0)
