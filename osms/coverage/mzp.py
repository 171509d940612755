"""The МЗП (minimum monthly wage) table shipped with the portal and the amounts derived from it
(DOMAIN §3): the rules of insured status, the calculator and the pages read them here."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Final

# Shipped МЗП (minimum monthly wage) by year, DOMAIN §3. Read-only because the module-level
# mapping is shared by every request; fund staff edit the database copy, which callers pass in.
DEFAULT_MZP: Final[Mapping[int, Decimal]] = MappingProxyType(
    {
        2020: Decimal("42500"),
        2021: Decimal("42500"),
        2022: Decimal("60000"),
        2023: Decimal("70000"),
        2024: Decimal("85000"),
        2025: Decimal("85000"),
        2026: Decimal("85000"),
    }
)

CONTRIBUTION_SHARE: Final = Decimal("0.05")  # 5% of МЗП: the self-payer's взнос, the coverage threshold, the debt price
_CENTS: Final = Decimal("0.01")


def _money(value: Decimal) -> Decimal:
    return value.quantize(_CENTS, rounding=ROUND_HALF_UP)


def mzp_for_year(*, mzp: Mapping[int, Decimal], year: int) -> Decimal:
    """The МЗП of `year`.

    Decision: a year missing from the table takes the latest known year not after it (the
    budget law for a new year may be late; the last fixed wage is the best estimate and the
    one the Fund keeps using until then). A year before every known year takes the earliest
    one, so old payments in a register never make the whole answer fail.
    """
    if year in mzp:
        return Decimal(mzp[year])
    if not mzp:
        raise ValueError("the МЗП table is empty")
    earlier = [known for known in mzp if known <= year]
    return Decimal(mzp[max(earlier) if earlier else min(mzp)])


def monthly_contribution(*, mzp: Mapping[int, Decimal], year: int) -> Decimal:
    """5% of the year's МЗП, in tenge with 2 decimals: the individual's monthly взнос (2024: 4250.00)."""
    return _money(mzp_for_year(mzp=mzp, year=year) * CONTRIBUTION_SHARE)
