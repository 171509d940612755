"""The figures the information pages show, computed from the data the calculator and the status
rules use (docs/domain.md §3, §4): never typed into a page.

Pure, like the rules it calls: the МЗП table and the date are arguments. Every sum comes out of
`osms.coverage.calculator.contribution` or `osms.coverage.rules` (`monthly_contribution`,
`status_on` and its constants), so a change of the МЗП table, a rate or a rule reaches the pages
with nothing to edit in them. The worked examples are real answers of `status_on` for made-up
payment histories, so the pages explain the very decision the portal takes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from osms.coverage import calculator
from osms.coverage.periods import Period
from osms.coverage.rates import DEFAULT_RATES, YearRates, known_years, latest_complete_year
from osms.coverage.rules import (
    CONTRIBUTION_SHARE,
    DEBT_WINDOW_MONTHS,
    GRACE_MONTHS,
    KNP_CONTRIBUTION,
    PREPAID_RULE_SINCE,
    PREPAID_RUN_MONTHS,
    RECOMMEND_PREPAY,
    RULE_PREPAID,
    PaymentFact,
    StatusAnswer,
    monthly_contribution,
    mzp_for_year,
    status_on,
)

# The made-up person of the debt example paid their own взносы every month, then stopped this
# many months before the current one: past the 3-month grace, so they are not insured, and the
# debt is small enough that paying it is the better way back.
DEBT_EXAMPLE_MISSED_MONTHS: Final = GRACE_MONTHS + 2
# An IIN-shaped payer id of an individual (digit 5 is 0-3, not a BIN's 4-6): the example's own
# payments. Never shown; only its shape matters to the rules.
_EXAMPLE_PAYER: Final = "900101300000"
_EXAMPLE_IIN: Final = _EXAMPLE_PAYER
_HUNDRED: Final = Decimal(100)


def percent(rate: Decimal) -> Decimal:
    """0.03 -> 3: a share as the percentage the pages print."""
    return (rate * _HUNDRED).normalize()


@dataclass(frozen=True, slots=True)
class PayerFigures:
    """One payer type in one year, as `calculator.contribution` computes it."""

    payer_type: calculator.PayerType
    rate: Decimal  # share of the base, 0.03
    rate_percent: Decimal  # 3
    base_mzp: Decimal | None  # the base fixed by law in МЗП (1.4, 1); None when it is the income
    base: Decimal | None  # that fixed base in tenge
    cap_mzp: Decimal | None  # the base is at most this many МЗП (10); None when the base is fixed
    cap: Decimal | None  # that largest base in tenge
    monthly: Decimal  # the fixed monthly sum, or the largest one (at the cap)


@dataclass(frozen=True, slots=True)
class YearFigures:
    """One year's payments by its own sourced rates; a payer whose rate no source gives is None."""

    year: int
    mzp: Decimal
    source: str
    employer: PayerFigures | None
    employee: PayerFigures | None
    entrepreneur: PayerFigures | None
    self_payer: PayerFigures | None
    state_contribution: Decimal | None  # the state's взнос per person a month, "over" this
    state_persons_millions: int | None  # the persons it pays for, "over" this many million

    @property
    def complete(self) -> bool:
        return None not in (self.employer, self.employee, self.entrepreneur, self.self_payer)


@dataclass(frozen=True, slots=True)
class StatusYear:
    """The current year as the status rules price it (docs/domain.md §4): 5% of its МЗП covers a month,
    and is what a month of debt or of a prepaid year costs."""

    year: int
    mzp: Decimal
    month_price: Decimal


@dataclass(frozen=True, slots=True)
class MonthPayment:
    """One month to pay: the period to write on the payment and its amount."""

    number: int  # 1, 2, ... in the list
    period: Period
    amount: Decimal

    @property
    def first_day(self) -> date:
        return self.period.first_day


@dataclass(frozen=True, slots=True)
class DebtExample:
    """A made-up payment history and what `status_on` says of it today."""

    paid_from: Period | None  # first and last month the person paid for; None = never paid
    paid_to: Period | None
    answer: StatusAnswer  # not insured, with the debt and the recommendation
    debt: tuple[MonthPayment, ...]  # the debt months, each at its year's price
    insured_after_paying: bool  # status_on again, the debt months paid today: insured?

    @property
    def months(self) -> int:
        return len(self.debt)

    @property
    def recommends_prepay(self) -> bool:
        return self.answer.recommendation == RECOMMEND_PREPAY


@dataclass(frozen=True, slots=True)
class Figures:
    on: date
    current: StatusYear  # the year of `on`, as the status rules price a month
    previous_year: int
    rates_year: YearFigures | None  # the newest year whose every rate is sourced (2024)
    by_year: tuple[YearFigures, ...]  # every year with a known МЗП and some sourced rate, newest first
    contribution_share_percent: Decimal  # 5: the individual's взнос, the debt price, the threshold
    grace_months: int  # 3: status kept after the last covered month
    debt_window_months: int  # 12: debt counted over the months before the current one
    prepaid_run_months: int  # 12: months paid ahead, each as its own payment
    prepaid_rule_since: date  # 5 September 2022
    month_prices: tuple[tuple[int, Decimal], ...]  # (year, 5% of its МЗП) for the debt window's years
    prepay_schedule: tuple[MonthPayment, ...]  # the current month and the 11 after it
    prepay_schedule_total: Decimal
    prepay_amount: Decimal  # what the status answer offers: 12 x 5% of this year's МЗП
    prepay_starts_now: bool  # status_on with the schedule paid today: insured this month?
    next_month: Period  # the first month of a year paid ahead without the current month
    debt_example: DebtExample
    nothing_paid_example: DebtExample


def _payer(
    kind: calculator.PayerType, *, year: int, mzp: Mapping[int, Decimal], rates: Mapping[int, YearRates]
) -> PayerFigures | None:
    if not rates[year].knows(kind):
        return None
    if kind in (calculator.PayerType.EMPLOYER, calculator.PayerType.EMPLOYEE):
        # Asked at an income far above any cap, the calculator gives the cap and the largest sum.
        probe = calculator.contribution(payer_type=kind, year=year, income="0", mzp=mzp, rates=rates)
        assert probe.cap is not None  # nosec B101 # narrows the type: employer and employee contributions have a cap
        at_cap = calculator.contribution(payer_type=kind, year=year, income=probe.cap, mzp=mzp, rates=rates)
        return PayerFigures(
            payer_type=kind,
            rate=at_cap.rate,
            rate_percent=percent(at_cap.rate),
            base_mzp=None,
            base=None,
            cap_mzp=_plain(rates[year].base_cap_mzp),
            cap=at_cap.cap,
            monthly=at_cap.monthly_amount,
        )
    result = calculator.contribution(payer_type=kind, year=year, mzp=mzp, rates=rates)
    return PayerFigures(
        payer_type=kind,
        rate=result.rate,
        rate_percent=percent(result.rate),
        base_mzp=_plain(rates[year].fixed_base_mzp(kind)),
        base=result.base,
        cap_mzp=None,
        cap=None,
        monthly=result.monthly_amount,
    )


def _plain(value: Decimal | None) -> Decimal:
    assert value is not None  # nosec B101 # narrows the type: callers pass a known rate
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def year_figures(
    *, year: int, mzp: Mapping[int, Decimal], rates: Mapping[int, YearRates] = DEFAULT_RATES
) -> YearFigures:
    kinds = calculator.PayerType
    row = rates[year]
    persons = None if row.state_persons is None else row.state_persons // 1_000_000
    return YearFigures(
        year=year,
        mzp=mzp_for_year(mzp=mzp, year=year),
        source=row.source,
        employer=_payer(kinds.EMPLOYER, year=year, mzp=mzp, rates=rates),
        employee=_payer(kinds.EMPLOYEE, year=year, mzp=mzp, rates=rates),
        entrepreneur=_payer(kinds.ENTREPRENEUR, year=year, mzp=mzp, rates=rates),
        self_payer=_payer(kinds.SELF_PAYER, year=year, mzp=mzp, rates=rates),
        state_contribution=row.state_contribution,
        state_persons_millions=persons,
    )


def _own_payment(period: Period, *, received: date, mzp: Mapping[int, Decimal]) -> PaymentFact:
    return PaymentFact(
        received=received,
        period=period,
        amount=monthly_contribution(mzp=mzp, year=period.year),
        knp=KNP_CONTRIBUTION,
        payer_id=_EXAMPLE_PAYER,
    )


def _months(periods: list[Period], *, mzp: Mapping[int, Decimal]) -> tuple[MonthPayment, ...]:
    return tuple(
        MonthPayment(number=i, period=p, amount=monthly_contribution(mzp=mzp, year=p.year))
        for i, p in enumerate(periods, start=1)
    )


def _debt_example(*, on: date, paid: list[Period], mzp: Mapping[int, Decimal]) -> DebtExample:
    # Each month paid on its own first day: on time, so the history is plausible.
    payments = [_own_payment(p, received=p.first_day, mzp=mzp) for p in paid]
    answer = status_on(iin=_EXAMPLE_IIN, on=on, payments=payments, memberships=(), mzp=mzp)
    debt = _months(list(answer.debt_periods), mzp=mzp)
    settled = payments + [_own_payment(m.period, received=on, mzp=mzp) for m in debt]
    after = status_on(iin=_EXAMPLE_IIN, on=on, payments=settled, memberships=(), mzp=mzp)
    return DebtExample(
        paid_from=paid[0] if paid else None,
        paid_to=paid[-1] if paid else None,
        answer=answer,
        debt=debt,
        insured_after_paying=after.insured,
    )


def figures_for(*, on: date, mzp: Mapping[int, Decimal], rates: Mapping[int, YearRates] = DEFAULT_RATES) -> Figures:
    """Everything the information pages print that depends on the МЗП table, the rates, the rules
    or the date."""
    m0 = Period.of(on)
    window_years = sorted({(m0 - n).year for n in range(1, DEBT_WINDOW_MONTHS + 1)} | {on.year})
    schedule = _months([m0 + n for n in range(PREPAID_RUN_MONTHS)], mzp=mzp)
    schedule_paid = [
        PaymentFact(received=on, period=m.period, amount=m.amount, knp=KNP_CONTRIBUTION, payer_id=_EXAMPLE_PAYER)
        for m in schedule
    ]
    prepaid = status_on(iin=_EXAMPLE_IIN, on=on, payments=schedule_paid, memberships=(), mzp=mzp)
    # The debt example: a run of paid months long enough for rule 3, ending before the grace.
    last_paid = m0 - (DEBT_EXAMPLE_MISSED_MONTHS + 1)
    paid = [last_paid - n for n in range(DEBT_WINDOW_MONTHS, -1, -1)]
    complete = latest_complete_year(rates=rates, mzp=mzp)
    return Figures(
        on=on,
        current=StatusYear(
            year=on.year,
            mzp=mzp_for_year(mzp=mzp, year=on.year),
            month_price=monthly_contribution(mzp=mzp, year=on.year),
        ),
        previous_year=on.year - 1,
        rates_year=None if complete is None else year_figures(year=complete, mzp=mzp, rates=rates),
        by_year=tuple(year_figures(year=year, mzp=mzp, rates=rates) for year in known_years(rates=rates, mzp=mzp)),
        contribution_share_percent=percent(CONTRIBUTION_SHARE),
        grace_months=GRACE_MONTHS,
        debt_window_months=DEBT_WINDOW_MONTHS,
        prepaid_run_months=PREPAID_RUN_MONTHS,
        prepaid_rule_since=PREPAID_RULE_SINCE,
        month_prices=tuple((year, monthly_contribution(mzp=mzp, year=year)) for year in window_years),
        prepay_schedule=schedule,
        prepay_schedule_total=sum((m.amount for m in schedule), Decimal(0)),
        prepay_amount=prepaid.prepay_amount,
        prepay_starts_now=prepaid.insured and prepaid.rule == RULE_PREPAID,
        next_month=m0 + 1,
        debt_example=_debt_example(on=on, paid=paid, mzp=mzp),
        nothing_paid_example=_debt_example(on=on, paid=[], mzp=mzp),
    )
