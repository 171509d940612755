"""The month as a value: the unit of OSMS payments and coverage (docs/domain.md §4, §13).

Payments carry a period written `MMYYYY`; status, debt and prepaid runs are all reasoned about
in whole months. A small immutable value type keeps that arithmetic (month 12 + 1 = next year's
month 1) in one place instead of scattered `(year, month)` tuples.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

_CODE = re.compile(r"[0-9]{6}")  # ASCII only: str.isdigit() would accept Arabic-Indic or full-width digits
_MIN_YEAR = 1
_MAX_YEAR = 9999  # the range of datetime.date, so first_day/last_day always exist


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """One calendar month. Ordered by time (the field order year, month gives that), hashable."""

    year: int
    month: int

    def __post_init__(self) -> None:
        # bool is an int subclass; Period(True, 1) is always a bug, so reject it too.
        for name, value in (("year", self.year), ("month", self.month)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"period {name} must be an int, got {value!r}")
        if not 1 <= self.month <= 12:
            raise ValueError(f"period month must be from 1 to 12, got {self.month}")
        if not _MIN_YEAR <= self.year <= _MAX_YEAR:
            raise ValueError(f"period year must be from {_MIN_YEAR} to {_MAX_YEAR}, got {self.year}")

    # --- construction -------------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read the `MMYYYY` code of registers and statements.

        Strict on purpose: a register row with "1.2024" or "2024-01" is rejected with its line
        number rather than guessed at. The messages are English; callers translate them.
        """
        if not isinstance(text, str):
            raise TypeError(f"period code must be a string, got {type(text).__name__}")
        if not _CODE.fullmatch(text):
            raise ValueError(f"period must be exactly 6 digits MMYYYY (e.g. 012024), got {text!r}")
        month, year = int(text[:2]), int(text[2:])
        if not 1 <= month <= 12:
            raise ValueError(f"period month must be 01-12, got {text[:2]!r} in {text!r}")
        if year < _MIN_YEAR:
            raise ValueError(f"period year must not be 0000, got {text!r}")
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> Period:
        """The month a date falls in (M0 for a status date D)."""
        return cls(day.year, day.month)

    @classmethod
    def from_ordinal(cls, ordinal: int) -> Period:
        """Inverse of `ordinal`."""
        year, month0 = divmod(ordinal, 12)
        return cls(year, month0 + 1)

    # --- views --------------------------------------------------------------------------------

    @property
    def ordinal(self) -> int:
        """Months since year 0: consecutive months are consecutive ints, which makes runs cheap."""
        return self.year * 12 + self.month - 1

    @property
    def code(self) -> str:
        """The `MMYYYY` code, as printed on payments and in the status JSON."""
        return f"{self.month:02d}{self.year:04d}"

    def __str__(self) -> str:
        return self.code

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    # --- arithmetic ---------------------------------------------------------------------------

    def __add__(self, months: int) -> Period:
        if not isinstance(months, int) or isinstance(months, bool):
            return NotImplemented
        return Period.from_ordinal(self.ordinal + months)

    __radd__ = __add__

    def __sub__(self, other: int | Period) -> Period | int:  # type: ignore[override]
        """`period - n` is the period n months earlier; `period - period` is the distance in months."""
        if isinstance(other, Period):
            return self.ordinal - other.ordinal
        if not isinstance(other, int) or isinstance(other, bool):
            return NotImplemented
        return Period.from_ordinal(self.ordinal - other)

    @staticmethod
    def range(first: Period, last: Period) -> Iterator[Period]:
        """Every month from `first` to `last`, both included; nothing when first > last."""
        for ordinal in range(first.ordinal, last.ordinal + 1):
            yield Period.from_ordinal(ordinal)
