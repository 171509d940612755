"""Contribution rates and caps per year, with their source (docs/domain.md §3; ADR 0603).

Pure and Django-free like the calculator that reads it. The law has changed the rates over the
years (the 2024 ones are not the 2020 ones), so a rate is a fact *of a year*, and the portal
states a sum only for a year whose rate it knows from a source. A year may be known for some
payers only: seed 000 gives 2023's self-payer sum and nothing else, so 2023 is offered to
self-payers and to nobody else.

Administrators keep the table current in the back office (`ContributionRates`); the values below
are what the migration ships and what a test or a script without a database uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Final


def gettext_noop(message: str) -> str:
    """Marks a message for the catalogues (makemessages knows this name); the caller translates it."""
    return message


class PayerType(StrEnum):
    EMPLOYER = "employer"  # отчисления for one employee
    EMPLOYEE = "employee"  # взносы withheld from income, one or more jobs
    ENTREPRENEUR = "entrepreneur"  # ИП, private practice, peasant farm
    SELF_PAYER = "self_payer"  # самостоятельный плательщик


class RatesUnknown(ValueError):
    """The portal has no sourced rate for this payer in this year: it states no sum."""

    def __init__(self, *, payer_type: PayerType, year: int) -> None:
        super().__init__(f"no sourced {payer_type.value} rate for {year}")
        self.payer_type = payer_type
        self.year = year


@dataclass(frozen=True, slots=True)
class YearRates:
    """The rates of one year. `None` means "not known from a source", never zero."""

    year: int
    source: str  # a seed's file name, or the law with its article: shown to the back office
    employer_rate: Decimal | None = None  # share of the salary: 0.03
    employee_rate: Decimal | None = None  # share of income: 0.02
    base_cap_mzp: Decimal | None = None  # employer's and employee's base at most this many МЗП: 10
    entrepreneur_rate: Decimal | None = None  # share of the fixed base: 0.05
    entrepreneur_base_mzp: Decimal | None = None  # the fixed base in МЗП: 1.4
    self_payer_rate: Decimal | None = None  # share of the fixed base: 0.05
    self_payer_base_mzp: Decimal | None = None  # the fixed base in МЗП: 1
    state_contribution: Decimal | None = None  # the state's взнос per person a month (at least)
    state_persons: int | None = None  # persons of the benefit categories the state pays for (at least)

    def rate(self, payer_type: PayerType) -> Decimal | None:
        return {
            PayerType.EMPLOYER: self.employer_rate,
            PayerType.EMPLOYEE: self.employee_rate,
            PayerType.ENTREPRENEUR: self.entrepreneur_rate,
            PayerType.SELF_PAYER: self.self_payer_rate,
        }[PayerType(payer_type)]

    def fixed_base_mzp(self, payer_type: PayerType) -> Decimal | None:
        """The base the law fixes in МЗП (entrepreneurs, self-payers); None for income-based payers."""
        if payer_type is PayerType.ENTREPRENEUR:
            return self.entrepreneur_base_mzp
        if payer_type is PayerType.SELF_PAYER:
            return self.self_payer_base_mzp
        return None

    def knows(self, payer_type: PayerType | str) -> bool:
        """Every figure the calculator needs for this payer is known."""
        kind = PayerType(payer_type)
        if self.rate(kind) is None:
            return False
        if kind in (PayerType.EMPLOYER, PayerType.EMPLOYEE):
            return self.base_cap_mzp is not None
        return self.fixed_base_mzp(kind) is not None

    @property
    def payers(self) -> tuple[PayerType, ...]:
        return tuple(kind for kind in PayerType if self.knows(kind))


def rates_problems(rates: YearRates) -> list[tuple[str, str]]:
    """What makes a row of rates unusable, as (field, English message): one rule for admin and service."""
    problems: list[tuple[str, str]] = []
    for name in (
        "employer_rate",
        "employee_rate",
        "entrepreneur_rate",
        "self_payer_rate",
    ):
        value = getattr(rates, name)
        if value is not None and not Decimal(0) < value < Decimal(1):
            # xgettext:no-python-format
            problems.append((name, gettext_noop("A rate is a share of the base between 0 and 1, e.g. 0.03 for 3%.")))
    if (rates.employer_rate is not None or rates.employee_rate is not None) and rates.base_cap_mzp is None:
        problems.append(("base_cap_mzp", gettext_noop("Employer and employee rates need the cap of the base in MZP.")))
    if rates.entrepreneur_rate is not None and rates.entrepreneur_base_mzp is None:
        problems.append(("entrepreneur_base_mzp", gettext_noop("The entrepreneur's rate needs the base in MZP.")))
    if rates.self_payer_rate is not None and rates.self_payer_base_mzp is None:
        problems.append(("self_payer_base_mzp", gettext_noop("The self-payer's rate needs the base in MZP.")))
    if not rates.source.strip():
        problems.append(("source", gettext_noop("Name the source of these rates: a source document or the law.")))
    return problems


SEED_000: Final = "000_311a9edc7ab6cb93.txt"  # 2023: "по 3 500 тенге за каждый месяц"
SEED_001: Final = "001_99b44c75e1ab6667.txt"  # 2024: every rate, cap and the state's contribution
SEED_004: Final = "004_43eaf1dc7d9fde3a.txt"  # 2025: "для 2025 года – 4250 тенге в месяц"

# Shipped rates: only what a seed states. 2023 and 2025 give the self-payer's sum (5% of one
# МЗП: 3 500 of 70 000, 4 250 of 85 000); 2024 gives everything.
DEFAULT_RATES: Final[Mapping[int, YearRates]] = MappingProxyType(
    {
        2023: YearRates(
            year=2023,
            source=SEED_000,
            self_payer_rate=Decimal("0.05"),
            self_payer_base_mzp=Decimal(1),
        ),
        2024: YearRates(
            year=2024,
            source=SEED_001,
            employer_rate=Decimal("0.03"),
            employee_rate=Decimal("0.02"),
            base_cap_mzp=Decimal(10),
            entrepreneur_rate=Decimal("0.05"),
            entrepreneur_base_mzp=Decimal("1.4"),
            self_payer_rate=Decimal("0.05"),
            self_payer_base_mzp=Decimal(1),
            state_contribution=Decimal(5800),
            state_persons=11_000_000,
        ),
        2025: YearRates(
            year=2025,
            source=SEED_004,
            self_payer_rate=Decimal("0.05"),
            self_payer_base_mzp=Decimal(1),
        ),
    }
)


def rates_for(*, rates: Mapping[int, YearRates], year: int, payer_type: PayerType | str) -> YearRates:
    """The rates of `year` for `payer_type`; RatesUnknown when a source gives none (never a guess)."""
    kind = PayerType(payer_type)
    found = rates.get(year)
    if found is None or not found.knows(kind):
        raise RatesUnknown(payer_type=kind, year=year)
    return found


def known_years(
    *, rates: Mapping[int, YearRates], mzp: Iterable[int], payer_type: PayerType | str | None = None
) -> list[int]:
    """Years, newest first, with a known МЗП and sourced rates (for `payer_type`, or for any payer)."""
    wages = set(mzp)
    kinds = list(PayerType) if payer_type is None else [PayerType(payer_type)]
    return sorted(
        (year for year, row in rates.items() if year in wages and any(row.knows(kind) for kind in kinds)),
        reverse=True,
    )


def latest_complete_year(*, rates: Mapping[int, YearRates], mzp: Iterable[int]) -> int | None:
    """The newest year whose rates are known for every payer: the who-pays page's main table."""
    wages = set(mzp)
    complete = [year for year, row in rates.items() if year in wages and len(row.payers) == len(PayerType)]
    return max(complete) if complete else None
