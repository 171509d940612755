"""One staged chunk of a bulk payments import (importers/bulk.py) stored in coverage_payment.

A chunk is stored one of two ways, with the same rows and counts (docs/adr/0103-payments-import-in-
columns-and-lanes.md, docs/adr/0108-payments-fast-path.md):

- **New** (the common case: another month's register): the first row of each identity in line
  order, by a plain INSERT in identity order under a savepoint. PostgreSQL checks uniqueness as it
  inserts, so a row already stored (or being stored by another import) ends the attempt with a
  unique violation: the savepoint is rolled back and the chunk is merged instead. A plain INSERT
  costs the server about a quarter less than ON CONFLICT's speculative insertion.
- **Merge**: INSERT ... ON CONFLICT DO NOTHING in identity order, the line number deciding between
  rows of one identity, so the first in the file is stored.

Then, either way, one set-based UPDATE marks stored accepted payments returned. In identity order
the unique index is walked once from end to end.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

LOAD_TABLE = "coverage_payment_load"  # each lane's session temp table, one partition per chunk
IDENTITY = "consumer_iin, period, received, payer_id, number"
ACCEPTED = "accepted"  # Payment.Status values, as stored
RETURNED = "returned"

_UNIQUE_VIOLATION = "23505"
_INSERT = (
    "INSERT INTO coverage_payment"
    " (received, number, knp, payer_name, payer_id, consumer_iin, amount, status, period, refund_amount)"
)
_ROWS = "received, number, knp, payer_name, payer_id, consumer_iin, amount, status, period, refund"


def payments_apply(*, chunk: int, new: bool = True) -> tuple[int, int, bool]:
    """Store the staged rows of one chunk; returns (added, updated, stored as new). With `new`,
    the chunk is first tried as new rows; otherwise (the lane met stored rows before) it is merged
    at once. Call inside a transaction."""
    table = f"{LOAD_TABLE}_{int(chunk)}"
    with connection.cursor() as cursor:
        # The chunk is redone if the server fails before it is on disk, and the import is
        # idempotent; each lane's last chunk commits synchronously, which flushes every chunk.
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        added = _insert_new(cursor, table) if new else None
        stored_as_new = added is not None
        if not stored_as_new:
            added = _merge(cursor, table)
        cursor.execute(
            "UPDATE coverage_payment p SET status = %s, refund_amount = l.refund"  # noqa: S608 - constants  # nosec B608 # table and column names are constants, the chunk an int
            f" FROM (SELECT DISTINCT ON ({IDENTITY}) {IDENTITY}, refund FROM {table}"
            f"       WHERE status = %s ORDER BY {IDENTITY}, line) l"
            # The stored table's collation for the join, so that its identity index serves it.
            ' WHERE p.consumer_iin = l.consumer_iin COLLATE "default" AND p.period = l.period'
            ' AND p.received = l.received AND p.payer_id = l.payer_id COLLATE "default"'
            ' AND p.number = l.number COLLATE "default" AND p.status = %s',
            [RETURNED, RETURNED, ACCEPTED],
        )
        updated = max(cursor.rowcount, 0)
    return added, updated, stored_as_new


def _insert_new(cursor, table: str) -> int | None:
    """The chunk as new rows (the first of each identity in line order); None when one of them is
    stored already, with nothing of the attempt left."""
    try:
        with transaction.atomic():  # a savepoint
            cursor.execute(
                f"{_INSERT} SELECT DISTINCT ON ({IDENTITY}) {_ROWS} FROM {table}"  # noqa: S608 - constants  # nosec B608 # table and column names are constants, the chunk an int
                f" ORDER BY {IDENTITY}, line"
            )
            return cursor.rowcount
    except IntegrityError as exc:
        if getattr(exc.__cause__, "sqlstate", None) != _UNIQUE_VIOLATION:
            raise
        return None


def _merge(cursor, table: str) -> int:
    """The chunk's rows that are not stored yet, in identity order; of the rows of one identity,
    the first in the file."""
    cursor.execute(
        f"{_INSERT} SELECT {_ROWS} FROM {table} ORDER BY {IDENTITY}, line"  # noqa: S608 - constants  # nosec B608 # table and column names are constants, the chunk an int
        f" ON CONFLICT ({IDENTITY}) DO NOTHING"
    )
    return cursor.rowcount
