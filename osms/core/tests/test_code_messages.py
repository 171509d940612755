"""Code SMS go through their table: the task carries the message's id (never the code), the id is the
gateway's idempotency key on every attempt, and a claim held by a dead worker lapses within a minute."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from osms.accounts.codes import code_issue
from osms.core import notifications, tasks
from osms.core.models import SmsMessage
from osms.core.sms import LocmemSmsBackend, SmsError
from osms.core.tasks import notifications_sweep

pytestmark = pytest.mark.django_db


def test_the_task_carries_the_message_id_and_never_the_code(citizen, monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(tasks.sms_message_send, "delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        code_issue(user=citizen, purpose="register")
    message = SmsMessage.objects.get()
    assert queued == [(str(message.id),)]
    assert message.phone == citizen.phone and not re.search(r"\d{6}", message.sealed_text)


def test_one_idempotency_key_across_retries(citizen, monkeypatch, sms_outbox, django_capture_on_commit_callbacks):
    keys = []
    real_send = LocmemSmsBackend.send

    def timeout_after_acceptance(self, **kwargs):
        keys.append(kwargs["message_id"])
        if len(keys) == 1:
            raise SmsError("gateway timed out")
        return real_send(self, **kwargs)

    monkeypatch.setattr(LocmemSmsBackend, "send", timeout_after_acceptance)
    with django_capture_on_commit_callbacks(execute=True):
        code_issue(user=citizen, purpose="register")
    message = SmsMessage.objects.get()
    assert message.status == SmsMessage.Status.PENDING and message.next_attempt_at is not None
    SmsMessage.objects.update(next_attempt_at=timezone.now())
    assert notifications_sweep() == 1
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT and message.sealed_text == ""
    assert keys == [str(message.id), str(message.id)]
    assert len(sms_outbox) == 1 and sms_outbox[0]["id"] == str(message.id)


def test_a_code_message_held_by_a_dead_worker_is_sent_within_a_minute(citizen, sms_outbox):
    code_issue(user=citizen, purpose="register")  # committed; its task never ran
    lease = notifications.claim_lease()
    assert lease <= dt.timedelta(seconds=40)
    SmsMessage.objects.update(status="sending", claimed_at=timezone.now() - lease + dt.timedelta(seconds=5))
    assert notifications_sweep() == 0  # the worker may still be sending it
    SmsMessage.objects.update(claimed_at=timezone.now() - lease - dt.timedelta(seconds=1))
    assert notifications_sweep() == 1
    assert SmsMessage.objects.get().status == SmsMessage.Status.SENT and len(sms_outbox) == 1


def test_a_code_not_sent_before_it_expires_is_dropped(citizen, sms_outbox, time_machine):
    code_issue(user=citizen, purpose="register")
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=6))
    assert notifications_sweep() == 0
    message = SmsMessage.objects.get()
    assert message.status == SmsMessage.Status.EXPIRED and message.sealed_text == "" and sms_outbox == []
