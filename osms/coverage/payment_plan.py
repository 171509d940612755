""" "How to pay, exactly": the payments that bring the status back, one line per month (docs/adr/0106).

Pure functions over the status answer. Each way back is a list of separate payments, because the
Fund reads every month from its own payment (seed 001: "одной суммой 51 000 тенге система не
присвоит статус"); the prices come from the rules (`debt_breakdown`, `monthly_contribution`), so
every line is enough for the month it names:

- pay the debt: one line per debt month, at 5% of the МЗП of that month's year;
- prepay a year: the current month first, then the 11 that follow ("чтобы получить статус сразу"),
  each at 5% of the МЗП of its own year, so that each one counts as a prepaid month even when the
  year changes inside the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from django.conf import settings

from .periods import Period
from .rules import (
    KNP_CONTRIBUTION,
    PREPAID_RUN_MONTHS,
    RECOMMEND_PAY_DEBT,
    RECOMMEND_PREPAY,
    StatusAnswer,
    monthly_contribution,
)

WAY_DEBT: Final = RECOMMEND_PAY_DEBT
WAY_PREPAY: Final = RECOMMEND_PREPAY


@dataclass(frozen=True)
class Recipient:
    """Who receives the payment, as a bank or Kazpost asks for it (settings.PAYMENT_RECIPIENT_*)."""

    name: str
    bin: str


def recipient() -> Recipient:
    return Recipient(name=settings.PAYMENT_RECIPIENT_NAME, bin=settings.PAYMENT_RECIPIENT_BIN)


@dataclass(frozen=True)
class PlannedPayment:
    number: int  # 1, 2, ... in the order to pay
    period: Period  # the month paid for: written MMYYYY in the payment
    knp: str  # the payment purpose code: always 122 (взносы)
    amount: Decimal

    @property
    def period_code(self) -> str:
        return self.period.code


@dataclass(frozen=True)
class PaymentPlan:
    way: str  # WAY_DEBT or WAY_PREPAY
    recommended: bool
    payments: tuple[PlannedPayment, ...]

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal("0.00"))

    @property
    def count(self) -> int:
        return len(self.payments)

    @property
    def first(self) -> Period:
        return self.payments[0].period

    @property
    def last(self) -> Period:
        return self.payments[-1].period


def _lines(priced: list[tuple[Period, Decimal]]) -> tuple[PlannedPayment, ...]:
    return tuple(
        PlannedPayment(number=i, period=period, knp=KNP_CONTRIBUTION, amount=amount)
        for i, (period, amount) in enumerate(priced, start=1)
    )


def debt_plan(*, answer: StatusAnswer, recommended: bool) -> PaymentPlan | None:
    """One payment per debt month of the answer, oldest first; None when nothing is owed."""
    if not answer.debt_breakdown:
        return None
    return PaymentPlan(WAY_DEBT, recommended, _lines(list(answer.debt_breakdown)))


def prepay_plan(*, answer: StatusAnswer, mzp: Mapping[int, Decimal], recommended: bool) -> PaymentPlan:
    """Twelve payments from the month of the answer's date on, the current month first."""
    m0 = Period.of(answer.on)
    months = [m0 + i for i in range(PREPAID_RUN_MONTHS)]
    return PaymentPlan(
        WAY_PREPAY, recommended, _lines([(m, monthly_contribution(mzp=mzp, year=m.year)) for m in months])
    )


def payment_plans(*, answer: StatusAnswer, mzp: Mapping[int, Decimal]) -> list[PaymentPlan]:
    """The ways back, the recommended one first; none for an insured person who owes nothing.

    Not insured: the answer's recommendation first, the other way second. Insured in the grace
    months with debt: paying the debt keeps the status past the grace, so it comes first.
    """
    if answer.insured and not answer.debt_breakdown:
        return []
    prefer_prepay = answer.recommendation == RECOMMEND_PREPAY
    debt = debt_plan(answer=answer, recommended=not prefer_prepay)
    prepay = prepay_plan(answer=answer, mzp=mzp, recommended=prefer_prepay)
    plans = [prepay, debt] if prefer_prepay else [debt, prepay]
    return [plan for plan in plans if plan is not None]
