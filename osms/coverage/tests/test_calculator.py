"""The public contribution calculator against the worked figures of docs/domain.md §3 and seed 001.

2024: МЗП 85 000, 10 МЗП = 850 000 -> employer cap 3% = 25 500, employee cap 2% = 17 000;
ИП 5% of 1.4 x 85 000 = 5% of 119 000 = 5 950; self-payer 5% of 85 000 = 4 250.
2023: МЗП 70 000 -> self-payer 3 500 (seed 000); 2025: self-payer 4 250 (seed 004). No other
rate of those years is sourced, so the calculator states no other sum for them (ADR 0603).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from osms.coverage.calculator import (
    STEP_AMOUNT,
    STEP_BASE,
    STEP_CAP,
    STEP_INCOME,
    STEP_INCOME_TOTAL,
    STEP_MZP,
    STEP_RATE,
    PayerType,
    RatesUnknown,
    contribution,
)
from osms.coverage.rates import DEFAULT_RATES, YearRates, known_years, latest_complete_year, rates_problems
from osms.coverage.rules import DEFAULT_MZP


@pytest.mark.parametrize(
    ("payer_type", "year", "income", "monthly", "base", "cap_applied"),
    [
        # employer: 3% of the salary, base at most 10 МЗП
        ("employer", 2024, Decimal(1_000_000), "25500.00", "850000", True),
        ("employer", 2024, Decimal(300_000), "9000.00", "300000", False),
        ("employer", 2024, Decimal(850_000), "25500.00", "850000", False),  # at the cap, not cut
        # employee: 2% of income, all jobs together capped at 10 МЗП
        ("employee", 2024, Decimal(300_000), "6000.00", "300000", False),
        ("employee", 2024, Decimal(2_000_000), "17000.00", "850000", True),
        ("employee", 2024, [Decimal(600_000), Decimal(400_000)], "17000.00", "850000", True),
        ("employee", 2024, [Decimal(200_000), Decimal(150_000)], "7000.00", "350000", False),
        # fixed bases, income not used
        ("entrepreneur", 2024, None, "5950.00", "119000", False),
        ("self_payer", 2024, None, "4250.00", "85000", False),
        ("self_payer", 2023, None, "3500.00", "70000", False),
        ("self_payer", 2025, None, "4250.00", "85000", False),
    ],
)
def test_worked_figures(payer_type: str, year: int, income: object, monthly: str, base: str, cap_applied: bool) -> None:
    result = contribution(payer_type=payer_type, year=year, income=income)
    assert result.monthly_amount == Decimal(monthly)
    assert result.base == Decimal(base)
    assert result.cap_applied is cap_applied


def test_amount_has_two_decimals_rounded_half_up() -> None:
    # 2% of 12 345.25 = 246.905: half-up gives 246.91 (banker's rounding would give 246.90)
    result = contribution(payer_type="employee", year=2024, income=Decimal("12345.25"))
    assert result.monthly_amount == Decimal("246.91")
    assert result.monthly_amount.as_tuple().exponent == -2


def test_two_jobs_are_capped_together_not_each() -> None:
    # each job alone is under 850 000, together 1 200 000: capped to 850 000 -> 17 000, not 24 000
    result = contribution(payer_type="employee", year=2024, income=[Decimal(600_000), Decimal(600_000)])
    assert result.monthly_amount == Decimal("17000.00")
    assert result.cap == Decimal(850_000)


def test_income_may_be_given_as_text_or_int() -> None:
    assert contribution(payer_type="employer", year=2024, income="100000.50").monthly_amount == Decimal("3000.02")
    assert contribution(payer_type="employer", year=2024, income=100_000).monthly_amount == Decimal("3000.00")


def test_steps_explain_a_capped_employee_computation() -> None:
    result = contribution(payer_type=PayerType.EMPLOYEE, year=2024, income=[Decimal(600_000), Decimal(400_000)])
    assert [step.code for step in result.steps] == [
        STEP_MZP,
        STEP_INCOME,
        STEP_INCOME,
        STEP_INCOME_TOTAL,
        STEP_CAP,
        STEP_BASE,
        STEP_RATE,
        STEP_AMOUNT,
    ]
    by_code = {step.code: step for step in result.steps}
    assert by_code[STEP_MZP].value == Decimal(85_000)
    assert by_code[STEP_MZP].params["year"] == 2024
    assert by_code[STEP_INCOME_TOTAL].value == Decimal(1_000_000)
    assert by_code[STEP_CAP].value == Decimal(850_000)
    assert by_code[STEP_CAP].params["mzp_multiplier"] == 10
    assert by_code[STEP_BASE].params["capped"] is True
    assert by_code[STEP_RATE].value == Decimal("0.02")
    assert by_code[STEP_AMOUNT].value == Decimal("17000.00")
    assert [s.params["job"] for s in result.steps if s.code == STEP_INCOME] == [1, 2]


def test_steps_explain_a_fixed_base() -> None:
    result = contribution(payer_type="entrepreneur", year=2024)
    assert [step.code for step in result.steps] == [STEP_MZP, STEP_BASE, STEP_RATE, STEP_AMOUNT]
    assert result.steps[1].params["mzp_multiplier"] == Decimal("1.4")
    assert result.cap is None
    assert result.rate == Decimal("0.05")


def _self_payer_rates(year: int) -> dict[int, YearRates]:
    return {year: YearRates(year=year, source="law", self_payer_rate=Decimal("0.05"), self_payer_base_mzp=Decimal(1))}


def test_unknown_year_uses_the_latest_known_mzp() -> None:
    rates = _self_payer_rates(2030)  # a sourced rate, but no МЗП of 2030 yet
    assert contribution(payer_type="self_payer", year=2030, rates=rates).monthly_amount == Decimal("4250.00")
    assert contribution(payer_type="self_payer", year=2030, rates=rates).mzp == Decimal(85_000)


def test_custom_mzp_table() -> None:
    rates = _self_payer_rates(2027)
    result = contribution(payer_type="self_payer", year=2027, mzp={2027: Decimal(100_000)}, rates=rates)
    assert result.monthly_amount == Decimal("5000.00")


@pytest.mark.parametrize(
    ("payer_type", "income"),
    [
        ("employer", None),  # salary needed
        ("employee", None),
        ("employee", []),
        ("employer", [Decimal(100), Decimal(200)]),  # one employer pays on one salary
        ("employee", Decimal(-1)),
        ("employee", "abc"),
        ("employee", "NaN"),
        ("pensioner", None),  # not a payer type
    ],
)
def test_invalid_input_is_a_value_error(payer_type: str, income: object) -> None:
    with pytest.raises(ValueError):
        contribution(payer_type=payer_type, year=2024, income=income)  # type: ignore[arg-type]


def test_float_income_is_refused() -> None:
    with pytest.raises(TypeError):
        contribution(payer_type="employee", year=2024, income=0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("payer_type", "year"),
    [("employer", 2023), ("entrepreneur", 2023), ("employee", 2025), ("self_payer", 2026), ("employer", 2020)],
)
def test_a_year_without_a_sourced_rate_gives_no_sum(payer_type: str, year: int) -> None:
    # never the 2024 rate applied to another year
    with pytest.raises(RatesUnknown) as raised:
        contribution(payer_type=payer_type, year=year, income=Decimal(100_000))
    assert raised.value.year == year


def test_rates_of_another_year_are_that_years_own() -> None:
    # a made-up 2020 with 2% / 1% and a cap of 10 МЗП: the calculator applies them, not 2024's
    rates = dict(DEFAULT_RATES) | {
        2020: YearRates(
            year=2020,
            source="law",
            employer_rate=Decimal("0.02"),
            employee_rate=Decimal("0.01"),
            base_cap_mzp=Decimal(10),
        )
    }
    result = contribution(payer_type="employer", year=2020, income=Decimal(1_000_000), rates=rates)
    assert (result.rate, result.cap, result.monthly_amount) == (Decimal("0.02"), Decimal(425_000), Decimal("8500.00"))
    with pytest.raises(RatesUnknown):
        contribution(payer_type="self_payer", year=2020, rates=rates)


def test_offered_years_are_those_with_a_known_wage_and_sourced_rates() -> None:
    assert known_years(rates=DEFAULT_RATES, mzp=DEFAULT_MZP) == [2025, 2024, 2023]
    assert known_years(rates=DEFAULT_RATES, mzp=DEFAULT_MZP, payer_type="employer") == [2024]
    assert known_years(rates=DEFAULT_RATES, mzp=[2024]) == [2024]
    assert latest_complete_year(rates=DEFAULT_RATES, mzp=DEFAULT_MZP) == 2024
    # the shipped 2024 row is seed 001's, with the state's contribution for the benefit categories
    assert DEFAULT_RATES[2024].source.startswith("001_") and DEFAULT_RATES[2024].state_contribution == 5800


def test_a_row_of_rates_must_be_usable_and_sourced() -> None:
    bad = YearRates(year=2027, source=" ", employer_rate=Decimal(3), self_payer_rate=Decimal("0.05"))
    fields = {field for field, _message in rates_problems(bad)}
    assert fields == {"employer_rate", "base_cap_mzp", "self_payer_base_mzp", "source"}
    assert rates_problems(DEFAULT_RATES[2024]) == []
