"""The rules of temporary status (docs/domain.md §5, §7) as pure functions over plain values: who may ask,
what is still missing, and the moments the sweep acts at."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from osms.core.calendar import ALMATY, BusinessCalendar

from .models import TemporaryStatusRequest

Status = TemporaryStatusRequest.Status

# The stages in which a request is still open (the moves between stages: workflow.py).
OPEN = frozenset({Status.DRAFT, Status.SUBMITTED})

REVIEW_WORKING_DAYS = 3
DRAFT_KEPT_DAYS = 30  # an unsent draft, with its documents, is deleted after this
EXPIRY_NOTICE_DAYS = 3  # calendar days before the last day of the month of status
NOTICE_HOUR = dt.time(10, 0)  # an SMS at a decent hour, not when the sweep happens to run
CLOSING_HOUR = dt.time(9, 0)  # the request is closed (and the citizen told) the morning after the last day

# Categories whose definition the IIN alone contradicts (§5): the number and the check.
CHILDREN, PREGNANT, MOTHERS_OF_MANY = 1, 2, 5
ADULT_AGE = 18


class Refusal(StrEnum):
    """Why a person may not ask for temporary status now."""

    NOT_CITIZEN = "not_citizen"
    PENDING = "pending"
    TEMPORARY_ACTIVE = "temporary_active"
    INSURED = "insured"


REFUSAL_MESSAGES: dict[Refusal, Promise] = {
    Refusal.NOT_CITIZEN: _(
        "Temporary status is asked for by citizens in their own cabinet. This is a staff account: sign in with "
        "your personal account."
    ),
    Refusal.PENDING: _(
        "You have already sent a request. Wait for the Fund's answer: you will get an SMS and a message in "
        "your cabinet."
    ),
    Refusal.TEMPORARY_ACTIVE: _(
        "You already have temporary status. You may ask again once it ends, if you are not insured then."
    ),
    Refusal.INSURED: _(
        "You are insured today, so you do not need temporary status. It is only for people whose status is "
        "“not insured”."
    ),
}


# The same, said to a parent or guardian about their ward (docs/adr/0702): the person is named, never "you".
WARD_REFUSAL_MESSAGES: dict[Refusal, Promise] = {
    Refusal.PENDING: _(
        "A request for %(name)s has already been sent. Wait for the Fund's answer: you will get an SMS and a "
        "message in your cabinet."
    ),
    Refusal.TEMPORARY_ACTIVE: _(
        "%(name)s already has temporary status. You may ask again once it ends, if %(name)s is not insured then."
    ),
    Refusal.INSURED: _(
        "%(name)s is insured today and does not need temporary status. It is only for people whose status is "
        "“not insured”."
    ),
}


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    refusal: Refusal | None = None

    @property
    def message(self) -> Promise | None:
        return None if self.refusal is None else REFUSAL_MESSAGES[self.refusal]

    def message_about(self, ward_name: str = "") -> str | None:
        """The message for the page: about the citizen ("you"), or naming the ward they act for."""
        if self.refusal is None:
            return None
        if ward_name and self.refusal in WARD_REFUSAL_MESSAGES:
            return str(WARD_REFUSAL_MESSAGES[self.refusal]) % {"name": ward_name}
        return str(REFUSAL_MESSAGES[self.refusal])


def eligibility(*, is_citizen: bool, insured: bool, has_pending: bool, temporary_until: dt.date | None) -> Eligibility:
    """Only a citizen whose status today is "not insured" may ask (§7), one request at a time.

    `temporary_until`: the last day of a temporary status the person holds today, if any."""
    if not is_citizen:
        return Eligibility(False, Refusal.NOT_CITIZEN)
    if has_pending:
        return Eligibility(False, Refusal.PENDING)
    if temporary_until is not None:
        return Eligibility(False, Refusal.TEMPORARY_ACTIVE)
    if insured:
        return Eligibility(False, Refusal.INSURED)
    return Eligibility(True)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def iin_is_female(iin: str) -> bool:
    """The 7th digit of an IIN (§2): 2, 4, 6 for women."""
    return iin[6] in "246"


def category_misfit(
    *, category: int, iin: str, birth: dt.date, today: dt.date, for_ward: bool = False
) -> Promise | None:
    """Why the category cannot be the person's, when the IIN alone says so; None otherwise.
    `for_ward`: a representative asks for the person (docs/adr/0702-services-for-a-ward.md).

    Only the plain cases: the Fund's officer judges everything else from the documents."""
    if category == CHILDREN and age_on(birth, today) >= ADULT_AGE:
        if for_ward:
            return _("This category is for children under 18, and this person is 18 or older.")
        return _(
            "This category is for children under 18. A parent or guardian asks for a child: in your cabinet "
            "choose “Acting for” the child, then ask for temporary status with the child's birth certificate."
        )
    if category in (PREGNANT, MOTHERS_OF_MANY) and not iin_is_female(iin):
        return _("This category is for women. Your IIN is a man's.")
    return None


# Documents a category asks only of some applicants, by the answer that decides (docs/adr/0702): seed 004
# asks pensioners for the identity document and the WWII veteran's certificate, and only a veteran has one.
PENSIONERS_VETERANS = 9
VETERANS_CERTIFICATE = "Veteran's certificate"
CONDITIONAL_DOCUMENTS = {PENSIONERS_VETERANS: {VETERANS_CERTIFICATE: "wwii_veteran"}}


def asks_wwii_veteran(category: int) -> bool:
    return category in CONDITIONAL_DOCUMENTS


def documents_for(*, category: int, documents, answers: dict) -> list[str]:
    """The documents this applicant is asked for: the category's list without those that depend on an
    answer the applicant did not give as yes (no form asks for a document the person cannot have)."""
    conditional = CONDITIONAL_DOCUMENTS.get(category, {})
    return [kind for kind in documents if kind not in conditional or answers.get(conditional[kind]) is True]


def missing_documents(*, required: list[str], uploaded: set[str]) -> list[str]:
    """The category's documents (in its order) not uploaded yet."""
    return [kind for kind in required if kind not in uploaded]


def review_deadline(submitted_at: dt.datetime, *, calendar: BusinessCalendar) -> dt.datetime:
    """3 working days from submission; a request sent after hours starts at the next opening."""
    return calendar.deadline_after(submitted_at, working_days=REVIEW_WORKING_DAYS)


def expiry_notice_moment(status_until: dt.date) -> dt.datetime:
    """10:00 in Almaty, a few days before the last day of the status."""
    return dt.datetime.combine(status_until - dt.timedelta(days=EXPIRY_NOTICE_DAYS), NOTICE_HOUR, tzinfo=ALMATY)


def closing_moment(status_until: dt.date) -> dt.datetime:
    """The morning after the last day: the status has ended (the status answer sees that by itself)."""
    return dt.datetime.combine(status_until + dt.timedelta(days=1), CLOSING_HOUR, tzinfo=ALMATY)


def draft_expiry(created_at: dt.datetime) -> dt.datetime:
    return created_at + dt.timedelta(days=DRAFT_KEPT_DAYS)


def request_number(*, pk: int, submitted: dt.date) -> str:
    """The number the citizen quotes: the year it was sent and the record's id, e.g. TS-2026-000042
    (Latin letters: typed the same on a Kazakh, Russian or English keyboard layout)."""
    return f"TS-{submitted.year}-{pk:06d}"
