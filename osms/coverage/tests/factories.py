"""Register files and records for the tests, built the way the registers arrive (docs/domain.md §13)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from pathlib import Path

from osms.core.iin import make_bin, make_iin
from osms.coverage.importers.parsing import BENEFITS_HEADER, PAYMENTS_HEADER, PERSONS_HEADER

_serials = itertools.count(3000)

EMPLOYER_BIN = make_bin(dt.date(2005, 4, 1), serial=42)


def iin(birth: dt.date = dt.date(1990, 1, 15), *, female: bool = False) -> str:
    return make_iin(birth, female=female, serial=next(_serials))


def payment_line(
    consumer: str,
    period: str,
    amount: str = "4250.00",
    *,
    received: str | None = None,
    number: str = "1",
    knp: str = "122",
    payer: str | None = None,
    payer_name: str = "Плательщик",
    status: str = "ОБРАБОТАННЫЕ",
    refund: str = "",
) -> str:
    """One row; by default the person's own взнос received on the 1st of its period."""
    received = received or f"01.{period[:2]}.{period[2:]}"
    payer = payer or consumer
    return ";".join([received, number, knp, payer_name, payer, consumer, amount, status, period, refund])


def register(header: Iterable[str], lines: Iterable[str], *, bom: bool = False) -> bytes:
    text = "\n".join([";".join(header), *lines]) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def payments_file(tmp_path: Path, lines: Iterable[str], *, name: str = "payments.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes(register(PAYMENTS_HEADER, lines, bom=bom))
    return path


def benefits_file(tmp_path: Path, lines: Iterable[str], *, name: str = "benefits.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(register(BENEFITS_HEADER, lines))
    return path


def persons_file(tmp_path: Path, lines: Iterable[str], *, name: str = "persons.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(register(PERSONS_HEADER, lines))
    return path


def load(kind: str, lines: Iterable[str]):
    """Put rows into the registers through the import, as the Fund's files arrive."""
    import io

    from osms.coverage.importers import KIND_BENEFITS, KIND_PAYMENTS, KIND_PERSONS, run_import

    header = {KIND_PAYMENTS: PAYMENTS_HEADER, KIND_BENEFITS: BENEFITS_HEADER, KIND_PERSONS: PERSONS_HEADER}[kind]
    summary = run_import(kind, io.BytesIO(register(header, lines)))
    assert summary.rejected == 0, summary
    return summary


def monthly_payments(consumer: str, first: str, count: int, *, amount: str = "4250.00", **fields) -> list[str]:
    """`count` consecutive monthly взносы from the period `first` (MMYYYY), one row each."""
    from osms.coverage.periods import Period

    start = Period.parse(first)
    return [payment_line(consumer, (start + i).code, amount, number=str(100 + i), **fields) for i in range(count)]
