"""Complaints about the service: registered with a number and three stored deadlines, answered by the
Fund or forwarded to the reviewing body, swept when a deadline passes."""

from __future__ import annotations

import datetime as dt

import pytest

from osms.core.calendar import ALMATY
from osms.core.models import Notification
from osms.coverage.periods import Period

from .. import services
from ..models import StatementComplaint
from .factories import draft, submit

NOW = dt.datetime(2026, 11, 25, 11, 0, tzinfo=ALMATY)  # a Wednesday


@pytest.fixture
def request_issued(citizen, time_machine, django_capture_on_commit_callbacks, settings, tmp_path):
    time_machine.move_to(NOW, tick=False)
    return submit(citizen, django_capture_on_commit_callbacks, first=Period(2026, 1), last=Period(2026, 11))


@pytest.fixture
def officer(make_user):
    return make_user(role="fund_officer")


def test_a_complaint_is_registered_with_its_number_and_deadlines(citizen, request_issued):
    complaint = services.complaint_register(actor=citizen, request=request_issued, text="Выписка пришла поздно.")
    assert complaint.number == f"SC-2026-{complaint.pk:06d}"
    assert complaint.status == StatementComplaint.Status.REGISTERED
    # Wednesday 11:00: 3 working days is Monday 11:00, 5 is Wednesday 11:00 (a weekend in between).
    assert complaint.forward_due_at == dt.datetime(2026, 11, 30, 11, 0, tzinfo=ALMATY)
    assert complaint.answer_due_at == dt.datetime(2026, 12, 2, 11, 0, tzinfo=ALMATY)
    assert complaint.review_due_at is None


def test_the_fund_satisfies_a_complaint_and_the_citizen_is_told(citizen, officer, request_issued):
    complaint = services.complaint_register(actor=citizen, request=request_issued, text="Нет платежа за май.")
    answered = services.complaint_satisfy(
        actor=officer, complaint=complaint, answer="Платёж добавлен, выдана новая выписка."
    )
    assert answered.status == StatementComplaint.Status.SATISFIED and answered.is_final
    assert answered.fund_answered_at == NOW and answered.handled_by == officer
    assert Notification.objects.filter(user=citizen, subject__contains=complaint.number).exists()
    with pytest.raises(services.StatementError):
        services.complaint_forward(actor=officer, complaint=answered, reviewing_body="АДГС")


def test_a_forwarded_complaint_gets_fifteen_working_days_and_then_a_decision(
    citizen, officer, request_issued, time_machine
):
    complaint = services.complaint_register(actor=citizen, request=request_issued, text="Отказ без причины.")
    time_machine.move_to(dt.datetime(2026, 11, 26, 10, 0, tzinfo=ALMATY), tick=False)
    forwarded = services.complaint_forward(
        actor=officer, complaint=complaint, reviewing_body="АДГС", answer="Жалоба направлена в АДГС с делом."
    )
    assert forwarded.status == StatementComplaint.Status.FORWARDED
    assert forwarded.review_due_at == dt.datetime(2026, 12, 18, 10, 0, tzinfo=ALMATY)
    decided = services.complaint_record_decision(actor=officer, complaint=forwarded, answer="Жалоба удовлетворена.")
    assert decided.status == StatementComplaint.Status.ANSWERED and decided.review_answer == "Жалоба удовлетворена."
    with pytest.raises(services.StatementError):
        services.complaint_satisfy(actor=officer, complaint=decided, answer="…")


def test_answers_must_be_written(citizen, officer, request_issued):
    complaint = services.complaint_register(actor=citizen, request=request_issued, text="…")
    with pytest.raises(services.StatementError):
        services.complaint_satisfy(actor=officer, complaint=complaint, answer="  ")
    with pytest.raises(services.StatementError):
        services.complaint_forward(actor=officer, complaint=complaint, reviewing_body="")


def test_only_a_sent_request_can_be_complained_about_and_only_by_its_citizen(citizen, make_user, request_issued):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(services.StatementError):
        services.complaint_register(
            actor=citizen, request=draft(citizen, first=Period(2026, 1), last=Period(2026, 2)), text="…"
        )
    with pytest.raises(PermissionDenied):
        services.complaint_register(actor=make_user(), request=request_issued, text="…")
    with pytest.raises(services.StatementError):
        services.complaint_register(actor=citizen, request=request_issued, text="   ")


def test_the_sweep_flags_each_passed_deadline_once(citizen, officer, request_issued):
    waiting = services.complaint_register(actor=citizen, request=request_issued, text="…")
    forwarded = services.complaint_forward(
        actor=officer,
        complaint=services.complaint_register(actor=citizen, request=request_issued, text="…"),
        reviewing_body="АДГС",
    )
    result = services.complaints_sweep(now=dt.datetime(2026, 12, 1, 9, 0, tzinfo=ALMATY))
    assert result == {"complaints_forward_overdue": 1, "complaints_answer_overdue": 0, "complaints_review_overdue": 0}
    result = services.complaints_sweep(now=dt.datetime(2027, 1, 15, 9, 0, tzinfo=ALMATY))
    assert result == {"complaints_forward_overdue": 0, "complaints_answer_overdue": 1, "complaints_review_overdue": 1}
    assert services.complaints_sweep(now=dt.datetime(2027, 1, 16, 9, 0, tzinfo=ALMATY)) == {
        "complaints_forward_overdue": 0,
        "complaints_answer_overdue": 0,
        "complaints_review_overdue": 0,
    }
    waiting.refresh_from_db()
    forwarded.refresh_from_db()
    assert waiting.overdue and waiting.forward_overdue_at and waiting.answer_overdue_at
    assert forwarded.review_overdue_at and not forwarded.forward_overdue_at
