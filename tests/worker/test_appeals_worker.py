"""The appeals sweep and the answer's notification through a real Celery worker on Redis and PostgreSQL."""

import datetime as dt
import json
import time

import pytest
from django.utils import timezone

from osms.accounts.models import Role
from osms.appeals import services
from osms.appeals.models import Appeal, AppealEvent, Channel, Status, Topic
from osms.appeals.tasks import appeals_sweep
from osms.clinics.models import Region
from osms.core.calendar import deadline_after

from .conftest import wait_for

pytestmark = pytest.mark.worker


def file_appeal(citizen, *, now: dt.datetime) -> Appeal:
    return services.appeal_register(
        actor=citizen,
        channel=Channel.PORTAL,
        applicant_iin=citizen.iin,
        applicant_name=citizen.get_full_name(),
        topic=Topic.ACCESS_TO_CARE,
        region=Region.ASTANA,
        substance="Не могу записаться к кардиологу третий месяц.",
        now=now,
    )


def near_deadline_start(now: dt.datetime) -> dt.datetime:
    """A registration moment whose deadline is near (3 working days or fewer left) but not passed."""
    for days in range(1, 60):
        start = now - dt.timedelta(days=days)
        if deadline_after(start, working_days=12) <= now < deadline_after(start, working_days=15):
            return start
    raise AssertionError("no such moment")


def test_the_worker_flags_late_appeals_and_closes_expired_answers_once(celery_worker_process, make_user):
    citizen = make_user()
    officer = make_user(role=Role.FUND_OFFICER, birth=dt.date(1985, 9, 3))
    now = timezone.now()
    late = file_appeal(citizen, now=now - dt.timedelta(days=60))
    near = file_appeal(citizen, now=near_deadline_start(now))
    fresh = file_appeal(citizen, now=now)
    answered = file_appeal(citizen, now=now - dt.timedelta(days=90))
    long_ago = now - dt.timedelta(days=80)
    services.appeal_assign(actor=officer, appeal=answered, officer=officer, now=long_ago)
    services.appeal_start(actor=officer, appeal=answered, now=long_ago)
    services.appeal_answer(actor=officer, appeal=answered, text="Запись организована.", now=long_ago)

    appeals_sweep.delay()
    wait_for(lambda: Appeal.objects.get(pk=answered.pk).status == Status.CLOSED)
    wait_for(lambda: Appeal.objects.get(pk=late.pk).overdue_flagged_at is not None)
    near.refresh_from_db()
    fresh.refresh_from_db()
    assert near.near_flagged_at is not None and near.overdue_flagged_at is None
    assert fresh.near_flagged_at is None and fresh.overdue_flagged_at is None

    events = AppealEvent.objects.count()
    result = appeals_sweep.delay()
    assert result is not None
    # The second run finds nothing to do: give the worker time to run it, then nothing has changed.
    time.sleep(2.0)
    assert AppealEvent.objects.count() == events
    assert Appeal.objects.get(pk=late.pk).status == Status.REGISTERED  # flagged, never moved or dropped


def test_the_worker_sends_the_answer_by_sms(celery_worker_process, make_user):
    citizen = make_user(phone="+77015550011")
    officer = make_user(role=Role.FUND_OFFICER, birth=dt.date(1985, 9, 3))
    appeal = file_appeal(citizen, now=timezone.now())
    services.appeal_assign(actor=officer, appeal=appeal, officer=officer)
    services.appeal_start(actor=officer, appeal=appeal)
    services.appeal_answer(actor=officer, appeal=appeal, text="Вас записали к кардиологу.")

    def answer_sms():
        texts = [json.loads(path.read_text()) for path in celery_worker_process.sms_dir.glob("*.json")]
        return [text for text in texts if appeal.number in text["text"] and text["to"] == citizen.phone]

    messages = wait_for(lambda: len(answer_sms()) >= 2 and answer_sms())  # registered, then answered
    assert len(messages) == 2
