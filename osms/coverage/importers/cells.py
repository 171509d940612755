"""The values in a register's cells (docs/domain.md §13): dates, months, amounts, IINs and BINs.

Each check either returns the value in the form the writers store or raises RowError with what is
wrong, in the reader's language. The checks on values that repeat from row to row are memoised.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from osms.core.iin import iin_birth_date, validate_bin, validate_iin
from osms.coverage.periods import Period

MIN_PERIOD_YEAR = 2000

_AMOUNT = re.compile(r"[0-9]{1,12}(?:[.,][0-9]{2})?")
_DATE = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{4}")
_CACHE_LIMIT = 100_000  # entries per memo below; cleared when full, so memory stays bounded


class RowError(Exception):
    """One row is bad; the message says which column and why, in the reader's language."""


def _memo(function: Callable[[str], object]) -> Callable[[str], object]:
    """Remember results (and errors) of a pure string check: registers repeat dates, periods,
    amounts and employers' BINs on most rows."""
    cache: dict[str, object] = {}
    get = cache.get

    def wrapper(value: str):
        result = get(value)
        if result is None:
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            try:
                result = function(value)
            except RowError as exc:
                result = exc
            cache[value] = result
        if result.__class__ is RowError:
            raise result
        return result

    return wrapper


def _date(value: str) -> dt.date:
    if not _DATE.fullmatch(value):
        raise RowError(_("%(value)s is not a date written DD.MM.YYYY") % {"value": repr(value)})
    try:
        return dt.date(int(value[6:]), int(value[3:5]), int(value[:2]))
    except ValueError:
        raise RowError(_("%(value)s is not a real date") % {"value": repr(value)}) from None


parse_date = _memo(_date)


def _period(value: str) -> int:
    try:
        period = Period.parse(value)
    except ValueError:
        raise RowError(_("%(value)s is not a month written MMYYYY") % {"value": repr(value)}) from None
    if period.year < MIN_PERIOD_YEAR:
        raise RowError(_("%(value)s is too early a month") % {"value": repr(value)})
    return period.year * 100 + period.month


parse_period = _memo(_period)


def _amount(value: str) -> str:
    if value.startswith("-"):
        raise RowError(_("the amount %(value)s is negative") % {"value": repr(value)})
    if not _AMOUNT.fullmatch(value):
        raise RowError(
            _("%(value)s is not an amount in tenge (digits, optionally “,” or “.” and two decimals)")
            % {"value": repr(value)}
        )
    return value.replace(",", ".")


parse_amount = _memo(_amount)


def validation_message(exc: ValidationError) -> str:
    return " ".join(str(message) for message in exc.messages)


_CENTURY_DIGITS = frozenset("123456")
_birth_ok: dict[str, bool] = {}


def _iin_plausible(value: str) -> bool:
    """The fast path of validate_iin for the rows of a register (millions of them): true when
    validate_iin would accept the value. Anything false goes through validate_iin for its message."""
    if len(value) != 12 or not value.isascii() or not value.isdigit() or value[6] not in _CENTURY_DIGITS:
        return False
    head = value[:7]
    ok = _birth_ok.get(head)
    if ok is None:
        try:
            iin_birth_date(value)
            ok = True
        except ValueError:
            ok = False
        if len(_birth_ok) >= _CACHE_LIMIT:
            _birth_ok.clear()
        _birth_ok[head] = ok
    return ok and _check_digit_ok(value)


def _check_digit_ok(value: str) -> bool:
    d = value.encode()
    # ASCII digits are 48..57; the offsets cancel in the weighted sums mod 11 only after the
    # subtraction, so subtract once per weight sum (sum of weights x 48).
    first = (
        d[0]
        + 2 * d[1]
        + 3 * d[2]
        + 4 * d[3]
        + 5 * d[4]
        + 6 * d[5]
        + 7 * d[6]
        + 8 * d[7]
        + 9 * d[8]
        + 10 * d[9]
        + 11 * d[10]
        - 66 * 48
    ) % 11
    if first == 10:
        first = (
            3 * d[0]
            + 4 * d[1]
            + 5 * d[2]
            + 6 * d[3]
            + 7 * d[4]
            + 8 * d[5]
            + 9 * d[6]
            + 10 * d[7]
            + 11 * d[8]
            + d[9]
            + 2 * d[10]
            - 66 * 48
        ) % 11
        if first == 10:
            return False
    return first == d[11] - 48


def parse_iin(value: str) -> str:
    if _iin_plausible(value):
        return value
    try:
        validate_iin(value)
    except ValidationError as exc:
        raise RowError(
            _("%(value)s is not a valid IIN: %(reason)s") % {"value": value, "reason": validation_message(exc)}
        ) from None
    return value


def _payer_id(value: str) -> str:
    if _iin_plausible(value):
        return value
    if (
        len(value) == 12
        and value.isascii()
        and value.isdigit()
        and value[4] in "456"
        and 1 <= int(value[2:4]) <= 12
        and _check_digit_ok(value)
    ):
        return value
    if len(value) == 12 and value.isdigit() and value[4] in "456":
        try:
            validate_bin(value)
        except ValidationError as exc:
            raise RowError(
                _("%(value)s is not a valid BIN: %(reason)s") % {"value": value, "reason": validation_message(exc)}
            ) from None
        return value
    try:
        validate_iin(value)
    except ValidationError as exc:
        raise RowError(
            _("%(value)s is neither a valid IIN nor a valid BIN: %(reason)s")
            % {"value": value, "reason": validation_message(exc)}
        ) from None
    return value


parse_payer_id = _memo(_payer_id)


def in_column(column: str, parse: Callable[[str], object], value: str):
    try:
        return parse(value)
    except RowError as exc:
        raise RowError(f"{column}: {exc}") from None
