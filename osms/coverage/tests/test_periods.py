"""Period: the MMYYYY month value of payments and statements (docs/domain.md §4, §13)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from osms.coverage.periods import Period


@pytest.mark.parametrize(
    ("code", "year", "month"),
    [("012024", 2024, 1), ("122024", 2024, 12), ("072026", 2026, 7), ("092025", 2025, 9)],
)
def test_parse_reads_month_then_year(code: str, year: int, month: int) -> None:
    assert Period.parse(code) == Period(year, month)


@pytest.mark.parametrize(
    "code",
    [
        "12024",  # 5 digits
        "0120245",  # 7 digits
        "",
        "132024",  # month 13
        "002024",  # month 00
        "000000",
        "010000",  # year 0000
        "01-2024",
        "2024-01",
        " 012024",  # no silent trimming
        "012024\n",
        "01202a",
        "\uff10\uff11\uff12\uff10\uff12\uff14",  # full-width "012024": digits to str.isdigit, not ASCII
    ],
)
def test_parse_rejects_anything_but_six_ascii_digits_with_a_real_month(code: str) -> None:
    with pytest.raises(ValueError, match="period"):
        Period.parse(code)


def test_parse_error_names_the_problem() -> None:
    with pytest.raises(ValueError, match="6 digits MMYYYY"):
        Period.parse("1.2024")
    with pytest.raises(ValueError, match="month must be 01-12"):
        Period.parse("132024")


def test_parse_refuses_non_strings() -> None:
    with pytest.raises(TypeError):
        Period.parse(12024)  # type: ignore[arg-type]


@pytest.mark.parametrize(("year", "month"), [(2024, 0), (2024, 13), (0, 1)])
def test_constructor_validates(year: int, month: int) -> None:
    with pytest.raises(ValueError):
        Period(year, month)


def test_constructor_refuses_bools_and_strings() -> None:
    with pytest.raises(TypeError):
        Period(2024, True)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Period("2024", 1)  # type: ignore[arg-type]


def test_code_and_str_are_mmyyyy_and_round_trip() -> None:
    period = Period(2025, 8)
    assert period.code == "082025"
    assert str(period) == "082025"
    assert Period.parse(period.code) == period


def test_of_date_is_its_month() -> None:
    assert Period.of(date(2026, 11, 23)) == Period(2026, 11)


def test_ordered_by_time_across_years() -> None:
    assert Period(2023, 12) < Period(2024, 1) < Period(2024, 2)
    assert sorted([Period(2024, 1), Period(2023, 12), Period(2023, 2)]) == [
        Period(2023, 2),
        Period(2023, 12),
        Period(2024, 1),
    ]
    assert max(Period(2024, 1), Period(2023, 12)) == Period(2024, 1)


def test_hashable_and_equal_by_value() -> None:
    assert len({Period(2024, 1), Period.parse("012024"), Period(2024, 2)}) == 2
    assert {Period(2024, 1): "x"}[Period(2024, 1)] == "x"


def test_immutable() -> None:
    period = Period(2024, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        period.month = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("012024", 1, "022024"),
        ("122024", 1, "012025"),
        ("012024", -1, "122023"),
        ("062024", 12, "062025"),
        ("062024", -12, "062023"),
        ("062024", 0, "062024"),
        ("012024", 25, "022026"),
    ],
)
def test_adding_months_crosses_years(start: str, months: int, expected: str) -> None:
    assert Period.parse(start) + months == Period.parse(expected)
    assert Period.parse(expected) - months == Period.parse(start)


def test_int_plus_period_and_period_minus_period() -> None:
    assert 3 + Period(2024, 11) == Period(2025, 2)
    assert Period(2025, 2) - Period(2024, 11) == 3
    assert Period(2024, 11) - Period(2025, 2) == -3


def test_adding_non_ints_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        Period(2024, 1) + 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        Period(2024, 1) + "1"  # type: ignore[operator]


@pytest.mark.parametrize(
    ("code", "first", "last"),
    [
        ("022024", date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        ("022023", date(2023, 2, 1), date(2023, 2, 28)),
        ("122025", date(2025, 12, 1), date(2025, 12, 31)),
        ("042024", date(2024, 4, 1), date(2024, 4, 30)),
    ],
)
def test_first_and_last_day(code: str, first: date, last: date) -> None:
    period = Period.parse(code)
    assert period.first_day == first
    assert period.last_day == last


def test_range_is_inclusive_and_crosses_years() -> None:
    assert [p.code for p in Period.range(Period(2024, 11), Period(2025, 2))] == [
        "112024",
        "122024",
        "012025",
        "022025",
    ]


def test_range_of_one_and_of_none() -> None:
    assert list(Period.range(Period(2024, 5), Period(2024, 5))) == [Period(2024, 5)]
    assert list(Period.range(Period(2024, 6), Period(2024, 5))) == []


def test_ordinal_round_trips_and_counts_months() -> None:
    period = Period(2024, 3)
    assert Period.from_ordinal(period.ordinal) == period
    assert Period(2025, 3).ordinal - period.ordinal == 12
