"""The rules of the appeals register, as pure functions over plain values (no database).

* Terms (docs/domain.md §10): an appeal is answered within 15 working days of registration, a complaint
  about the statement service within 5 (§8). Deadlines are computed by the caller on the business
  calendar and stored; this module only says how many working days and when to warn.
* Who may move an appeal from one status to another: the one table `MOVES` (declared as the
  workflow in workflow.py).
* Registration numbers: "YYYY-NNNNNN", a sequence per year without gaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from osms.core.errors import DomainError
from osms.core.querysets import is_overdue

from .models import AnswerBy, Appeal, Status, Topic

APPEAL_TERM_WORKING_DAYS = 15
STATEMENT_COMPLAINT_TERM_WORKING_DAYS = 5
# The sweep flags an appeal when this many working days (or fewer) are left.
WARN_WORKING_DAYS_LEFT = 3
# After an answer the applicant may disagree for this long; then the appeal closes (docs/adr/0501).
REOPEN_WINDOW_WORKING_DAYS = 10

MAX_FILES = 5
SUBSTANCE_MAX_CHARS = 5000
ANSWER_MAX_CHARS = 10000
REASON_MAX_CHARS = 2000

# Topics a citizen picks from the list; the others come with a link from another service.
CHOOSABLE_TOPICS = [
    Topic.ACCESS_TO_CARE,
    Topic.INSURED_STATUS,
    Topic.SERVICE_QUALITY,
    Topic.SERVICE_REFUSAL,
    Topic.MEDICINES,
    Topic.PAYMENTS,
    Topic.OTHER,
]

# Topics no new appeal takes: earlier appeals keep them (docs/adr/0205-statement-complaints-one-route.md).
RETIRED_TOPICS = frozenset({Topic.STATEMENT_SERVICE})
STATEMENT_ROUTE_MESSAGE = _(
    "A complaint about the statement of payments is made on the request's page (My statements): it goes to "
    "the head of the Fund and is answered within 5 working days, or forwarded within 3 working days to the "
    "body that reviews it within 15."
)

OPEN_STATUSES = frozenset(Appeal.OPEN_STATUSES)
# Statuses in which the officer in charge works on the appeal (contacts may be recorded).
WORKING_STATUSES = frozenset({Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED})


def term_working_days(topic: str) -> int:
    return STATEMENT_COMPLAINT_TERM_WORKING_DAYS if topic == Topic.STATEMENT_SERVICE else APPEAL_TERM_WORKING_DAYS


def warn_after_working_days(term: int) -> int:
    """Working days after the start at which the deadline is near (WARN_WORKING_DAYS_LEFT before it)."""
    return max(term - WARN_WORKING_DAYS_LEFT, 0)


def answer_contact_problem(*, answer_by: str, phone: str, email: str, address: str) -> tuple[str, str] | None:
    """(field, message) when the way chosen to answer lacks the contact it needs, else None."""
    if answer_by not in AnswerBy.values:
        return "answer_by", _("Choose how you want the answer.")
    if answer_by == AnswerBy.EMAIL and not (email or "").strip():
        return "contact_email", _("Enter the email address for the answer.")
    if answer_by == AnswerBy.PHONE and not (phone or "").strip():
        return "contact_phone", _("Enter the phone number to call.")
    if answer_by == AnswerBy.POST and not (address or "").strip():
        return "postal_address", _("Enter the postal address for the answer.")
    return None


# --- Who may do what --------------------------------------------------------------------------------


class Action:
    ASSIGN = "assign"  # make an officer responsible (also to hand over to another)
    START = "start"  # the officer in charge takes it up
    ANSWER = "answer"  # the officer in charge gives the answer
    ACCEPT = "accept"  # the applicant accepts the answer
    REOPEN = "reopen"  # the applicant disagrees, within the window
    CLOSE = "close"  # the window to disagree has passed (the sweep)


class Actor:
    APPLICANT = "applicant"  # the person the appeal is from (by IIN)
    FUND_OFFICER = "fund_officer"  # any officer of the Fund
    ASSIGNEE = "assignee"  # the officer in charge of this appeal
    SYSTEM = "system"  # the periodic sweep


# (status, action) -> (new status, who may do it). Nothing else moves an appeal.
MOVES: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    (Status.REGISTERED, Action.ASSIGN): (Status.ASSIGNED, frozenset({Actor.FUND_OFFICER})),
    (Status.ASSIGNED, Action.ASSIGN): (Status.ASSIGNED, frozenset({Actor.FUND_OFFICER})),
    (Status.IN_PROGRESS, Action.ASSIGN): (Status.ASSIGNED, frozenset({Actor.FUND_OFFICER})),
    (Status.REOPENED, Action.ASSIGN): (Status.ASSIGNED, frozenset({Actor.FUND_OFFICER})),
    (Status.ASSIGNED, Action.START): (Status.IN_PROGRESS, frozenset({Actor.ASSIGNEE})),
    (Status.REOPENED, Action.START): (Status.IN_PROGRESS, frozenset({Actor.ASSIGNEE})),
    (Status.IN_PROGRESS, Action.ANSWER): (Status.ANSWERED, frozenset({Actor.ASSIGNEE})),
    (Status.ANSWERED, Action.ACCEPT): (Status.CLOSED, frozenset({Actor.APPLICANT})),
    (Status.ANSWERED, Action.REOPEN): (Status.REOPENED, frozenset({Actor.APPLICANT})),
    (Status.ANSWERED, Action.CLOSE): (Status.CLOSED, frozenset({Actor.SYSTEM})),
}


class MoveRefused(DomainError):
    """The move is not allowed; `code` says why and the message is translated."""

    messages = {
        "status": _("This cannot be done to an appeal in its present status."),
        "actor": _("You may not do this to this appeal."),
        "window": _("The time to disagree with the answer has passed."),
        "assignee": _("The appeal can be assigned only to an active officer of the Fund."),
        "same_assignee": _("The appeal is already assigned to this officer."),
    }


def reopen_open(*, reopen_until: datetime | None, now: datetime) -> bool:
    return reopen_until is not None and now < reopen_until


# --- Deadlines as the officers see them ----------------------------------------------------------------


class DeadlineState:
    ON_TIME = "on_time"
    NEAR = "near"
    OVERDUE = "overdue"
    DONE = "done"  # answered or closed: no deadline runs


def deadline_state(*, status: str, due_at: datetime, warn_at: datetime, now: datetime) -> str:
    if status not in OPEN_STATUSES:
        return DeadlineState.DONE
    if is_overdue(due_at, now):
        return DeadlineState.OVERDUE
    if now >= warn_at:
        return DeadlineState.NEAR
    return DeadlineState.ON_TIME


# --- Registration numbers ---------------------------------------------------------------------------------

_NUMBER = re.compile(r"^(\d{4})-(\d{6,9})$")


def format_number(*, year: int, sequence: int) -> str:
    return f"{year}-{sequence:06d}"


@dataclass(frozen=True)
class ParsedNumber:
    year: int
    sequence: int


def parse_number(text: str) -> ParsedNumber | None:
    """A number as people type it ("№ 2026-000123", " 2026 - 123 "), or None when it is not one."""
    cleaned = re.sub(r"[\s№#]", "", text or "")
    cleaned = cleaned.replace("–", "-").replace("—", "-")
    match = re.fullmatch(r"(\d{4})-(\d{1,9})", cleaned)
    if not match:
        return None
    year, sequence = int(match.group(1)), int(match.group(2))
    if sequence == 0:
        return None
    return ParsedNumber(year=year, sequence=sequence)


def normalise_number(text: str) -> str | None:
    parsed = parse_number(text)
    return None if parsed is None else format_number(year=parsed.year, sequence=parsed.sequence)


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text or ""))
