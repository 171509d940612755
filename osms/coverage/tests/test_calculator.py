"""The public contribution calculator against the worked figures of DOMAIN §3 and seed 001.

2024: МЗП 85 000, 10 МЗП = 850 000 -> employer cap 3% = 25 500, employee cap 2% = 17 000;
ИП 5% of 1.4 x 85 000 = 5% of 119 000 = 5 950; self-payer 5% of 85 000 = 4 250.
2023: МЗП 70 000 -> self-payer 3 500.
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
    contribution,
)


@pytest.mark.parametrize(
    ("payer_type", "year", "income", "monthly", "base", "cap_applied"),
    [
        # employer: 3% of the salary, base at most 10 МЗП
        ("employer", 2024, Decimal(1_000_000), "25500.00", "850000", True),
        ("employer", 2024, Decimal(300_000), "9000.00", "300000", False),
        ("employer", 2024, Decimal(850_000), "25500.00", "850000", False),  # at the cap, not cut
        ("employer", 2023, Decimal(1_000_000), "21000.00", "700000", True),  # 3% of 10 x 70 000
        # employee: 2% of income, all jobs together capped at 10 МЗП
        ("employee", 2024, Decimal(300_000), "6000.00", "300000", False),
        ("employee", 2024, Decimal(2_000_000), "17000.00", "850000", True),
        ("employee", 2024, [Decimal(600_000), Decimal(400_000)], "17000.00", "850000", True),
        ("employee", 2024, [Decimal(200_000), Decimal(150_000)], "7000.00", "350000", False),
        # fixed bases, income not used
        ("entrepreneur", 2024, None, "5950.00", "119000", False),
        ("entrepreneur", 2023, None, "4900.00", "98000", False),  # 5% of 1.4 x 70 000
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


def test_unknown_year_uses_the_latest_known_mzp() -> None:
    assert contribution(payer_type="self_payer", year=2030).monthly_amount == Decimal("4250.00")
    assert contribution(payer_type="self_payer", year=2030).mzp == Decimal(85_000)


def test_custom_mzp_table() -> None:
    result = contribution(payer_type="self_payer", year=2027, mzp={2027: Decimal(100_000)})
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
