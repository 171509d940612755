"""When a right to act for someone holds (DOMAIN §14): pure functions, no database.

A parent acts for their child until the day before the child's 18th birthday, whatever the
register's end says; a guardian (опекун) or trustee (попечитель) while the decision lasts
(an empty end is an open decision). Dates are inclusive: a right that ends on 31.12 holds on 31.12.
The ward's birth date is read from the IIN, which the persons register checks against its own.
"""

from __future__ import annotations

import datetime as dt

from osms.core.iin import iin_birth_date

ADULT_AGE = 18
PARENT = "parent"
GUARDIAN = "guardian"
TRUSTEE = "trustee"
# The register's words (§13) for the grounds, compared case-insensitively.
REGISTER_GROUNDS = {"родитель": PARENT, "опекун": GUARDIAN, "попечитель": TRUSTEE}
# How long a fund officer has for a request (docs/adr/0701-representation.md).
REVIEW_WORKING_DAYS = 3


def eighteenth_birthday(ward_iin: str) -> dt.date:
    born = iin_birth_date(ward_iin)
    try:
        return born.replace(year=born.year + ADULT_AGE)
    except ValueError:  # born on 29 February: of age on 1 March
        return dt.date(born.year + ADULT_AGE, 3, 1)


def is_minor(ward_iin: str, *, on: dt.date) -> bool:
    return on < eighteenth_birthday(ward_iin)


def last_day(*, ground: str, ward_iin: str, end: dt.date | None) -> dt.date | None:
    """The last day the right holds; None for an open guardianship."""
    if ground == PARENT:
        until_adult = eighteenth_birthday(ward_iin) - dt.timedelta(days=1)
        return until_adult if end is None else min(end, until_adult)
    return end


def is_in_force(*, ground: str, ward_iin: str, start: dt.date, end: dt.date | None, on: dt.date) -> bool:
    if on < start:
        return False
    final = last_day(ground=ground, ward_iin=ward_iin, end=end)
    return final is None or on <= final


def ground_problem(*, ground: str, ward_iin: str, representative_iin: str, start: dt.date) -> str | None:
    """Why a right cannot exist (a code for the caller's message), or None when it can."""
    if ward_iin == representative_iin:
        return "self"
    if ground == PARENT and not is_minor(ward_iin, on=start):
        return "adult"
    return None


# --- the request's stages: one small move function (a later phase puts it on the shared kernel) ----------

SUBMITTED = "submitted"
APPROVED = "approved"
REFUSED = "refused"
MOVES = {SUBMITTED: {APPROVED, REFUSED}}


def can_move(current: str, to: str) -> bool:
    return to in MOVES.get(current, set())
