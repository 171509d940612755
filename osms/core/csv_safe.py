"""CSV files the back office opens in a spreadsheet: no cell may start a formula (CWE-1236).

A cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a leading
apostrophe, which spreadsheets show as text; everything else is written as it is. Applying it
twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer with every cell neutralised."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream, **options) -> SafeWriter:
    return SafeWriter(stream, **options)


def neutralised_lines(binary_stream, *, encoding: str = "utf-8") -> Iterator[bytes]:
    """A stored CSV file again, cell by cell neutralised (for files written before this existed)."""
    text = io.TextIOWrapper(binary_stream, encoding=encoding, newline="")
    out = io.StringIO()
    safe = SafeWriter(out)
    for row in csv.reader(text):
        safe.writerow(row)
        yield out.getvalue().encode(encoding)
        out.seek(0)
        out.truncate()
