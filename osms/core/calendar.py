"""Working-time calendar of the fund (docs/domain.md §9): every deadline is measured on it.

Working days are Monday to Friday minus the public holidays of Kazakhstan (with their
observed days) and with the government's day transfers (перенос выходных дней) applied.
Working hours are [09:00, 13:00) and [14:30, 18:30) in Asia/Almaty, i.e. 8 hours a day.

Every computed deadline is a *working moment* (inside a half-open interval). So when
working time runs out exactly at 13:00 or 18:30 the deadline is the next opening
(14:30, or 09:00 of the next working day). With that convention "N working days" (the same
wall-clock moment N working days later) always equals "N x 480 working minutes".

What holidays 0.108 provides for ``country_holidays("KZ")`` (checked in its source):

* Public holidays, including Orthodox Christmas (7 January) and Kurban ait. Dates from
  2026 on are *estimated* for Kurban ait; a wrong estimate is corrected with exceptions.
* Observed days: since 2002 a holiday falling on Saturday/Sunday moves to the next
  working day that is not itself a holiday (``SAT_SUN_TO_NEXT_WORKDAY``), e.g. Nauryz
  21-23 March 2026 (Sat-Mon) also gives Tue 24 and Wed 25 March. Christmas and Kurban ait
  are never moved, as in the Labour Code.
* Government transfers, but only for the years already decreed in the package (up to and
  including 2025): the day made off appears as a holiday ("Day off (substituted from
  ...)") and the weekend day made working is listed in the public ``weekend_workdays``
  attribute (e.g. Sunday 5 January 2025 worked for Friday 3 January 2025). We apply both
  halves so a transfer is never half-applied. Later transfers must be entered by fund staff
  as ``CalendarException`` rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from time import monotonic
from uuid import uuid4
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "ALMATY",
    "DAY_OFF",
    "WORKING_DAY",
    "WORKING_DAY_LENGTH",
    "WORKING_PERIODS",
    "BusinessCalendar",
    "business_calendar",
    "deadline_after",
    "invalidate_business_calendar",
    "is_working_day",
    "working_time_between",
]

logger = logging.getLogger(__name__)

ALMATY = ZoneInfo("Asia/Almaty")
WORKING_PERIODS: tuple[tuple[time, time], ...] = (
    (time(9, 0), time(13, 0)),
    (time(14, 30), time(18, 30)),
)
WORKING_DAY_LENGTH = timedelta(hours=8)

# CalendarException.kind values.
DAY_OFF = "day_off"
WORKING_DAY = "working_day"

# Guards the day-by-day searches: a misconfigured calendar (everything made a day off)
# must fail loudly instead of looping forever.
_MAX_SEARCH_DAYS = 3 * 366

_CACHE_PREFIX = "osms.core.business_calendar.v1"
_GENERATION_KEY = f"{_CACHE_PREFIX}.generation"
# Safety net for writes that bypass save()/delete() (queryset.update, raw SQL).
_CACHE_TIMEOUT = 60 * 60
# While the shared cache is away, each process reads the exceptions again this often.
_PROCESS_COPY_SECONDS = 60.0
_process_cache: dict[str, tuple[float, BusinessCalendar]] = {}


@lru_cache(maxsize=64)
def _statutory_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(holidays, weekend days made working) of one year, from the `holidays` package.

    Memoised process-wide because building a year costs milliseconds, the data only
    changes with the package version, and calendars are rebuilt on every cache read.
    """
    table = holidays.country_holidays("KZ", years=year)
    weekend_workdays = frozenset(d for d in table.weekend_workdays if d.year == year)
    return frozenset(table), weekend_workdays


def _to_local(moment: datetime) -> datetime:
    """Reject naive datetimes (USE_TZ=True: one would be a silent bug) and convert."""
    if not isinstance(moment, datetime):
        raise TypeError(f"expected a datetime, got {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: pass an aware datetime")
    return moment.astimezone(ALMATY)


class BusinessCalendar:
    """Working days and hours, with exceptions decreed on top of the statutory calendar."""

    def __init__(self, *, days_off: Iterable[date] = (), working_days: Iterable[date] = ()) -> None:
        """`days_off`: weekdays made days off; `working_days`: weekend days made working.

        An exception wins over both the weekend rule and the holiday list, which is also
        how staff correct an estimated holiday date.
        """
        self._days_off = frozenset(days_off)
        self._working_days = frozenset(working_days)
        if clash := self._days_off & self._working_days:
            raise ValueError(f"dates both off and working: {sorted(clash)}")

    def __repr__(self) -> str:
        return f"BusinessCalendar(days_off={sorted(self._days_off)!r}, working_days={sorted(self._working_days)!r})"

    def is_working_day(self, day: date) -> bool:
        if isinstance(day, datetime):
            # A datetime never equals a date, so set lookups would silently miss.
            day = _to_local(day).date()
        if day in self._working_days:
            return True
        if day in self._days_off:
            return False
        statutory_holidays, weekend_workdays = _statutory_year(day.year)
        if day.weekday() >= 5:
            return day in weekend_workdays
        return day not in statutory_holidays

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` itself if it is inside working time, else the next opening."""
        local = _to_local(moment)
        for start, end in self._periods(local.date()):
            if local < end:
                return max(local, start)
        return self._opening(self._next_working_day(local.date()))

    def add_working_minutes(self, moment: datetime, minutes: int) -> datetime:
        """The working moment at which `minutes` of working time have elapsed.

        Walks interval by interval, never minute by minute.
        """
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        current = self.next_working_moment(moment)
        remaining = timedelta(minutes=minutes)
        day = current.date()
        while True:
            for start, end in self._periods(day):
                if current >= end:
                    continue
                current = max(current, start)
                # Strict "<": running out exactly at a closing moves on to the next opening.
                if remaining < end - current:
                    return current + remaining
                remaining -= end - current
            day = self._next_working_day(day)
            current = self._opening(day)

    def add_working_days(self, moment: datetime, days: int) -> datetime:
        """The same wall-clock moment `days` working days after the (next) working moment."""
        if days < 0:
            raise ValueError("days must not be negative")
        start = self.next_working_moment(moment)
        day = start.date()
        for _ in range(days):
            day = self._next_working_day(day)
        return datetime.combine(day, start.time(), tzinfo=ALMATY)

    def deadline_after(self, moment: datetime, *, working_days: int = 0, working_minutes: int = 0) -> datetime:
        """`working_days` then `working_minutes` after `moment` (both may be combined)."""
        after_days = self.add_working_days(moment, working_days)
        return self.add_working_minutes(after_days, working_minutes)

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time inside [start, end); negative when `end` precedes `start`."""
        start, end = _to_local(start), _to_local(end)
        if end < start:
            return -self.working_time_between(end, start)
        total = timedelta()
        day = start.date()
        while day <= end.date():
            for period_start, period_end in self._periods(day):
                overlap = min(end, period_end) - max(start, period_start)
                if overlap > timedelta():
                    total += overlap
            day += timedelta(days=1)
        return total

    def working_days_between(self, start: date, end: date) -> int:
        """Number of working days in [start, end); negative when `end` precedes `start`."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(self.is_working_day(start + timedelta(days=offset)) for offset in range((end - start).days))

    def _periods(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        return [
            (
                datetime.combine(day, opens, tzinfo=ALMATY),
                datetime.combine(day, closes, tzinfo=ALMATY),
            )
            for opens, closes in WORKING_PERIODS
        ]

    def _opening(self, day: date) -> datetime:
        return datetime.combine(day, WORKING_PERIODS[0][0], tzinfo=ALMATY)

    def _next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        for offset in range(1, _MAX_SEARCH_DAYS + 1):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise RuntimeError(f"no working day within {_MAX_SEARCH_DAYS} days after {day}")


def _calendar_from_database() -> BusinessCalendar:
    from osms.core.models import CalendarException

    days_off: list[date] = []
    working_days: list[date] = []
    for day, kind in CalendarException.objects.values_list("day", "kind"):
        if kind == DAY_OFF:
            days_off.append(day)
        elif kind == WORKING_DAY:
            working_days.append(day)
        else:
            # One bad row must not break every deadline on the portal.
            logger.warning("Ignoring calendar exception %s with unknown kind %r", day, kind)
    return BusinessCalendar(days_off=days_off, working_days=working_days)


def _process_copy() -> BusinessCalendar:
    """The calendar when the shared cache is away (Redis down): this process's own copy, read from
    the database again after `_PROCESS_COPY_SECONDS`. A deadline never waits for Redis (ADR 0013)."""
    now = monotonic()
    copy = _process_cache.get("calendar")
    if copy is None or now - copy[0] > _PROCESS_COPY_SECONDS:
        copy = _process_cache["calendar"] = (now, _calendar_from_database())
    return copy[1]


def business_calendar() -> BusinessCalendar:
    """The calendar with the exceptions stored in the database, cached.

    The cache key carries a generation token that `invalidate_business_calendar` replaces,
    so a change is seen by every process at once without knowing which keys exist. When the
    shared cache cannot be reached (its backend turns errors into misses, osms/core/cache.py, or
    raises) the process's own copy serves.
    """
    # Lazy imports keep this module importable without Django settings (scripts, tests).
    from django.core.cache import cache

    try:
        generation = cache.get(_GENERATION_KEY)
        if generation is None:
            # add() so that concurrent first readers agree on a single token.
            cache.add(_GENERATION_KEY, uuid4().hex, timeout=None)
            generation = cache.get(_GENERATION_KEY)
        if generation is None:
            return _process_copy()
        key = f"{_CACHE_PREFIX}:{generation}"
        calendar = cache.get(key)
    except Exception as exc:  # a cache backend that raises when its server is away
        logger.warning("business calendar cache unavailable (%s); using this process's copy", exc)
        return _process_copy()
    if calendar is None:
        calendar = _calendar_from_database()
        cache.set(key, calendar, _CACHE_TIMEOUT)
    return calendar


def invalidate_business_calendar() -> None:
    """Forget the cached calendar; called by CalendarException.save() and delete().

    The token is replaced at once (so the writing request sees its change) and again on
    commit: another process may rebuild from the not-yet-committed state in between,
    and must not keep that stale calendar.
    """
    from django.core.cache import cache
    from django.db import transaction

    def bump() -> None:
        _process_cache.clear()
        try:
            cache.set(_GENERATION_KEY, uuid4().hex, timeout=None)
        except Exception as exc:  # the shared copies expire on their own (_CACHE_TIMEOUT)
            logger.warning("business calendar cache not invalidated (%s)", exc)

    bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(bump)


def deadline_after(moment: datetime, *, working_days: int = 0, working_minutes: int = 0) -> datetime:
    """Deadline on the database-backed calendar; see `BusinessCalendar.deadline_after`."""
    return business_calendar().deadline_after(moment, working_days=working_days, working_minutes=working_minutes)


def working_time_between(start: datetime, end: datetime) -> timedelta:
    """Working time in [start, end) on the database-backed calendar."""
    return business_calendar().working_time_between(start, end)


def is_working_day(day: date) -> bool:
    """Whether `day` is a working day on the database-backed calendar."""
    return business_calendar().is_working_day(day)
