"""Register imports (docs/domain.md §13): stream a file, reject bad rows with their line numbers, store
the good ones batch by batch, each batch in its own transaction.

`run_import` is the one entry point; the management commands and the back-office task
(services.import_job_run) both call it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import BinaryIO

from django.db import connection, transaction
from django.utils import timezone

from . import bulk, parsing, writers
from .parsing import FileUnreadable, Line, RowError

KIND_PERSONS = "persons"
KIND_BENEFITS = "benefits"
KIND_PAYMENTS = "payments"

# Rows per transaction. Bigger batches amortise the per-statement cost of COPY and let the
# sorted INSERT walk the index in longer runs; smaller ones keep each transaction short and the
# memory bounded (two batches of COPY text are held: one being parsed, one being written).
BATCH_SIZE_POSTGRESQL = 100_000
BATCH_SIZE_PORTABLE = 2_000


@dataclass
class ImportSummary:
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    bytes_read: int = 0

    def as_dict(self) -> dict[str, int]:
        data = asdict(self)
        data.pop("bytes_read")
        return data


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str
    text: str  # the line as read ("" when it was not UTF-8)


_KINDS = {
    KIND_PERSONS: (parsing.PERSONS_HEADER, parsing.parse_person, lambda: writers.persons_write),
    KIND_BENEFITS: (parsing.BENEFITS_HEADER, parsing.parse_benefit, lambda: writers.benefits_write),
    KIND_PAYMENTS: (parsing.PAYMENTS_HEADER, parsing.parse_payment, lambda: writers.payments_writer()),
}
KINDS = tuple(_KINDS)  # the coverage area's own registers


def register_kind(kind: str, *, header: tuple[str, ...], parse: Callable, writer_factory: Callable) -> None:
    """Let another app import its register through this machinery (the same streaming, batches,
    line-numbered rejections and ImportJob back-office upload): `parse(line, today=...)` returns a
    row or raises RowError; `writer_factory()` returns a function storing a batch and returning
    writers.Counts. Called from that app's AppConfig.ready."""
    _KINDS[kind] = (header, parse, writer_factory)


def run_import(
    kind: str,
    stream: BinaryIO,
    *,
    on_rejected: Callable[[Rejection], None] = lambda rejection: None,
    on_progress: Callable[[ImportSummary], None] = lambda summary: None,
    batch_size: int | None = None,
    today: dt.date | None = None,
    bulk_path: bool | None = None,
) -> ImportSummary:
    """Import one register file. Raises FileUnreadable when the file cannot be read at all
    (no header, wrong header, not UTF-8 from its first line); every other fault is one rejected
    row, reported through `on_rejected` and counted, and the import goes on.

    Payments on PostgreSQL take the bulk path (importers/bulk.py) unless `bulk_path` is False;
    both paths check and count alike."""
    header, parse, writer_factory = _KINDS[kind]
    write = writer_factory()
    postgresql = connection.vendor == "postgresql"
    if batch_size is None:
        batch_size = BATCH_SIZE_POSTGRESQL if postgresql else BATCH_SIZE_PORTABLE
    today = today or timezone.localdate()
    summary = ImportSummary()
    if kind == KIND_PAYMENTS and postgresql and bulk_path is not False:
        first, next_number = bulk.read_header(stream)
        parsing.check_header(first, header)
        summary.bytes_read = first.size
        return bulk.payments_import(
            stream,
            summary=summary,
            first_number=next_number,
            batch_size=batch_size,
            today=today,
            on_rejected=on_rejected,
            on_progress=on_progress,
        )
    return _import_in_batches(
        stream,
        header=header,
        parse=parse,
        write=write,
        summary=summary,
        batch_size=batch_size,
        today=today,
        on_rejected=on_rejected,
        on_progress=on_progress,
    )


def _import_in_batches(
    stream: BinaryIO, *, header, parse, write, summary: ImportSummary, batch_size: int, today, on_rejected, on_progress
) -> ImportSummary:
    """The portable path: line after line through the register's parser, written a batch at a time,
    each batch in its own transaction."""
    lines = parsing.read_lines(stream)
    first: Line | None = next(lines, None)
    parsing.check_header(first, header)
    summary.bytes_read = first.size if first else 0

    batch: list = []
    batch_bytes = 0

    def flush() -> None:
        nonlocal batch_bytes
        if batch:
            with transaction.atomic():
                counts = write(batch)
            summary.added += counts.added
            summary.updated += counts.updated
            summary.unchanged += counts.unchanged
            batch.clear()
        summary.bytes_read += batch_bytes
        batch_bytes = 0
        on_progress(summary)

    for line in lines:
        summary.read += 1
        batch_bytes += line.size
        try:
            batch.append(parse(line, today=today))
        except RowError as exc:
            summary.rejected += 1
            on_rejected(Rejection(line=line.number, reason=str(exc), text=line.text or ""))
        if len(batch) >= batch_size:
            flush()
    flush()
    return summary


__all__ = ["KINDS", "FileUnreadable", "ImportSummary", "Rejection", "register_kind", "run_import"]
