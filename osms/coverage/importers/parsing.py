"""Reading the register files of docs/domain.md §13: lines, header, and one parser per register
(the checks of single values, shared by every register, are in importers/cells.py).

No database here. A file is read as bytes and decoded line by line, so a single line that is not
UTF-8 is rejected with its number while the rest of the file is kept; memory stays bounded
whatever the file size. Every rejection names the column and says what is wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from osms.accounts.phones import normalise_phone, validate_phone
from osms.core.iin import iin_birth_date

from .cells import (
    MIN_PERIOD_YEAR,
    RowError,
    in_column,
    parse_amount,
    parse_date,
    parse_iin,
    parse_payer_id,
    parse_period,
    validation_message,
)

__all__ = ["MIN_PERIOD_YEAR", "RowError", "parse_date", "parse_iin", "parse_payer_id", "parse_period"]

SEPARATOR = ";"
BOM = b"\xef\xbb\xbf"

PAYMENTS_HEADER = (
    "Дата поступления",
    "№",
    "КНП",
    "Отправитель",
    "ИИН/БИН",
    "ИИН потребителя",
    "Сумма",
    "Статус",
    "Период",
    "Сумма возврата",
)
BENEFITS_HEADER = ("ИИН", "Категория", "Начало", "Окончание")
PERSONS_HEADER = ("ИИН", "Фамилия", "Имя", "Отчество", "Дата рождения", "Телефон")

STATUS_ACCEPTED = "ОБРАБОТАННЫЕ"
STATUS_RETURNED = "ВОЗВРАТ"
KNP_CODES = frozenset({"121", "122", "123", "124"})
CATEGORY_NUMBERS = range(1, 16)

# A period further ahead of its receipt than a prepaid year (the current month + 11) is a typo.
MAX_MONTHS_AHEAD = 12


class FileUnreadable(Exception):
    """The file cannot be read at all (missing, not UTF-8 from the first line, wrong header)."""


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based line number in the file (the header is line 1)
    text: str | None  # None when the line is not UTF-8
    size: int  # bytes, for progress


def read_lines(stream: BinaryIO) -> Iterator[Line]:
    """Lines of the file without line ends; the BOM of the first line is dropped. Blank lines are skipped."""
    for number, raw in enumerate(stream, start=1):
        size = len(raw)
        if number == 1 and raw.startswith(BOM):
            raw = raw[len(BOM) :]
        raw = raw.rstrip(b"\r\n")
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        yield Line(number=number, text=text, size=size)


def check_header(line: Line | None, expected: tuple[str, ...]) -> None:
    if line is None:
        raise FileUnreadable(_("The file is empty: a header row is expected."))
    if line.text is None:
        raise FileUnreadable(_("The file is not UTF-8 text (line 1). Save it as UTF-8 and upload it again."))
    found = tuple(cell.strip().casefold() for cell in line.text.split(SEPARATOR))
    if found != tuple(cell.casefold() for cell in expected):
        raise FileUnreadable(
            _("Line 1 must be the header %(expected)s; found %(found)s.")
            % {"expected": SEPARATOR.join(expected), "found": line.text[:300]}
        )


def split(line: Line, columns: int) -> list[str]:
    if line.text is None:
        raise RowError(_("the line is not valid UTF-8 text"))
    if "\x00" in line.text:
        raise RowError(_("the line contains a NUL character"))
    cells = line.text.split(SEPARATOR)
    if len(cells) != columns:
        raise RowError(
            _("expected %(expected)d columns separated by “;”, found %(found)d")
            % {"expected": columns, "found": len(cells)}
        )
    return [cell.strip() for cell in cells]


# --- the three registers --------------------------------------------------------------------------


class PaymentRow(NamedTuple):
    line: int
    received: dt.date
    number: str
    knp: str
    payer_name: str
    payer_id: str
    consumer_iin: str
    amount: str  # normalised "1234.50": exact, converted to Decimal or sent to COPY as is
    returned: bool
    period: int  # YYYYMM
    refund: str | None

    @property
    def identity(self) -> tuple:
        """§13: (Дата поступления, №, ИИН/БИН, ИИН потребителя, Период)."""
        return (self.consumer_iin, self.period, self.received, self.payer_id, self.number)


def _is_return(status: str) -> bool:
    """Статус: a payment accepted (False) or returned (True), in any letter case."""
    if status == STATUS_ACCEPTED:
        return False
    status_upper = status.upper()
    if status_upper not in (STATUS_ACCEPTED, STATUS_RETURNED):
        raise RowError(
            _("Статус: %(value)s is neither %(accepted)s nor %(returned)s")
            % {"value": repr(status), "accepted": STATUS_ACCEPTED, "returned": STATUS_RETURNED}
        )
    return status_upper == STATUS_RETURNED


def parse_payment(line: Line, *, today: dt.date) -> PaymentRow:
    cells = split(line, len(PAYMENTS_HEADER))
    received_text, number, knp, payer_name, payer_id, consumer, amount, status, period, refund = cells
    # One try block for the column checks (the hot path: millions of rows), naming the column.
    column = "Дата поступления"
    try:
        received = parse_date(received_text)
        column = "ИИН/БИН"
        payer_id = parse_payer_id(payer_id)
        column = "ИИН потребителя"
        consumer = parse_iin(consumer)
        column = "Сумма"
        amount = parse_amount(amount)
        column = "Период"
        period_value = parse_period(period)
        column = "Сумма возврата"
        refund_value = parse_amount(refund) if refund else None
    except RowError as exc:
        raise RowError(f"{column}: {exc}") from None
    if received > today:
        raise RowError(_("Дата поступления: %(value)s is in the future") % {"value": received_text})
    if not number:
        raise RowError(_("№: the payment order number is empty"))
    if len(number) > 32:
        raise RowError(_("№: longer than %(limit)d characters") % {"limit": 32})
    if knp not in KNP_CODES:
        raise RowError(_("КНП: unknown code %(value)s; expected 121, 122, 123 or 124") % {"value": repr(knp)})
    if len(payer_name) > 255:
        raise RowError(_("Отправитель: longer than %(limit)d characters") % {"limit": 255})
    returned = _is_return(status)
    if (period_value // 100) * 12 + period_value % 100 - (received.year * 12 + received.month) > MAX_MONTHS_AHEAD:
        raise RowError(
            _("Период: %(value)s is more than %(months)d months after the date received")
            % {"value": period, "months": MAX_MONTHS_AHEAD}
        )
    if returned and refund_value is None:
        refund_value = amount  # a return without its sum returns the whole payment
    return PaymentRow(
        line.number,
        received,
        number,
        knp,
        payer_name,
        payer_id,
        consumer,
        amount,
        returned,
        period_value,
        refund_value,
    )


class BenefitRow(NamedTuple):
    line: int
    iin: str
    category: int
    start: dt.date
    end: dt.date | None


def parse_benefit(line: Line, *, today: dt.date) -> BenefitRow:
    iin, category, start, end = split(line, len(BENEFITS_HEADER))
    iin = in_column("ИИН", parse_iin, iin)
    if not category.isascii() or not category.isdigit() or int(category) not in CATEGORY_NUMBERS:
        raise RowError(_("Категория: %(value)s is not a category number from 1 to 15") % {"value": repr(category)})
    start_date = in_column("Начало", parse_date, start)
    end_date = in_column("Окончание", parse_date, end) if end else None
    if end_date is not None and end_date < start_date:
        raise RowError(_("Окончание: %(end)s is before the start %(start)s") % {"end": end, "start": start})
    return BenefitRow(line.number, iin, int(category), start_date, end_date)


class PersonRow(NamedTuple):
    line: int
    iin: str
    last_name: str
    first_name: str
    patronymic: str
    birth_date: dt.date
    phone: str


def parse_person(line: Line, *, today: dt.date) -> PersonRow:
    iin, last_name, first_name, patronymic, birth, phone = split(line, len(PERSONS_HEADER))
    iin = in_column("ИИН", parse_iin, iin)
    for column, value, required in (
        ("Фамилия", last_name, True),
        ("Имя", first_name, True),
        ("Отчество", patronymic, False),
    ):
        if required and not value:
            raise RowError(_("%(column)s: empty") % {"column": column})
        if len(value) > 100:
            raise RowError(_("%(column)s: longer than %(limit)d characters") % {"column": column, "limit": 100})
    birth_date = in_column("Дата рождения", parse_date, birth)
    if birth_date != iin_birth_date(iin):
        raise RowError(
            _("Дата рождения: %(value)s does not match the birth date written in the IIN") % {"value": birth}
        )
    if phone:
        phone = normalise_phone(phone)
        try:
            validate_phone(phone)
        except ValidationError as exc:
            raise RowError(f"Телефон: {validation_message(exc)}") from None
    return PersonRow(line.number, iin, last_name, first_name, patronymic, birth_date, phone)
