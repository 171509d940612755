"""The register's pure rules: terms, the moves table and who may make each move, numbers, deadline states."""

import datetime as dt
import itertools

import pytest

from osms.appeals import rules
from osms.appeals.models import AnswerBy, Status, Topic
from osms.appeals.rules import Action, Actor, MoveRefused
from osms.appeals.workflow import APPEAL
from osms.core.calendar import ALMATY

ALL_ACTORS = [Actor.APPLICANT, Actor.FUND_OFFICER, Actor.ASSIGNEE, Actor.SYSTEM]
ALL_ACTIONS = [Action.ASSIGN, Action.START, Action.ANSWER, Action.ACCEPT, Action.REOPEN, Action.CLOSE]

# The whole table, written out: (from, action) -> (to, the one actor kind that may).
EXPECTED = {
    (Status.REGISTERED, Action.ASSIGN): (Status.ASSIGNED, Actor.FUND_OFFICER),
    (Status.ASSIGNED, Action.ASSIGN): (Status.ASSIGNED, Actor.FUND_OFFICER),
    (Status.IN_PROGRESS, Action.ASSIGN): (Status.ASSIGNED, Actor.FUND_OFFICER),
    (Status.REOPENED, Action.ASSIGN): (Status.ASSIGNED, Actor.FUND_OFFICER),
    (Status.ASSIGNED, Action.START): (Status.IN_PROGRESS, Actor.ASSIGNEE),
    (Status.REOPENED, Action.START): (Status.IN_PROGRESS, Actor.ASSIGNEE),
    (Status.IN_PROGRESS, Action.ANSWER): (Status.ANSWERED, Actor.ASSIGNEE),
    (Status.ANSWERED, Action.ACCEPT): (Status.CLOSED, Actor.APPLICANT),
    (Status.ANSWERED, Action.REOPEN): (Status.REOPENED, Actor.APPLICANT),
    (Status.ANSWERED, Action.CLOSE): (Status.CLOSED, Actor.SYSTEM),
}


@pytest.mark.parametrize(("status", "action", "actor"), list(itertools.product(Status.values, ALL_ACTIONS, ALL_ACTORS)))
def test_every_status_action_and_actor(status, action, actor):
    expected = EXPECTED.get((status, action))
    if expected is None:
        with pytest.raises(MoveRefused) as refused:
            APPEAL.check(status, action, roles={actor})
        assert refused.value.code == "status"
    elif expected[1] == actor:
        assert APPEAL.check(status, action, roles={actor}).target == expected[0]
    else:
        with pytest.raises(MoveRefused) as refused:
            APPEAL.check(status, action, roles={actor})
        assert refused.value.code == "actor"


def test_the_table_is_exactly_the_expected_one():
    assert {key: (target, set(who)) for key, (target, who) in rules.MOVES.items()} == {
        key: (target, {who}) for key, (target, who) in EXPECTED.items()
    }


def test_closed_is_final():
    assert not any(source == Status.CLOSED for source, _ in rules.MOVES)


def test_an_officer_in_charge_is_also_a_fund_officer():
    assert APPEAL.actions_allowed(Status.IN_PROGRESS, {Actor.FUND_OFFICER, Actor.ASSIGNEE}) == {
        Action.ASSIGN,
        Action.ANSWER,
    }
    assert APPEAL.actions_allowed(Status.ANSWERED, {Actor.APPLICANT}) == {Action.ACCEPT, Action.REOPEN}
    assert APPEAL.actions_allowed(Status.CLOSED, set(ALL_ACTORS)) == set()


def test_terms():
    assert rules.term_working_days(Topic.SERVICE_QUALITY) == 15
    assert rules.term_working_days(Topic.CLINIC_ATTACHMENT) == 15
    assert rules.term_working_days(Topic.STATEMENT_SERVICE) == 5  # docs/domain.md §8, §10
    assert rules.warn_after_working_days(15) == 12
    assert rules.warn_after_working_days(5) == 2
    assert rules.warn_after_working_days(2) == 0


def test_reopen_window():
    until = dt.datetime(2026, 5, 15, 11, 0, tzinfo=ALMATY)
    assert rules.reopen_open(reopen_until=until, now=until - dt.timedelta(seconds=1))
    assert not rules.reopen_open(reopen_until=until, now=until)
    assert not rules.reopen_open(reopen_until=None, now=until)


def test_deadline_state():
    due = dt.datetime(2026, 4, 14, 10, 0, tzinfo=ALMATY)
    warn = dt.datetime(2026, 4, 9, 10, 0, tzinfo=ALMATY)
    state = lambda status, now: rules.deadline_state(status=status, due_at=due, warn_at=warn, now=now)  # noqa: E731
    assert state(Status.ASSIGNED, warn - dt.timedelta(minutes=1)) == rules.DeadlineState.ON_TIME
    assert state(Status.ASSIGNED, warn) == rules.DeadlineState.NEAR
    assert state(Status.REOPENED, due) == rules.DeadlineState.OVERDUE
    assert state(Status.ANSWERED, due) == rules.DeadlineState.DONE
    assert state(Status.CLOSED, due) == rules.DeadlineState.DONE


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("2026-000123", "2026-000123"),
        (" № 2026 - 123 ", "2026-000123"),
        ("2026–45", "2026-000045"),
        ("2027-1234567", "2027-1234567"),
        ("2026-0", None),
        ("26-000123", None),
        ("2026000123", None),
        ("2026-00012a", None),
        ("", None),
    ],
)
def test_numbers_as_people_type_them(typed, number):
    assert rules.normalise_number(typed) == number


def test_number_format():
    assert rules.format_number(year=2026, sequence=1) == "2026-000001"
    assert rules.format_number(year=2026, sequence=1234567) == "2026-1234567"
    assert rules.is_number("2026-000001") and not rules.is_number("2026-1")


@pytest.mark.parametrize(
    ("answer_by", "phone", "email", "address", "field"),
    [
        (AnswerBy.CABINET, "", "", "", None),
        (AnswerBy.EMAIL, "", "", "", "contact_email"),
        (AnswerBy.EMAIL, "", "a@b.kz", "", None),
        (AnswerBy.PHONE, "", "", "", "contact_phone"),
        (AnswerBy.POST, "", "", "  ", "postal_address"),
        (AnswerBy.POST, "", "", "Астана, ул. Абая 1", None),
        ("pigeon", "", "", "", "answer_by"),
    ],
)
def test_the_way_to_answer_needs_its_contact(answer_by, phone, email, address, field):
    problem = rules.answer_contact_problem(answer_by=answer_by, phone=phone, email=email, address=address)
    assert (problem[0] if problem else None) == field
