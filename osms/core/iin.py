"""The IIN (individual identification number) and BIN (business identification number) of Kazakhstan.

12 digits. IIN: YYMMDD birth date, a century-and-sex digit (1/2 = 1800s, 3/4 = 1900s, 5/6 = 2000s),
a 4-digit serial, a check digit. BIN: YYMM registration date, a type digit 4/5/6, and so on, with
the same check digit. Every form that takes one says precisely what is wrong (docs/domain.md §2).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS_FIRST = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURY = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


def check_digit(first11: str) -> int | None:
    """The check digit for 11 digits, or None when no valid check digit exists (both sums give 10)."""
    digits = [int(c) for c in first11]
    value = sum(w * d for w, d in zip(WEIGHTS_FIRST, digits, strict=True)) % 11
    if value == 10:
        value = sum(w * d for w, d in zip(WEIGHTS_SECOND, digits, strict=True)) % 11
        if value == 10:
            return None
    return value


def _check_shape(value: str, code_prefix: str) -> None:
    if not value.isdigit():
        raise ValidationError(_("The number must contain digits only."), code=f"{code_prefix}_not_digits")
    if len(value) != 12:
        raise ValidationError(
            _("The number must have exactly 12 digits; you entered %(count)d."),
            code=f"{code_prefix}_length",
            params={"count": len(value)},
        )


def _check_control(value: str, code_prefix: str) -> None:
    expected = check_digit(value[:11])
    if expected is None or expected != int(value[11]):
        raise ValidationError(
            _("The last (check) digit does not match the other digits: please check the number for a typo."),
            code=f"{code_prefix}_check_digit",
        )


def iin_birth_date(value: str) -> dt.date:
    """The birth date written in an IIN that has already passed validate_iin."""
    century = _CENTURY[value[6]]
    return dt.date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))


def validate_iin(value: str) -> None:
    """Raise a ValidationError that names the first fault of the IIN: length, digits, date, century, check digit."""
    value = (value or "").strip()
    _check_shape(value, "iin")
    if value[6] not in _CENTURY:
        raise ValidationError(
            _("The 7th digit (century and sex) must be from 1 to 6; it is %(digit)s."),
            code="iin_century",
            params={"digit": value[6]},
        )
    try:
        iin_birth_date(value)
    except ValueError:
        raise ValidationError(
            _("The first six digits must be a real birth date (YYMMDD); %(date)s is not."),
            code="iin_date",
            params={"date": value[:6]},
        ) from None
    _check_control(value, "iin")


def validate_bin(value: str) -> None:
    """Raise a ValidationError that names the first fault of a BIN."""
    value = (value or "").strip()
    _check_shape(value, "bin")
    if not 1 <= int(value[2:4]) <= 12:
        raise ValidationError(_("Digits 3–4 of a BIN must be a month of registration (01–12)."), code="bin_month")
    if value[4] not in "456":
        raise ValidationError(_("The 5th digit of a BIN must be 4, 5 or 6."), code="bin_type")
    _check_control(value, "bin")


def is_valid_iin(value: str) -> bool:
    try:
        validate_iin(value)
    except ValidationError:
        return False
    return True


def is_valid_bin(value: str) -> bool:
    try:
        validate_bin(value)
    except ValidationError:
        return False
    return True


def make_iin(birth: dt.date, *, female: bool = False, serial: int = 1) -> str:
    """A valid IIN for a birth date, used by demo data and tests. Skips serials with no check digit."""
    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth.year // 100 * 100] + (1 if female else 0)
    while True:
        first11 = f"{birth:%y%m%d}{century_digit}{serial:04d}"
        digit = check_digit(first11)
        if digit is not None:
            return f"{first11}{digit}"
        serial += 1


def make_bin(registered: dt.date, *, serial: int = 1) -> str:
    """A valid BIN (legal entity, type digit 4) registered in the given month, for demo data and tests."""
    while True:
        first11 = f"{registered:%y%m}4{serial:06d}"
        digit = check_digit(first11)
        if digit is not None:
            return f"{first11}{digit}"
        serial += 1
