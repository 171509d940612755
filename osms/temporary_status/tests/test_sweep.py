"""The sweep: overdue reviews flagged once, the citizen told a few days before the month ends, the
request closed after it (the membership's end date has already ended the status)."""

import datetime as dt

import pytest
import time_machine
from django.test import TestCase
from django.utils.formats import date_format

from osms.core.calendar import ALMATY
from osms.core.models import Notification
from osms.coverage.selectors import status_answer
from osms.temporary_status import services
from osms.temporary_status.models import TemporaryStatusEvent, TemporaryStatusRequest
from osms.temporary_status.tasks import temporary_status_sweep

from .factories import submitted

Status = TemporaryStatusRequest.Status


def short(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


Event = TemporaryStatusEvent.Kind
SENT = dt.datetime(2026, 11, 23, 11, 0, tzinfo=ALMATY)  # Monday; due Thursday 26 November 11:00


def sweep(now):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.temporary_status_sweep(now=now)


@pytest.fixture
def approved(student, officer, sms_outbox):
    sent = submitted(student, sms_outbox, now=SENT)
    return services.temporary_status_approve(actor=officer, request=sent, now=SENT + dt.timedelta(hours=1))


def test_an_overdue_review_is_flagged_once(student, officer, sms_outbox):
    sent = submitted(student, sms_outbox, now=SENT)
    assert sweep(dt.datetime(2026, 11, 26, 10, 59, tzinfo=ALMATY)).overdue == 0
    report = sweep(dt.datetime(2026, 11, 26, 11, 0, tzinfo=ALMATY))
    assert report.overdue == 1
    sent.refresh_from_db()
    assert sent.overdue_at is not None and sent.status == Status.SUBMITTED
    assert Notification.objects.filter(user=student, subject__contains="longer").count() == 1
    assert Notification.objects.filter(user=officer).count() == 1
    # Safe to run twice.
    assert sweep(dt.datetime(2026, 11, 26, 11, 15, tzinfo=ALMATY)).overdue == 0
    assert sent.events.filter(kind=Event.REVIEW_OVERDUE).count() == 1


def test_the_citizen_is_told_a_few_days_before_the_month_ends(approved, student, sms_outbox):
    assert (approved.status_from, approved.status_until) == (dt.date(2026, 11, 23), dt.date(2026, 12, 22))
    assert sweep(dt.datetime(2026, 12, 19, 9, 59, tzinfo=ALMATY)).noticed == 0
    sms_outbox.clear()
    assert sweep(dt.datetime(2026, 12, 19, 10, 0, tzinfo=ALMATY)).noticed == 1
    assert sweep(dt.datetime(2026, 12, 19, 10, 15, tzinfo=ALMATY)).noticed == 0
    notice = Notification.objects.filter(user=student).latest("created_at")
    assert short(dt.date(2026, 12, 22)) in notice.body and approved.number in notice.body
    assert len([message for message in sms_outbox if message["to"] == student.phone]) == 1
    # Still insured until the last day, and only that long.
    assert status_answer(iin=student.iin, on=dt.date(2026, 12, 22)).insured
    assert not status_answer(iin=student.iin, on=dt.date(2026, 12, 23)).insured
    # The request is closed the morning after the last day, not before.
    assert sweep(dt.datetime(2026, 12, 23, 8, 59, tzinfo=ALMATY)).expired == 0


def test_after_the_month_the_request_is_closed_and_the_citizen_may_ask_again(approved, student):
    from osms.temporary_status.selectors import eligibility_of

    # While the month lasts, asking again is refused in plain words.
    assert eligibility_of(user=student, on=dt.date(2026, 12, 1)).eligibility.refusal == "temporary_active"
    report = sweep(dt.datetime(2026, 12, 23, 9, 0, tzinfo=ALMATY))
    # The sweep was not running when the notice fell due: only the closing message is sent.
    assert (report.noticed, report.expired) == (0, 1)
    approved.refresh_from_db()
    assert approved.status == Status.EXPIRED and approved.ended_at is not None
    assert "ended" in Notification.objects.filter(user=student).latest("created_at").subject
    assert sweep(dt.datetime(2026, 12, 23, 9, 15, tzinfo=ALMATY)).expired == 0
    assert eligibility_of(user=student, on=dt.date(2026, 12, 23)).eligibility.allowed


def test_the_task_takes_an_iso_moment(approved):
    assert temporary_status_sweep.delay(now="2026-12-23T09:00:00+05:00").get() == {
        "overdue": 0,
        "noticed": 0,
        "expired": 1,
        "drafts_deleted": 0,
    }


def test_a_draft_never_sent_is_deleted_with_its_files_after_30_days(student, private_media):
    from .factories import draft

    with time_machine.travel(SENT, tick=False):
        started = draft(student)
    stored = private_media / started.documents.get().file
    assert started.draft_expires_at == SENT + dt.timedelta(days=30)
    assert sweep(SENT + dt.timedelta(days=29)).drafts_deleted == 0
    assert sweep(SENT + dt.timedelta(days=30)).drafts_deleted == 1
    started.refresh_from_db()
    assert started.status == Status.CANCELLED and not started.documents.exists() and not stored.exists()
    notice = Notification.objects.get(user=student)
    assert not notice.deliveries.filter(channel="sms").exists()
    assert sweep(SENT + dt.timedelta(days=31)).drafts_deleted == 0
