"""One service notifies a citizen in the cabinet, by SMS and by email; never lost, never sent twice."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from osms.core import notifications
from osms.core.models import Notification, NotificationDelivery
from osms.core.sms import LocmemSmsBackend, SmsError, SmsRefused
from osms.core.tasks import notifications_sweep

pytestmark = pytest.mark.django_db


def notify(user, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return notifications.notification_create(
            user=user, subject="Ваш статус изменён", body="Откройте личный кабинет.", url="/ru/", **kwargs
        )


def test_notification_reaches_cabinet_sms_and_email(citizen, sms_outbox, django_capture_on_commit_callbacks):
    citizen.email = "citizen@example.kz"
    citizen.save()
    notification = notify(citizen, django_capture_on_commit_callbacks)
    assert [m["to"] for m in sms_outbox] == [citizen.phone]
    assert [m.to for m in mail.outbox] == [["citizen@example.kz"]]
    assert set(notification.deliveries.values_list("status", flat=True)) == {"sent"}


def test_no_email_delivery_without_an_address(citizen, django_capture_on_commit_callbacks):
    notification = notify(citizen, django_capture_on_commit_callbacks)
    assert list(notification.deliveries.values_list("channel", flat=True)) == ["sms"]


def test_nothing_is_sent_when_the_transaction_rolls_back(citizen, sms_outbox, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notifications.notification_create(user=citizen, subject="x", body="y")
        raise RuntimeError("the service failed after notifying")
    assert sms_outbox == [] and not Notification.objects.exists()


def test_a_delivery_is_never_sent_twice(citizen, sms_outbox, django_capture_on_commit_callbacks):
    notification = notify(citizen, django_capture_on_commit_callbacks)
    delivery = notification.deliveries.get()
    assert notifications.notification_delivery_send(delivery_id=str(delivery.pk)) == "skipped"
    assert len(sms_outbox) == 1


def test_a_failed_send_is_retried_by_the_sweep(citizen, monkeypatch, sms_outbox, django_capture_on_commit_callbacks):
    calls = {"n": 0}
    real_send = LocmemSmsBackend.send

    def flaky(self, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise SmsError("gateway answered 503")
        return real_send(self, **kwargs)

    monkeypatch.setattr(LocmemSmsBackend, "send", flaky)
    notification = notify(citizen, django_capture_on_commit_callbacks)
    delivery = notification.deliveries.get()
    assert delivery.status == "pending" and delivery.attempts == 1 and "503" in delivery.last_error
    assert notifications_sweep() == 0  # not due yet: back-off

    NotificationDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert notifications_sweep() == 1
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.attempts == 2
    assert len(sms_outbox) == 1


def test_a_refused_message_fails_without_retry(citizen, monkeypatch, django_capture_on_commit_callbacks):
    def refuse(self, **kwargs):
        raise SmsRefused("400 bad number")

    monkeypatch.setattr(LocmemSmsBackend, "send", refuse)
    delivery = notify(citizen, django_capture_on_commit_callbacks).deliveries.get()
    assert delivery.status == "failed"


def test_a_delivery_gives_up_after_the_last_attempt(citizen, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(LocmemSmsBackend, "send", lambda self, **kw: (_ for _ in ()).throw(SmsError("down")))
    delivery = notify(citizen, django_capture_on_commit_callbacks).deliveries.get()
    for _ in range(notifications.MAX_ATTEMPTS):
        NotificationDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
        notifications.notification_delivery_send(delivery_id=str(delivery.pk))
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == notifications.MAX_ATTEMPTS


def test_a_lost_message_is_found_by_the_sweep(citizen, sms_outbox):
    # Committed without its task ever running (a broker that lost the message).
    notifications.notification_create(user=citizen, subject="x", body="y")
    assert sms_outbox == [] and notifications_sweep() == 0  # too recent to call lost
    NotificationDelivery.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    assert notifications_sweep() == 1
    assert len(sms_outbox) == 1
    assert notifications_sweep() == 0


def test_a_delivery_claimed_by_a_dead_worker_is_sent_again(citizen, sms_outbox):
    notifications.notification_create(user=citizen, subject="x", body="y")
    NotificationDelivery.objects.update(status="sending", claimed_at=timezone.now() - dt.timedelta(minutes=11))
    assert notifications_sweep() == 1
    assert NotificationDelivery.objects.get().status == "sent"


def test_cabinet_shows_notifications_with_an_unread_count(client, citizen, django_capture_on_commit_callbacks):
    notify(citizen, django_capture_on_commit_callbacks)
    client.force_login(citizen)
    response = client.get(reverse("accounts:notifications"))
    assert response.context["unread_notifications"] == 1
    assert "Ваш статус изменён" in response.content.decode()
    client.post(reverse("accounts:notifications_read"))
    assert client.get(reverse("accounts:cabinet")).context["unread_notifications"] == 0


def test_a_citizen_sees_only_their_own_notifications(client, citizen, make_user, django_capture_on_commit_callbacks):
    other = make_user()
    notify(other, django_capture_on_commit_callbacks)
    client.force_login(citizen)
    assert "Ваш статус изменён" not in client.get(reverse("accounts:notifications")).content.decode()


def test_email_may_go_to_an_address_given_for_the_matter(citizen, django_capture_on_commit_callbacks):
    citizen.email = "profile@example.kz"
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notification_create(user=citizen, subject="Ответ", body="Текст", email_to="appeal@example.kz")
    assert [m.to for m in mail.outbox] == [["appeal@example.kz"]]
