"""Notifications through a real worker: queued on commit, sent once, a lost message found by the sweep."""

import json
import signal

import pytest
from django.db import transaction

from osms.core.models import NotificationDelivery
from osms.core.notifications import notification_create
from osms.core.tasks import notifications_sweep

from .conftest import wait_for

pytestmark = pytest.mark.worker


def test_worker_sends_the_sms_of_a_notification_once(celery_worker_process, citizen):
    with transaction.atomic():
        notification = notification_create(user=citizen, subject="Статус", body="Вы застрахованы.")
    delivery = notification.deliveries.get()
    wait_for(lambda: NotificationDelivery.objects.get(pk=delivery.pk).status == "sent")
    files = list(celery_worker_process.sms_dir.glob("*.json"))
    assert len(files) == 1
    assert json.loads(files[0].read_text())["to"] == citizen.phone


def test_after_a_worker_is_killed_the_sweep_still_delivers_exactly_once(celery_worker_process, citizen):
    # A delivery claimed by a worker that then died: stale claim, found again by the sweep.
    import datetime as dt

    from django.utils import timezone

    celery_worker_process.send_signal(signal.SIGSTOP)  # a frozen worker takes nothing
    with transaction.atomic():
        notification = notification_create(user=citizen, subject="Статус", body="Вы застрахованы.")
    delivery = notification.deliveries.get()
    NotificationDelivery.objects.filter(pk=delivery.pk).update(
        status="sending", claimed_at=timezone.now() - dt.timedelta(minutes=30)
    )
    celery_worker_process.send_signal(signal.SIGCONT)
    assert notifications_sweep.delay() is not None
    wait_for(lambda: NotificationDelivery.objects.get(pk=delivery.pk).status == "sent")
    wait_for(lambda: list(celery_worker_process.sms_dir.glob("*.json")))
    import time

    time.sleep(1.0)  # give a duplicate, if any, time to appear
    assert len(list(celery_worker_process.sms_dir.glob("*.json"))) == 1
