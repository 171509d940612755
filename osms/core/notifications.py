"""One service notifies a citizen: in the cabinet, by SMS and by email.

The cabinet notification and one delivery row per channel are written in the caller's transaction;
sending is queued on commit. A delivery is claimed by a conditional UPDATE before it is sent, so
two workers never send it twice, and the periodic sweep re-queues what a lost message left behind.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Notification, NotificationDelivery
from .sms import SmsError, SmsRefused, get_sms_backend

logger = logging.getLogger("osms.notifications")

MAX_ATTEMPTS = 8
# A delivery claimed this long ago and not finished belongs to a worker that died.
STALE_CLAIM = dt.timedelta(minutes=10)
# A pending delivery untouched this long lost its message (broker restart): queue it again.
LOST_MESSAGE = dt.timedelta(minutes=2)


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential back-off: 30 s, 1 min, 2 min, ... capped at 30 min."""
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 1800))


def notification_create(
    *,
    user,
    subject: str,
    body: str,
    url: str = "",
    sms: bool = True,
    email: bool = True,
    email_to: str = "",
    sms_also: list[str] | tuple[str, ...] = (),
) -> Notification:
    """Record a notification for the cabinet and queue its SMS and email deliveries.

    Subject and body are already in the citizen's language: callers render them with
    `translation.override(user.language)`. `email_to` sends the email to an address the citizen gave
    for this matter (an appeal's answer, say) instead of the profile's. `sms_also` sends the SMS to
    other numbers too (a changed number: the old one is told as well).
    """
    from .tasks import notification_delivery_send

    with transaction.atomic():
        notification = Notification.objects.create(user=user, subject=subject, body=body, url=url)
        deliveries = []
        if sms and user.phone:
            deliveries.append(NotificationDelivery(notification=notification, channel="sms", destination=user.phone))
        for other in sms_also if sms else ():
            if other and other != user.phone:
                deliveries.append(NotificationDelivery(notification=notification, channel="sms", destination=other))
        email_address = email_to or user.email
        if email and email_address:
            deliveries.append(
                NotificationDelivery(notification=notification, channel="email", destination=email_address)
            )
        NotificationDelivery.objects.bulk_create(deliveries)
        for delivery in deliveries:
            delivery_id = str(delivery.id)
            transaction.on_commit(lambda d=delivery_id: notification_delivery_send.delay(d))
    return notification


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one notification (or all of the user's) read; returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def _claim(delivery_id: str) -> NotificationDelivery | None:
    """Take the delivery for this worker, or None when it is sent, failed, or another worker has it."""
    now = timezone.now()
    claimable = Q(status=NotificationDelivery.Status.PENDING) | Q(
        status=NotificationDelivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    claimed = (
        NotificationDelivery.objects.filter(claimable, pk=delivery_id)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=NotificationDelivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return NotificationDelivery.objects.select_related("notification").get(pk=delivery_id)


def _send(delivery: NotificationDelivery) -> None:
    notification = delivery.notification
    if delivery.channel == NotificationDelivery.Channel.SMS:
        text = notification.subject if not notification.body else f"{notification.subject}. {notification.body}"
        get_sms_backend().send(phone=delivery.destination, text=text[:480], message_id=str(delivery.id))
    else:
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{settings.SITE_URL}{notification.url}"
        send_mail(notification.subject, body, None, [delivery.destination], fail_silently=False)


def notification_delivery_send(*, delivery_id: str) -> str:
    """Send one delivery if nobody has; returns its status afterwards ("skipped" when not claimed)."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return "skipped"
    try:
        _send(delivery)
    except SmsRefused as exc:
        return _finish(delivery, NotificationDelivery.Status.FAILED, error=str(exc))
    except (SmsError, OSError) as exc:
        if delivery.attempts >= MAX_ATTEMPTS:
            return _finish(delivery, NotificationDelivery.Status.FAILED, error=str(exc))
        return _finish(
            delivery,
            NotificationDelivery.Status.PENDING,
            error=str(exc),
            next_attempt_at=timezone.now() + retry_delay(delivery.attempts),
        )
    return _finish(delivery, NotificationDelivery.Status.SENT, sent_at=timezone.now())


def _finish(delivery: NotificationDelivery, status: str, *, error: str = "", **fields) -> str:
    NotificationDelivery.objects.filter(pk=delivery.pk).update(status=status, last_error=error[:2000], **fields)
    if status == NotificationDelivery.Status.FAILED:
        logger.error("notification delivery %s failed for good: %s", delivery.pk, error)
    return status


def notification_deliveries_due(*, now: dt.datetime | None = None, limit: int = 500) -> list[str]:
    """Ids of deliveries whose message is due and may have been lost, for the sweep to queue again."""
    now = now or timezone.now()
    due = NotificationDelivery.objects.filter(
        Q(status=NotificationDelivery.Status.PENDING, created_at__lt=now - LOST_MESSAGE, next_attempt_at__isnull=True)
        | Q(status=NotificationDelivery.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=NotificationDelivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    )
    return [str(pk) for pk in due.order_by("created_at").values_list("pk", flat=True)[:limit]]


def sms_send_code(*, phone: str, text: str) -> None:
    """Send a one-time code now, outside the notification table: a code is never stored in clear text,
    and a lost one is simply requested again."""
    get_sms_backend().send(phone=phone, text=text, message_id=str(uuid.uuid4()))
