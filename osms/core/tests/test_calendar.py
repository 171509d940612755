"""Tests for the working-time calendar (docs/domain.md §9).

Dates are explicit, with their day of the week in a comment; the holiday facts come from
the `holidays` package 0.108 data for Kazakhstan. Only the tests named
``test_business_calendar_*`` need the database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from osms.core import calendar as calendar_module
from osms.core.calendar import (
    ALMATY,
    WORKING_PERIODS,
    BusinessCalendar,
    business_calendar,
    deadline_after,
    invalidate_business_calendar,
    is_working_day,
    working_time_between,
)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """An aware moment on the Almaty wall clock."""
    return datetime(year, month, day, hour, minute, second, tzinfo=ALMATY)


@pytest.fixture
def cal() -> BusinessCalendar:
    """The statutory calendar, without any database exceptions."""
    return BusinessCalendar()


# --- Working days --------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 2, 2),  # Monday
        date(2026, 2, 3),  # Tuesday
        date(2026, 2, 4),  # Wednesday
        date(2026, 2, 5),  # Thursday
        date(2026, 2, 6),  # Friday
    ],
)
def test_ordinary_weekdays_are_working_days(cal: BusinessCalendar, day: date) -> None:
    assert cal.is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 2, 7),  # Saturday
        date(2026, 2, 8),  # Sunday
    ],
)
def test_weekends_are_days_off(cal: BusinessCalendar, day: date) -> None:
    assert not cal.is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),  # Thursday, New Year
        date(2026, 1, 2),  # Friday, New Year (second day)
        date(2026, 1, 7),  # Wednesday, Orthodox Christmas
        date(2024, 3, 8),  # Friday, International Women's Day
        date(2024, 3, 22),  # Friday, Nauryz
        date(2026, 3, 23),  # Monday, Nauryz
        date(2026, 5, 1),  # Friday, Unity Day
        date(2026, 5, 7),  # Thursday, Defender of the Fatherland Day
        date(2026, 7, 6),  # Monday, Capital Day
        date(2026, 12, 16),  # Wednesday, Independence Day
    ],
)
def test_public_holidays_on_weekdays_are_days_off(cal: BusinessCalendar, day: date) -> None:
    assert not cal.is_working_day(day)


@pytest.mark.parametrize(
    ("holiday", "observed_days", "back_to_work"),
    [
        # Independence Day on Saturday 16 Dec 2023 -> Monday 18 Dec; Tuesday 19 Dec works.
        (date(2023, 12, 16), [date(2023, 12, 18)], date(2023, 12, 19)),
        # New Year on Saturday 1 and Sunday 2 Jan 2022 -> Monday 3 and Tuesday 4 Jan.
        (date(2022, 1, 1), [date(2022, 1, 3), date(2022, 1, 4)], date(2022, 1, 5)),
        # Women's Day on Saturday 8 Mar 2025 -> Monday 10 Mar; Tuesday 11 Mar works.
        (date(2025, 3, 8), [date(2025, 3, 10)], date(2025, 3, 11)),
        # Women's Day on Sunday 8 Mar 2026 -> Monday 9 Mar; Tuesday 10 Mar works.
        (date(2026, 3, 8), [date(2026, 3, 9)], date(2026, 3, 10)),
        # Nauryz Sat 21 - Mon 23 Mar 2026: the weekend days move past Monday (itself a
        # holiday) to Tuesday 24 and Wednesday 25 Mar; Thursday 26 Mar works.
        (date(2026, 3, 21), [date(2026, 3, 24), date(2026, 3, 25)], date(2026, 3, 26)),
    ],
)
def test_holiday_on_a_weekend_is_observed_on_the_next_working_day(
    cal: BusinessCalendar, holiday: date, observed_days: list[date], back_to_work: date
) -> None:
    assert not cal.is_working_day(holiday)
    for day in observed_days:
        assert not cal.is_working_day(day)
    assert cal.is_working_day(back_to_work)


def test_orthodox_christmas_on_a_weekend_is_not_moved(cal: BusinessCalendar) -> None:
    # 7 Jan 2023 is a Saturday; the Labour Code does not move religious holidays.
    assert cal.is_working_day(date(2023, 1, 9))  # Monday


@pytest.mark.parametrize(
    ("day_off", "weekend_worked"),
    [
        (date(2025, 1, 3), date(2025, 1, 5)),  # Friday off, Sunday worked
        (date(2024, 5, 8), date(2024, 5, 4)),  # Wednesday off, Saturday worked
    ],
)
def test_transfers_known_to_the_holidays_package_apply_in_both_directions(
    cal: BusinessCalendar, day_off: date, weekend_worked: date
) -> None:
    assert not cal.is_working_day(day_off)
    assert cal.is_working_day(weekend_worked)


def test_exception_makes_a_saturday_a_working_day() -> None:
    saturday = date(2026, 2, 7)
    cal = BusinessCalendar(working_days=[saturday])
    assert cal.is_working_day(saturday)
    # After hours on Friday 6 Feb 2026 the clock now starts on that Saturday.
    assert cal.next_working_moment(at(2026, 2, 6, 19)) == at(2026, 2, 7, 9)


def test_exception_makes_a_weekday_a_day_off() -> None:
    monday = date(2026, 2, 9)
    cal = BusinessCalendar(days_off=[monday])
    assert not cal.is_working_day(monday)
    # After hours on Friday 6 Feb 2026 the clock skips the weekend and that Monday.
    assert cal.next_working_moment(at(2026, 2, 6, 19)) == at(2026, 2, 10, 9)  # Tuesday


def test_exception_overrides_the_holiday_list() -> None:
    # Monday 9 Mar 2026 is an observed holiday; staff can still declare it a working day.
    assert BusinessCalendar(working_days=[date(2026, 3, 9)]).is_working_day(date(2026, 3, 9))


def test_a_date_cannot_be_both_a_day_off_and_a_working_day() -> None:
    with pytest.raises(ValueError):
        BusinessCalendar(days_off=[date(2026, 2, 7)], working_days=[date(2026, 2, 7)])


def test_is_working_day_of_a_datetime_uses_its_almaty_date(cal: BusinessCalendar) -> None:
    # Friday 6 Feb 2026 20:00 UTC is already Saturday 01:00 in Almaty.
    assert not cal.is_working_day(datetime(2026, 2, 6, 20, tzinfo=UTC))


def test_working_days_between_counts_the_half_open_range(cal: BusinessCalendar) -> None:
    # Monday 2 Mar to Monday 30 Mar 2026: 5 + 4 (Mon 9th observed) + 5 + 2 (Nauryz week).
    assert cal.working_days_between(date(2026, 3, 2), date(2026, 3, 30)) == 16
    assert cal.working_days_between(date(2026, 3, 30), date(2026, 3, 2)) == -16
    assert cal.working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0


# --- When the clock starts -----------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2026, 2, 2, 10), at(2026, 2, 2, 10)),  # Monday morning: already working
        (at(2026, 2, 2, 9), at(2026, 2, 2, 9)),  # exactly at opening
        (at(2026, 2, 2, 7, 30), at(2026, 2, 2, 9)),  # before opening
        (at(2026, 2, 2, 0, 0), at(2026, 2, 2, 9)),  # midnight
        (at(2026, 2, 2, 12, 59, 59), at(2026, 2, 2, 12, 59, 59)),  # last second before lunch
        (at(2026, 2, 2, 13), at(2026, 2, 2, 14, 30)),  # exactly 13:00 is lunch
        (at(2026, 2, 2, 13, 30), at(2026, 2, 2, 14, 30)),  # during lunch
        (at(2026, 2, 2, 14, 30), at(2026, 2, 2, 14, 30)),  # exactly at end of lunch
        (at(2026, 2, 2, 18, 29), at(2026, 2, 2, 18, 29)),  # last minute of the day
        (at(2026, 2, 2, 18, 30), at(2026, 2, 3, 9)),  # exactly 18:30 -> Tuesday
        (at(2026, 2, 6, 19), at(2026, 2, 9, 9)),  # Friday evening -> Monday
        (at(2026, 2, 7, 11), at(2026, 2, 9, 9)),  # Saturday -> Monday
        (at(2026, 3, 6, 18, 30), at(2026, 3, 10, 9)),  # Friday -> Tuesday (Mon 9th observed)
        # Year boundaries.
        (at(2025, 12, 31, 19), at(2026, 1, 5, 9)),  # Wednesday -> Monday after New Year
        (at(2024, 12, 31, 19), at(2025, 1, 5, 9)),  # Tuesday -> the transferred Sunday
        (at(2026, 12, 31, 19), at(2027, 1, 5, 9)),  # Thursday -> Tuesday (Mon 4th observed)
    ],
)
def test_next_working_moment(cal: BusinessCalendar, moment: datetime, expected: datetime) -> None:
    assert cal.next_working_moment(moment) == expected


def test_other_time_zones_are_converted_and_results_are_in_almaty(cal: BusinessCalendar) -> None:
    # 04:00 UTC on Monday 2 Feb 2026 is 09:00 in Almaty (UTC+5); 08:00 UTC is 13:00.
    opening = cal.next_working_moment(datetime(2026, 2, 2, 4, tzinfo=UTC))
    assert opening == at(2026, 2, 2, 9)
    assert opening.tzinfo is ALMATY
    assert cal.next_working_moment(datetime(2026, 2, 2, 8, tzinfo=UTC)) == at(2026, 2, 2, 14, 30)
    assert cal.add_working_days(datetime(2026, 2, 2, 4, tzinfo=UTC), 1).tzinfo is ALMATY


# --- Working minutes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "minutes", "expected"),
    [
        (at(2026, 2, 2, 10), 15, at(2026, 2, 2, 10, 15)),  # Monday, inside the morning
        (at(2026, 2, 2, 12, 50), 15, at(2026, 2, 2, 14, 35)),  # crosses lunch
        (at(2026, 2, 2, 13, 30), 15, at(2026, 2, 2, 14, 45)),  # asked during lunch
        (at(2026, 2, 2, 18, 20), 15, at(2026, 2, 3, 9, 5)),  # crosses the night
        (at(2026, 2, 2, 19), 15, at(2026, 2, 3, 9, 15)),  # asked after hours
        (at(2026, 2, 6, 18, 20), 15, at(2026, 2, 9, 9, 5)),  # Friday -> Monday
        (at(2026, 2, 7, 12), 15, at(2026, 2, 9, 9, 15)),  # asked on Saturday
        # Running out exactly at a closing time lands on the next opening.
        (at(2026, 2, 2, 12, 45), 15, at(2026, 2, 2, 14, 30)),
        (at(2026, 2, 2, 18, 15), 15, at(2026, 2, 3, 9)),
        (at(2026, 2, 2, 10), 0, at(2026, 2, 2, 10)),
        (at(2026, 2, 2, 13), 0, at(2026, 2, 2, 14, 30)),
        (at(2026, 2, 2, 9), 480, at(2026, 2, 3, 9)),
        # Friday 20 Mar 2026: 90 minutes today, 30 after Nauryz on Thursday 26 Mar.
        (at(2026, 3, 20, 17), 120, at(2026, 3, 26, 9, 30)),
    ],
)
def test_add_working_minutes(cal: BusinessCalendar, moment: datetime, minutes: int, expected: datetime) -> None:
    assert cal.add_working_minutes(moment, minutes) == expected


def test_negative_durations_are_rejected(cal: BusinessCalendar) -> None:
    with pytest.raises(ValueError):
        cal.add_working_minutes(at(2026, 2, 2, 10), -1)
    with pytest.raises(ValueError):
        cal.add_working_days(at(2026, 2, 2, 10), -1)


# --- Working days --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "days", "expected"),
    [
        # Friday 6 Mar 2026 -> weekend, Women's Day observed Monday 9 -> Tuesday 10 Mar.
        (at(2026, 3, 6, 10), 1, at(2026, 3, 10, 10)),
        # Friday 20 Mar 2026 -> weekend and Nauryz until Wednesday 25 -> Thursday 26 Mar.
        (at(2026, 3, 20, 10), 1, at(2026, 3, 26, 10)),
        (at(2026, 2, 2, 19), 1, at(2026, 2, 4, 9)),  # Monday evening: clock starts Tuesday
        (at(2026, 2, 2, 13, 30), 1, at(2026, 2, 3, 14, 30)),  # Monday lunch -> Tuesday 14:30
        (at(2026, 2, 6, 19), 0, at(2026, 2, 9, 9)),  # zero days: just the clock start
        (at(2026, 3, 2, 10), 5, at(2026, 3, 10, 10)),  # Monday -> Tuesday over a holiday
        (at(2026, 3, 2, 10), 15, at(2026, 3, 27, 10)),  # Monday -> Friday over two holidays
        # Wednesday 31 Dec 2025 evening: clock starts Monday 5 Jan, skips Christmas Wed 7.
        (at(2025, 12, 31, 19), 2, at(2026, 1, 8, 9)),
        # Tuesday 31 Dec 2024 evening: clock starts on the worked Sunday 5 Jan 2025,
        # then Monday 6, Christmas Tuesday 7 skipped, Wednesday 8.
        (at(2024, 12, 31, 19), 2, at(2025, 1, 8, 9)),
        # Thursday 31 Dec 2026 evening: holidays load for 2027; Tue 5, Wed 6, Fri 8 Jan.
        (at(2026, 12, 31, 19), 2, at(2027, 1, 8, 9)),
    ],
)
def test_add_working_days(cal: BusinessCalendar, moment: datetime, days: int, expected: datetime) -> None:
    assert cal.add_working_days(moment, days) == expected


def test_sixty_working_days_hold_exactly_sixty_days_of_working_time(cal: BusinessCalendar) -> None:
    start = at(2026, 2, 2, 11)  # Monday
    deadline = cal.add_working_days(start, 60)
    assert deadline.time() == start.time()
    assert cal.working_time_between(start, deadline) == 60 * timedelta(hours=8)
    assert cal.working_days_between(start.date(), deadline.date()) == 60


@pytest.mark.parametrize(
    "moment",
    [
        at(2026, 2, 2, 9),  # Monday opening
        at(2026, 2, 2, 10, 17, 42),
        at(2026, 2, 2, 12, 59),
        at(2026, 2, 2, 13),  # lunch
        at(2026, 2, 2, 14, 30),
        at(2026, 2, 2, 18, 29),
        at(2026, 2, 2, 18, 30),  # closing
        at(2026, 2, 6, 17),  # Friday
        at(2026, 2, 7, 12),  # Saturday
        at(2026, 3, 6, 15),  # Friday before the observed Women's Day
        at(2025, 12, 31, 19),  # New Year's Eve
    ],
)
def test_one_working_day_equals_eight_working_hours(cal: BusinessCalendar, moment: datetime) -> None:
    assert cal.add_working_days(moment, 1) == cal.add_working_minutes(moment, 8 * 60)


def test_deadline_after_adds_days_then_minutes(cal: BusinessCalendar) -> None:
    # Friday 6 Mar 2026 18:20 + 1 day -> Tuesday 10 Mar 18:20, + 15 minutes -> Wed 09:05.
    moment = at(2026, 3, 6, 18, 20)
    assert cal.deadline_after(moment, working_days=1, working_minutes=15) == at(2026, 3, 11, 9, 5)
    assert cal.deadline_after(moment) == moment


# --- Working time between two moments -------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(2026, 2, 2, 10), at(2026, 2, 2, 11), timedelta(hours=1)),  # Monday morning
        (at(2026, 2, 2, 12), at(2026, 2, 2, 15), timedelta(hours=1, minutes=30)),  # lunch
        (at(2026, 2, 2, 13), at(2026, 2, 2, 14, 30), timedelta()),  # only lunch
        (at(2026, 2, 2, 17), at(2026, 2, 3, 10), timedelta(hours=2, minutes=30)),  # a night
        (at(2026, 2, 6, 17), at(2026, 2, 9, 10), timedelta(hours=2, minutes=30)),  # weekend
        (at(2026, 2, 7, 0), at(2026, 2, 9, 0), timedelta()),  # the weekend itself
        (at(2026, 2, 2, 0), at(2026, 2, 7, 0), timedelta(hours=40)),  # a whole week
        (at(2026, 3, 20, 9), at(2026, 3, 26, 9), timedelta(hours=8)),  # Nauryz week
        # Wednesday 31 Dec 2025 17:00 -> Monday 5 Jan 2026 10:00 over New Year.
        (at(2025, 12, 31, 17), at(2026, 1, 5, 10), timedelta(hours=2, minutes=30)),
        (at(2026, 2, 2, 10), at(2026, 2, 2, 10), timedelta()),
    ],
)
def test_working_time_between(cal: BusinessCalendar, start: datetime, end: datetime, expected: timedelta) -> None:
    assert cal.working_time_between(start, end) == expected


def test_working_time_between_reversed_moments_is_negative(cal: BusinessCalendar) -> None:
    assert cal.working_time_between(at(2026, 2, 3, 10), at(2026, 2, 2, 17)) == -timedelta(hours=2, minutes=30)


# --- Cross-check against a minute-by-minute walk ---------------------------------------


def _is_working_minute(cal: BusinessCalendar, moment: datetime) -> bool:
    return cal.is_working_day(moment.date()) and any(
        opens <= moment.time() < closes for opens, closes in WORKING_PERIODS
    )


def _walk_minutes(cal: BusinessCalendar, moment: datetime, minutes: int) -> datetime:
    """Obviously right and far too slow for production: the reference answer."""
    step = timedelta(minutes=1)
    while not _is_working_minute(cal, moment):
        moment += step
    for _ in range(minutes):
        moment += step
        while not _is_working_minute(cal, moment):
            moment += step
    return moment


def test_add_working_minutes_agrees_with_a_minute_by_minute_walk(cal: BusinessCalendar) -> None:
    # Starts every 40 minutes on Friday 6 Mar 2026, before a weekend and an observed holiday.
    starts = [at(2026, 3, 6) + timedelta(minutes=40 * i) for i in range(36)]
    for start in starts:
        for minutes in (1, 15, 240, 480):
            expected = _walk_minutes(cal, start, minutes)
            assert cal.add_working_minutes(start, minutes) == expected, (start, minutes)
            assert cal.working_time_between(start, expected) == timedelta(minutes=minutes)


# --- Naive datetimes ------------------------------------------------------------------


NAIVE = datetime(2026, 2, 2, 10)  # noqa: DTZ001 -- naive on purpose: the calendar must refuse it


@pytest.mark.parametrize(
    "call",
    [
        lambda cal: cal.next_working_moment(NAIVE),
        lambda cal: cal.add_working_minutes(NAIVE, 15),
        lambda cal: cal.add_working_days(NAIVE, 1),
        lambda cal: cal.deadline_after(NAIVE, working_days=1),
        lambda cal: cal.working_time_between(NAIVE, at(2026, 2, 3, 10)),
        lambda cal: cal.working_time_between(at(2026, 2, 1, 10), NAIVE),
        lambda cal: cal.is_working_day(NAIVE),
    ],
)
def test_naive_datetimes_are_rejected(cal: BusinessCalendar, call) -> None:
    with pytest.raises(ValueError, match="naive"):
        call(cal)


# --- Module-level helpers and the database-backed calendar ------------------------------


def test_module_level_helpers_use_the_database_calendar(monkeypatch: pytest.MonkeyPatch) -> None:
    saturday = date(2026, 2, 7)
    monkeypatch.setattr(calendar_module, "business_calendar", lambda: BusinessCalendar(working_days=[saturday]))
    assert is_working_day(saturday)
    assert deadline_after(at(2026, 2, 6, 19), working_minutes=15) == at(2026, 2, 7, 9, 15)
    assert working_time_between(at(2026, 2, 7, 0), at(2026, 2, 8, 0)) == timedelta(hours=8)


@pytest.fixture
def locmem_cache(settings) -> None:
    """A real cache, whatever the test settings use, so caching can be observed."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "osms-test-business-calendar",
        }
    }


@pytest.mark.django_db
def test_business_calendar_applies_exceptions_from_the_database(locmem_cache) -> None:
    from osms.core.models import CalendarException

    CalendarException.objects.create(day=date(2026, 2, 7), kind="working_day", reason="перенос")
    CalendarException.objects.create(day=date(2026, 2, 9), kind="day_off", reason="перенос")
    invalidate_business_calendar()

    cal = business_calendar()
    assert cal.is_working_day(date(2026, 2, 7))  # Saturday made working
    assert not cal.is_working_day(date(2026, 2, 9))  # Monday made a day off
    assert is_working_day(date(2026, 2, 7))
    # Friday 6 Feb 2026 evening: 15 minutes after the Saturday opening.
    assert deadline_after(at(2026, 2, 6, 19), working_minutes=15) == at(2026, 2, 7, 9, 15)


@pytest.mark.django_db
def test_business_calendar_is_cached_until_invalidated(locmem_cache) -> None:
    from osms.core.models import CalendarException

    invalidate_business_calendar()
    assert not business_calendar().is_working_day(date(2026, 2, 7))  # Saturday
    # bulk_create skips save(), so nothing invalidates the cache yet.
    CalendarException.objects.bulk_create(
        [CalendarException(day=date(2026, 2, 7), kind="working_day", reason="перенос")]
    )
    assert not business_calendar().is_working_day(date(2026, 2, 7))
    invalidate_business_calendar()
    assert business_calendar().is_working_day(date(2026, 2, 7))
