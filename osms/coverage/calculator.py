"""The public contribution calculator: who pays how much per month (docs/domain.md §3).

Pure and Django-free like the status rules. The result carries its computation as
machine-readable steps, so the page can explain "how was this computed" in the reader's
language without this module knowing about translations.

Rates and bases are facts of a year (`osms.coverage.rates`, kept by administrators with their
source); 2024's, from seed 001, per month and of that year's МЗП:
- employer (работодатель): отчисление 3% of the employee's salary, base at most 10 МЗП;
- employee incl. civil-law contracts (работник, ГПХ): взнос 2% of income, base at most 10 МЗП
  across all jobs together (the second employer needs the first one's certificate, seed 001);
- entrepreneur (ИП, private practice, peasant farm): взнос 5% of 1.4 x МЗП;
- self-payer (самостоятельный плательщик): взнос 5% of МЗП.
A year or payer without a sourced rate gets no sum (`RatesUnknown`), never another year's rate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Final

from osms.coverage.rates import DEFAULT_RATES, PayerType, RatesUnknown, YearRates, rates_for
from osms.coverage.rules import DEFAULT_MZP, mzp_for_year

__all__ = ["Calculation", "CalculationStep", "PayerType", "RatesUnknown", "contribution"]

# Step codes: the view maps each to a translated sentence; `params` fill its placeholders.
STEP_MZP: Final = "mzp"  # value = МЗП of params["year"]
STEP_INCOME: Final = "income"  # value = one job's monthly income, params["job"] = 1, 2, ...
STEP_INCOME_TOTAL: Final = "income_total"  # value = income of all jobs together, params["jobs"]
STEP_CAP: Final = "cap"  # value = largest base, params["mzp_multiplier"] x МЗП
STEP_BASE: Final = "base"  # value = base used; params["capped"] or params["mzp_multiplier"]
STEP_RATE: Final = "rate"  # value = the share of the base, e.g. 0.03
STEP_AMOUNT: Final = "amount"  # value = monthly sum rounded half-up, params["exact"] before rounding

_CENTS: Final = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class CalculationStep:
    code: str
    value: Decimal
    params: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class Calculation:
    payer_type: PayerType
    year: int
    mzp: Decimal
    monthly_amount: Decimal  # tenge, 2 decimals, rounded half-up
    base: Decimal  # the amount the rate applies to
    rate: Decimal
    cap: Decimal | None  # largest allowed base, None where the law fixes the base
    cap_applied: bool  # True only when the income was above the cap and was cut down to it
    steps: tuple[CalculationStep, ...]


def _plain(value: Decimal) -> Decimal:
    """10.00 -> 10, 1.40 -> 1.4: a multiplier as people write it (never 1E+1)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _step(code: str, value: Decimal, **params: object) -> CalculationStep:
    return CalculationStep(code=code, value=value, params=MappingProxyType(params))


def _amount(value: Decimal | int | str) -> Decimal:
    """An income as Decimal; refuses what would silently produce a wrong sum."""
    if isinstance(value, (bool, float)):
        # Floats carry binary noise (0.1 + 0.2); a form gives strings or Decimals anyway.
        raise TypeError(f"income must be a Decimal, int or str, got {type(value).__name__}")
    try:
        result = Decimal(value)
    except ArithmeticError:
        raise ValueError(f"income is not a number: {value!r}") from None
    if not result.is_finite() or result < 0:
        raise ValueError(f"income must be a non-negative number, got {value!r}")
    return result


def _incomes(payer_type: PayerType, income: object) -> list[Decimal]:
    if income is None:
        raise ValueError(f"{payer_type.value} contribution needs the income")
    if isinstance(income, Sequence) and not isinstance(income, str):
        if payer_type is PayerType.EMPLOYER:
            # Each employer pays for its own employee on its own salary; caps are per employer.
            raise ValueError("employer deduction is computed for one salary, not a list")
        if not income:
            raise ValueError("employee contribution needs at least one job's income")
        return [_amount(item) for item in income]
    return [_amount(income)]  # type: ignore[arg-type]


# long: the steps shown to the citizen, in the order shown; split, the order would be read in two places.
def contribution(
    *,
    payer_type: PayerType | str,
    year: int,
    income: Decimal | int | str | Sequence[Decimal | int | str] | None = None,
    mzp: Mapping[int, Decimal] = DEFAULT_MZP,
    rates: Mapping[int, YearRates] = DEFAULT_RATES,
) -> Calculation:
    """The monthly OSMS payment of one payer type in `year`.

    `income` is the monthly salary (employer), the monthly income of each job (employee: one
    amount or a list, capped together), and is not used for entrepreneurs and self-payers,
    whose base the law fixes (2024: 1.4 and 1 МЗП) whatever they earn. Raises RatesUnknown
    when `rates` has no sourced rate of `year` for this payer.
    """
    try:
        kind = PayerType(payer_type)
    except ValueError:
        known = ", ".join(t.value for t in PayerType)
        raise ValueError(f"unknown payer type {payer_type!r}; expected one of {known}") from None
    year_rates = rates_for(rates=rates, year=year, payer_type=kind)
    rate = year_rates.rate(kind)
    assert rate is not None  # nosec B101 # narrows the type: rates_for checked it
    wage = mzp_for_year(mzp=mzp, year=year)
    steps = [_step(STEP_MZP, wage, year=year)]

    cap: Decimal | None = None
    cap_applied = False
    if kind in (PayerType.EMPLOYER, PayerType.EMPLOYEE):
        incomes = _incomes(kind, income)
        for job, value in enumerate(incomes, start=1):
            steps.append(_step(STEP_INCOME, value, job=job))
        total = sum(incomes, Decimal(0))
        if len(incomes) > 1:
            steps.append(_step(STEP_INCOME_TOTAL, total, jobs=len(incomes)))
        cap_mzp = year_rates.base_cap_mzp
        assert cap_mzp is not None  # nosec B101 # narrows the type: rates_for checked it
        cap = (wage * cap_mzp).quantize(_CENTS, rounding=ROUND_HALF_UP)
        steps.append(_step(STEP_CAP, cap, mzp_multiplier=_plain(cap_mzp)))
        cap_applied = total > cap
        base = min(total, cap)
        steps.append(_step(STEP_BASE, base, capped=cap_applied))
    else:
        multiplier = year_rates.fixed_base_mzp(kind)
        assert multiplier is not None  # nosec B101 # narrows the type: rates_for checked it
        base = (wage * multiplier).quantize(_CENTS, rounding=ROUND_HALF_UP)
        steps.append(_step(STEP_BASE, base, mzp_multiplier=_plain(multiplier)))

    steps.append(_step(STEP_RATE, rate))
    exact = base * rate
    monthly = exact.quantize(_CENTS, rounding=ROUND_HALF_UP)
    steps.append(_step(STEP_AMOUNT, monthly, exact=exact))
    return Calculation(
        payer_type=kind,
        year=year,
        mzp=wage,
        monthly_amount=monthly,
        base=base,
        rate=rate,
        cap=cap,
        cap_applied=cap_applied,
        steps=tuple(steps),
    )
