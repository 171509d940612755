"""Deadlines on the business calendar (stored at registration, across holidays and decreed days) and the
sweep that flags appeals near and past them, closes answered ones, and removes forgotten drafts."""

import datetime as dt

import pytest

from osms.appeals import services
from osms.appeals.models import AppealEvent, AppealFile, Status, Topic
from osms.appeals.tasks import appeals_sweep
from osms.core.calendar import ALMATY
from osms.core.models import CalendarException

from .factories import appeal_answered, appeal_file, checked_pdf

pytestmark = pytest.mark.django_db


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ALMATY)


@pytest.mark.parametrize(
    ("registered", "topic", "due", "warn"),
    [
        # Thursday before Nauryz (21-23 March 2026 and the observed 24, 25): 15 working days.
        (at(2026, 3, 19, 10, 0), Topic.ACCESS_TO_CARE, at(2026, 4, 14, 10, 0), at(2026, 4, 9, 10, 0)),
        # Friday evening, after hours: the clock starts at the next opening (Thursday 26 March, 9:00).
        (at(2026, 3, 20, 20, 0), Topic.ACCESS_TO_CARE, at(2026, 4, 16, 9, 0), at(2026, 4, 13, 9, 0)),
        # Across the May holidays (1, 7, 9 and the observed 11 May 2026).
        (at(2026, 4, 28, 11, 0), Topic.MEDICINES, at(2026, 5, 22, 11, 0), at(2026, 5, 19, 11, 0)),
        # Across the new year (1, 2 and 7 January 2027) and Independence Day (16 December 2026).
        (at(2026, 12, 14, 10, 0), Topic.PAYMENTS, at(2027, 1, 8, 10, 0), at(2026, 12, 31, 10, 0)),
        # At lunch (13:00-14:30): the clock starts at 14:30.
        (at(2026, 3, 19, 13, 30), Topic.OTHER, at(2026, 4, 14, 14, 30), at(2026, 4, 9, 14, 30)),
        # An appeal linked to an overdue clinic application: the same 15 working days.
        (at(2026, 3, 19, 10, 0), Topic.CLINIC_ATTACHMENT, at(2026, 4, 14, 10, 0), at(2026, 4, 9, 10, 0)),
    ],
)
def test_deadlines_on_the_business_calendar(citizen, registered, topic, due, warn):
    extra = {"link_kind": "clinic_application", "link_reference": "CA-1"} if topic == Topic.CLINIC_ATTACHMENT else {}
    appeal = appeal_file(citizen=citizen, now=registered, topic=topic, **extra)
    assert (appeal.due_at, appeal.warn_at) == (due, warn)


def test_a_decreed_day_off_moves_the_deadline_and_a_later_decree_does_not(citizen):
    # The government makes Friday 3 April 2026 a day off (entered by fund staff).
    CalendarException.objects.create(day=dt.date(2026, 4, 3), kind=CalendarException.Kind.DAY_OFF, reason="Перенос")
    appeal = appeal_file(citizen=citizen, now=at(2026, 3, 19, 10, 0))
    assert appeal.due_at == at(2026, 4, 15, 10, 0)
    # A decree made after registration does not move a stored deadline.
    CalendarException.objects.create(day=dt.date(2026, 4, 6), kind=CalendarException.Kind.DAY_OFF, reason="Ещё")
    appeal.refresh_from_db()
    assert appeal.due_at == at(2026, 4, 15, 10, 0)


def test_the_sweep_flags_near_then_overdue_once_each(citizen, officer):
    appeal = appeal_file(citizen=citizen, now=at(2026, 3, 19, 10, 0))
    services.appeal_assign(actor=officer, appeal=appeal, officer=officer, now=at(2026, 3, 19, 11, 0))

    assert services.appeals_sweep(now=at(2026, 4, 9, 9, 59)).near == 0
    result = services.appeals_sweep(now=at(2026, 4, 9, 10, 0))
    assert (result.near, result.overdue) == (1, 0)
    assert services.appeals_sweep(now=at(2026, 4, 9, 10, 0)).near == 0  # safe to run twice
    appeal.refresh_from_db()
    assert appeal.near_flagged_at == at(2026, 4, 9, 10, 0) and appeal.overdue_flagged_at is None

    result = services.appeals_sweep(now=at(2026, 4, 14, 10, 0))
    assert (result.near, result.overdue) == (0, 1)
    assert services.appeals_sweep(now=at(2026, 4, 15, 10, 0)).overdue == 0
    appeal.refresh_from_db()
    assert appeal.overdue_flagged_at == at(2026, 4, 14, 10, 0)
    assert appeal.status == Status.ASSIGNED  # flagged, never moved or dropped
    near = appeal.events.get(kind=AppealEvent.Kind.DEADLINE_NEAR)
    late = appeal.events.get(kind=AppealEvent.Kind.DEADLINE_PASSED)
    assert not near.public and late.public  # the citizen sees that the answer is late


def test_an_appeal_found_only_when_already_late_is_flagged_overdue_only(citizen):
    appeal = appeal_file(citizen=citizen, now=at(2026, 3, 19, 10, 0))
    result = services.appeals_sweep(now=at(2026, 5, 1, 10, 0))
    assert (result.near, result.overdue) == (0, 1)
    appeal.refresh_from_db()
    assert appeal.near_flagged_at and appeal.overdue_flagged_at
    assert not appeal.events.filter(kind=AppealEvent.Kind.DEADLINE_NEAR).exists()


def test_an_answered_appeal_is_not_flagged(citizen, officer):
    appeal_answered(citizen=citizen, officer=officer, now=at(2026, 3, 19, 10, 0))
    result = services.appeals_sweep(now=at(2026, 4, 7, 10, 0))
    assert (result.near, result.overdue) == (0, 0)


def test_the_sweep_closes_an_answer_nobody_disputed(citizen, officer):
    appeal = appeal_answered(citizen=citizen, officer=officer, now=at(2026, 3, 19, 10, 0))
    assert appeal.reopen_until == at(2026, 4, 7, 10, 0)
    assert services.appeals_sweep(now=at(2026, 4, 7, 9, 59)).closed == 0
    assert services.appeals_sweep(now=at(2026, 4, 7, 10, 0)).closed == 1
    assert services.appeals_sweep(now=at(2026, 4, 7, 10, 0)).closed == 0
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED and appeal.closed_at == at(2026, 4, 7, 10, 0)
    closed = appeal.events.get(kind=AppealEvent.Kind.CLOSED)
    assert closed.actor is None and closed.from_status == Status.ANSWERED


def test_a_reopened_appeal_is_flagged_again_on_its_new_term(citizen, officer):
    appeal = appeal_answered(citizen=citizen, officer=officer, now=at(2026, 3, 19, 10, 0))
    services.appeals_sweep(now=at(2026, 4, 1, 10, 0))
    services.appeal_reopen(actor=citizen, appeal=appeal, reason="Не согласна", now=at(2026, 4, 1, 10, 0))
    appeal.refresh_from_db()
    assert appeal.due_at == at(2026, 4, 22, 10, 0)
    assert services.appeals_sweep(now=at(2026, 4, 22, 10, 0)).overdue == 1


def test_drafts_never_attached_are_removed_after_a_day(citizen, django_capture_on_commit_callbacks):
    from osms.core.uploads import private_storage

    draft = services.appeal_draft_file_add(actor=citizen, checked=checked_pdf(), now=at(2026, 3, 19, 10, 0))
    kept = services.appeal_draft_file_add(actor=citizen, checked=checked_pdf(), now=at(2026, 3, 20, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.appeals_sweep(now=at(2026, 3, 20, 10, 1)).drafts_removed == 1
    assert not AppealFile.objects.filter(pk=draft.pk).exists()
    assert not private_storage.exists(draft.file.name)
    assert AppealFile.objects.filter(pk=kept.pk).exists()


def test_the_sweep_works_in_batches(citizen):
    for _ in range(5):
        appeal_file(citizen=citizen, now=at(2026, 3, 19, 10, 0))
    assert services.appeals_sweep(now=at(2026, 5, 1, 10, 0), batch=2).overdue == 5


def test_the_task_calls_the_sweep(citizen):
    appeal_file(citizen=citizen, now=at(2026, 3, 19, 10, 0))
    assert appeals_sweep.delay().get() == {"near": 0, "overdue": 1, "closed": 0, "drafts_removed": 0}
