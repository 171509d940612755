"""Temporary status through a real worker: the SMS code of the request, then the sweep (moved in
time by its `now`) telling the citizen the month ends soon and closing it, each message sent once."""

from __future__ import annotations

import datetime as dt
import json
import re
import time

import pytest

from conftest import new_iin
from osms.accounts.models import Role, User
from osms.core.calendar import ALMATY
from osms.coverage.selectors import status_answer
from osms.temporary_status import services
from osms.temporary_status.models import TemporaryStatusRequest
from osms.temporary_status.tasks import temporary_status_sweep
from osms.temporary_status.tests.factories import categories_ensure, draft

from .conftest import wait_for

pytestmark = pytest.mark.worker

SENT = dt.datetime(2026, 11, 23, 11, 0, tzinfo=ALMATY)
PHONE = "+77015550011"


def messages_to(worker, phone: str) -> list[str]:
    found = []
    for path in sorted(worker.sms_dir.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record["to"] == phone:
            found.append(record["text"])
    return found


def test_the_sweep_on_a_worker_tells_and_closes_once(celery_worker_process, make_user, private_media):
    categories_ensure()
    birth = dt.date(2004, 5, 6)
    iin = new_iin(birth, female=True)
    while User.objects.filter(iin=iin).exists():
        iin = new_iin(birth, female=True)
    student = make_user(iin=iin, birth=birth, phone=PHONE, language="ru")
    officer = make_user(role=Role.FUND_OFFICER, phone="+77015550012")

    # The code is queued on commit and sent by the worker; the citizen reads it from the SMS.
    started = draft(student)
    services.temporary_status_code_send(actor=student, request=started)
    texts = wait_for(lambda: messages_to(celery_worker_process, PHONE))
    code = re.search(r"\b(\d{6})\b", texts[-1]).group(1)
    sent = services.temporary_status_submit(actor=student, request=started, code=code, now=SENT)
    approved = services.temporary_status_approve(actor=officer, request=sent, now=SENT + dt.timedelta(hours=1))
    assert status_answer(iin=student.iin, on=SENT.date()).insured
    wait_for(lambda: len(messages_to(celery_worker_process, PHONE)) == 3)  # code, received, approved

    # Three days before the last day (22 December), at 10:00: the notice, sent once however often
    # the sweep runs.
    notice_at = "2026-12-19T10:00:00+05:00"
    temporary_status_sweep.delay(now=notice_at)
    temporary_status_sweep.delay(now=notice_at)
    wait_for(
        lambda: TemporaryStatusRequest.objects.filter(pk=approved.pk, expiry_notice_sent_at__isnull=False).exists()
    )
    wait_for(lambda: len(messages_to(celery_worker_process, PHONE)) == 4)

    # The morning after the last day: closed, and the citizen told.
    temporary_status_sweep.delay(now="2026-12-23T09:00:00+05:00")
    temporary_status_sweep.delay(now="2026-12-23T09:15:00+05:00")
    wait_for(lambda: TemporaryStatusRequest.objects.get(pk=approved.pk).status == TemporaryStatusRequest.Status.EXPIRED)
    wait_for(lambda: len(messages_to(celery_worker_process, PHONE)) == 5)
    time.sleep(1.5)  # give a duplicate, if any, time to appear
    texts = messages_to(celery_worker_process, PHONE)
    assert len(texts) == 5
    assert all(approved.number in text for text in texts[1:])
    assert not status_answer(iin=student.iin, on=dt.date(2026, 12, 23)).insured
