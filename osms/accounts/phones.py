"""Kazakhstan mobile numbers: stored as +7 and ten digits."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_DIGITS = re.compile(r"\D")


def normalise_phone(value: str) -> str:
    """'8 (701) 234-56-78', '+7 701 234 5678' and '7012345678' all become '+77012345678'."""
    digits = _DIGITS.sub("", value or "")
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    return f"+7{digits}" if len(digits) == 10 else (value or "").strip()


def validate_phone(value: str) -> None:
    if not re.fullmatch(r"\+7\d{10}", value or ""):
        raise ValidationError(
            _("Enter a mobile number of Kazakhstan: +7 and ten digits, for example +7 701 234 56 78."),
            code="phone_format",
        )
    if value[2] != "7":
        raise ValidationError(
            _("This is not a mobile number of Kazakhstan: they start with +7 7."),
            code="phone_not_mobile",
        )
