"""Rules of the statement service as pure functions: no database, no clock (docs/domain.md §8).

The period a citizen may ask for, the refusal ground (the moves of a request and of a complaint:
workflow.py), the deadlines' lengths, the rows of Приложение 2 and how its numbers are printed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from osms.coverage.periods import Period
from osms.coverage.rules import KNP_CONTRIBUTION, KNP_DEDUCTION

from .models import StatementRequest

# --- Deadlines (business calendar) ----------------------------------------------------------------
PROCESSING_WORKING_MINUTES: Final = 15  # the service is given within 15 minutes of reaching the system
COMPLAINT_ANSWER_WORKING_DAYS: Final = 5  # the provider reviews a complaint within 5 working days
COMPLAINT_FORWARD_WORKING_DAYS: Final = 3  # ...and forwards it within 3 unless it satisfies it in full
COMPLAINT_REVIEW_WORKING_DAYS: Final = 15  # the quality-control body reviews it within 15 working days

# --- The period of a statement -----------------------------------------------------------------------
DEFAULT_MONTHS_BEFORE: Final = 12  # the 12 months before the current one, and the current one
MAX_PERIOD_MONTHS: Final = 60  # any range up to 5 years

# The payments a statement lists: отчисления and взносы ("Вид поступления (отчисление или взнос)").
# Пеня (КНП 123, 124) is neither, and is not part of the information the service gives.
LISTED_KNP: Final = frozenset({KNP_DEDUCTION, KNP_CONTRIBUTION})


def default_period(today: dt.date) -> tuple[Period, Period]:
    current = Period.of(today)
    return current - DEFAULT_MONTHS_BEFORE, current


class PeriodError(ValueError):
    """The period cannot be asked for; `code` says why (the form words it for the reader)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_period(first: Period, last: Period, *, today: dt.date) -> None:
    """Raise PeriodError unless first..last is a period the service answers for."""
    if first > last:
        raise PeriodError("order")
    if last > Period.of(today):
        raise PeriodError("future")
    if (last - first) + 1 > MAX_PERIOD_MONTHS:
        raise PeriodError("too_long")


def period_dates(first: Period, last: Period, *, until: dt.date) -> tuple[dt.date, dt.date]:
    """The dates a statement for first..last covers: its first day to its last day, not after `until`."""
    return first.first_day, min(last.last_day, until)


# --- Refusal ------------------------------------------------------------------------------------------
Ground = StatementRequest.RefusalGround
GROUND_NO_CONSENT: Final = Ground.NO_CONSENT


def refusal_ground(*, consent: bool, court_ban: bool = False, court_deprivation: bool = False) -> str | None:
    """The ground (Приложение 1, item 9) on which the request is refused, or None to issue it.

    The portal knows the consent; the court-decision facts are arguments so that an integration
    with the courts' registry plugs in here (none exists yet, so callers pass False).
    """
    if court_ban:
        return Ground.COURT_BAN
    if court_deprivation:
        return Ground.COURT_DEPRIVATION
    if not consent:
        return GROUND_NO_CONSENT
    return None


# --- The rows of Приложение 2 ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PaymentRow:
    """A payment as the statement needs it (a row of the payments register)."""

    received: dt.date
    number: str
    knp: str
    amount: Decimal
    period: Period
    payer_id: str
    returned: bool
    refund_amount: Decimal | None


def statement_rows(payments: Iterable[PaymentRow]) -> list[dict[str, str]]:
    """One numbered row per payment of отчисления or взносы, in the order they were received.

    Stored in the document's content as plain strings: the date ISO, amounts with two decimals, the
    kind as a key the form's language words ("deduction" or "contribution"). A returned payment
    shows its refunded sum (the whole amount when the register gives none).
    """
    listed = sorted(
        (p for p in payments if p.knp in LISTED_KNP),
        key=lambda p: (p.received, p.period, p.number, p.payer_id),
    )
    rows = []
    for index, payment in enumerate(listed, start=1):
        refund = payment.refund_amount
        if payment.returned and refund is None:
            refund = payment.amount
        rows.append(
            {
                "n": str(index),
                "date": payment.received.isoformat(),
                "amount": f"{payment.amount:.2f}",
                "kind": "deduction" if payment.knp == KNP_DEDUCTION else "contribution",
                "period": payment.period.code,
                "payer": payment.payer_id,
                "refund": f"{refund:.2f}" if refund is not None else "",
            }
        )
    return rows


def format_amount(value: str | Decimal) -> str:
    """Tenge as the form prints them: thousands by a no-break space, a decimal comma: 4 250,00."""
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    whole, _, cents = f"{abs(amount):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{'\u00a0'.join(groups)},{cents}"


def format_date(value: str | dt.date) -> str:
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return day.strftime("%d.%m.%Y")


# --- Numbers ---------------------------------------------------------------------------------------------------
def request_number(*, pk: int, created: dt.date) -> str:
    return f"ST-{created:%Y}-{pk:08d}"


def document_number(*, pk: int, kind: str, issued: dt.date) -> str:
    """P2-… for a statement (Приложение 2), RF-… for a refusal; the request's key makes it unique."""
    prefix = "P2" if kind == "statement" else "RF"
    return f"{prefix}-{issued:%Y%m%d}-{pk:08d}"


def complaint_number(*, pk: int, registered: dt.date) -> str:
    return f"SC-{registered:%Y}-{pk:06d}"


# --- Monitoring ------------------------------------------------------------------------------------------------
def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) by linear interpolation (PostgreSQL's percentile_cont); None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return float(ordered[low] + (ordered[high] - ordered[low]) * (rank - low))
