"""The figures of the information pages are the calculator's and the status rules' own (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from osms.coverage import calculator
from osms.coverage.periods import Period
from osms.coverage.rates import DEFAULT_RATES, known_years
from osms.coverage.rules import DEFAULT_MZP, monthly_contribution, status_on
from osms.pages.figures import DEBT_EXAMPLE_MISSED_MONTHS, figures_for, year_figures

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize("year", known_years(rates=DEFAULT_RATES, mzp=DEFAULT_MZP))
def test_year_figures_are_the_calculators(year):
    got = year_figures(year=year, mzp=DEFAULT_MZP)
    assert got.mzp == DEFAULT_MZP[year]
    assert got.complete == (year == 2024)  # 2023 and 2025: the self-payer's rate only is sourced
    for kind, payer in (
        (calculator.PayerType.SELF_PAYER, got.self_payer),
        (calculator.PayerType.ENTREPRENEUR, got.entrepreneur),
    ):
        if payer is None:
            assert not DEFAULT_RATES[year].knows(kind)
            continue
        expected = calculator.contribution(payer_type=kind, year=year, mzp=DEFAULT_MZP)
        assert (payer.monthly, payer.base, payer.rate) == (expected.monthly_amount, expected.base, expected.rate)
    for kind, payer in (
        (calculator.PayerType.EMPLOYER, got.employer),
        (calculator.PayerType.EMPLOYEE, got.employee),
    ):
        if payer is None:
            assert not DEFAULT_RATES[year].knows(kind)
            continue
        # Far above any cap: the calculator's largest sum and its cap.
        expected = calculator.contribution(payer_type=kind, year=year, income="100000000", mzp=DEFAULT_MZP)
        assert (payer.monthly, payer.cap, payer.rate) == (expected.monthly_amount, expected.cap, expected.rate)
        assert payer.cap_mzp == DEFAULT_RATES[year].base_cap_mzp == 10


def test_2024_figures_match_the_funds_published_sums():
    """Seed 001 publishes the 2024 sums; the data gives the same ones."""
    got = year_figures(year=2024, mzp=DEFAULT_MZP)
    assert got.employer.monthly == Decimal("25500.00")
    assert got.employee.monthly == Decimal("17000.00")
    assert got.employee.cap == Decimal("850000")
    assert got.entrepreneur.monthly == Decimal("5950.00")
    assert got.self_payer.monthly == Decimal("4250.00")
    assert (got.employer.rate_percent, got.employee.rate_percent, got.self_payer.rate_percent) == (3, 2, 5)
    assert got.entrepreneur.base_mzp == Decimal("1.4")
    # "Размер взноса за одного человека ... свыше 5800 тенге", "свыше 11 млн человек"
    assert (got.state_contribution, got.state_persons_millions) == (Decimal(5800), 11)


def test_the_pages_main_rates_are_the_newest_complete_year_not_the_current_one():
    figures = figures_for(on=TODAY, mzp=DEFAULT_MZP)
    assert figures.rates_year is not None and figures.rates_year.year == 2024
    assert [y.year for y in figures.by_year] == [2025, 2024, 2023]
    # the status rules still price a month of 2026 at 5% of its МЗП (docs/domain.md §4)
    assert figures.current.year == 2026 and figures.current.month_price == Decimal("4250.00")


def test_prepayment_schedule_is_what_the_rules_accept():
    figures = figures_for(on=TODAY, mzp=DEFAULT_MZP)
    schedule = figures.prepay_schedule
    assert [m.period for m in schedule] == [Period(2026, 11) + n for n in range(12)]
    assert all(m.amount == Decimal("4250.00") for m in schedule)
    assert figures.prepay_schedule_total == figures.prepay_amount == Decimal("51000.00")
    assert figures.prepay_starts_now  # current month first, then 11: insured at once by rule 2
    assert figures.next_month == Period(2026, 12)


def test_prepayment_starting_next_month_is_not_insured_this_month():
    """The page says the status starts with the first paid month: check that against the rules."""
    figures = figures_for(on=TODAY, mzp=DEFAULT_MZP)
    from osms.coverage.rules import PaymentFact

    payments = [
        PaymentFact(
            received=TODAY, period=figures.next_month + n, amount=Decimal("4250"), knp="122", payer_id="900101300000"
        )
        for n in range(12)
    ]
    now = status_on(iin="900101300000", on=TODAY, payments=payments, memberships=(), mzp=DEFAULT_MZP)
    later = status_on(iin="900101300000", on=dt.date(2026, 12, 1), payments=payments, memberships=(), mzp=DEFAULT_MZP)
    assert not now.insured and later.insured and later.rule == "prepaid"


def test_debt_example_is_the_status_answer():
    figures = figures_for(on=TODAY, mzp=DEFAULT_MZP)
    example = figures.debt_example
    assert not example.answer.insured and example.answer.rule == "none"
    assert example.months == DEBT_EXAMPLE_MISSED_MONTHS == 5
    assert [m.period for m in example.debt] == [Period(2026, 6) + n for n in range(5)]
    assert example.answer.debt_amount == sum(m.amount for m in example.debt) == Decimal("21250.00")
    assert example.answer.recommendation == "pay_debt" and not example.recommends_prepay
    assert example.insured_after_paying
    assert (example.paid_from, example.paid_to) == (Period(2025, 5), Period(2026, 5))


def test_nothing_paid_example_recommends_the_prepayment():
    example = figures_for(on=TODAY, mzp=DEFAULT_MZP).nothing_paid_example
    assert example.months == 12 and example.recommends_prepay
    assert example.answer.debt_amount == Decimal("51000.00")


def test_debt_months_are_priced_at_their_own_years_mzp():
    """November 2023: the window reaches into 2022 (3 000 a month) and 2023 (3 500), as seed 004 prices."""
    on = dt.date(2023, 11, 20)
    figures = figures_for(on=on, mzp=DEFAULT_MZP)
    assert figures.month_prices == ((2022, Decimal("3000.00")), (2023, Decimal("3500.00")))
    never = figures.nothing_paid_example
    assert never.answer.debt_amount == 2 * Decimal("3000.00") + 10 * Decimal("3500.00")
    assert figures.prepay_amount == 12 * Decimal("3500.00")


def test_a_new_mzp_changes_every_figure():
    table = dict(DEFAULT_MZP) | {2024: Decimal("100000"), 2026: Decimal("100000")}
    figures = figures_for(on=TODAY, mzp=table)
    assert figures.current.mzp == Decimal("100000")
    assert figures.current.month_price == monthly_contribution(mzp=table, year=2026) == Decimal("5000.00")
    rates_year = figures.rates_year
    assert rates_year is not None and rates_year.year == 2024
    assert rates_year.self_payer.monthly == Decimal("5000.00")
    assert rates_year.entrepreneur.monthly == Decimal("7000.00")
    assert rates_year.employee.monthly == Decimal("20000.00")
    assert rates_year.employer.monthly == Decimal("30000.00")
    assert figures.prepay_amount == Decimal("60000.00")
    assert [year for year, _ in figures.month_prices] == [2025, 2026]
    assert dict(figures.month_prices) == {2025: Decimal("4250.00"), 2026: Decimal("5000.00")}
