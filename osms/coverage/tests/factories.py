"""Register files and records for the tests, built the way the registers arrive (docs/domain.md §13)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from pathlib import Path

from osms.core.iin import make_bin, make_iin
from osms.coverage.importers.parsing import BENEFITS_HEADER, PAYMENTS_HEADER, PERSONS_HEADER
from osms.coverage.models import Payment

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


def payment_lines_of_many(persons: int) -> list[str]:
    """Rows of many consumers (so that every lane has a share) with the cases that count:
    duplicates, a return of a stored row, an unknown return, rows to trim, bad rows."""
    lines = []
    for n in range(persons):
        person = iin(dt.date(1950 + n % 60, 1 + n % 12, 1 + n % 28), female=n % 2 == 1)
        lines += [
            payment_line(person, "012024"),
            payment_line(person, "022024", "1500,50", knp="121", payer=EMPLOYER_BIN),
        ]
        if n % 3 == 0:
            lines.append(payment_line(person, "012024"))  # a duplicate: unchanged
        if n % 4 == 0:
            lines.append(payment_line(person, "012024", status="ВОЗВРАТ"))  # returns the first row: updated
        if n % 5 == 0:
            lines.append(payment_line(person, "032024", status="возврат", refund="10,00"))  # unknown return
        if n % 7 == 0:
            lines.append(payment_line(person, "042024", number=" 9 ", payer_name=" Имя "))  # to trim: the full parser
        if n % 11 == 0:
            lines.append(payment_line(person, "132024"))  # a bad period: rejected
    return lines


def stored_payments() -> list[tuple]:
    """The stored payments in identity order, with the values an import decides."""
    return list(
        Payment.objects.order_by("consumer_iin", "period", "received", "payer_id", "number").values_list(
            "consumer_iin", "period", "received", "payer_id", "number", "knp", "amount", "status", "refund_amount"
        )
    )


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
