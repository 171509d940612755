"""One service notifies a citizen: in the cabinet, by SMS and by email.

The cabinet notification and one delivery row per channel are written in the caller's transaction;
sending is queued on commit. A delivery is claimed by a conditional UPDATE before it is sent, so
two workers never send it twice, and the periodic sweep re-queues what a lost message left behind.

One-time codes go through `SmsMessage` rows the same way (`sms_code_queue`): the task carries the
row's id, never the code, and the id is the gateway's idempotency key on every retry. Claims are
short leases (`claim_lease()`, a little over what one send may take with the gateway's timeout),
so a delivery a killed worker held is sent again within a minute (ADR 0013).
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Notification, NotificationDelivery, SmsMessage
from .outbox import enqueue_on_commit
from .sealing import seal, unseal
from .sms import SmsError, SmsRefused, get_sms_backend

logger = logging.getLogger("osms.notifications")

# With the back-off capped at 2 minutes, a gateway may be away for about an hour before a message
# fails for good, and a message is retried within 2 minutes of the gateway's return (ADR 0013).
MAX_ATTEMPTS = 30
# Pauses between tries of the write that records a send, when the database is away a moment: the
# gateway has the message, and a claim left "sending" would send it again after its lease.
FINISH_PAUSES = (0.0, 0.5, 1.0, 2.0, 3.0, 4.0)


def lost_after() -> dt.timedelta:
    """A pending row untouched this long lost its message (or the broker never took it): queue it again."""
    return dt.timedelta(seconds=settings.NOTIFICATION_LOST_AFTER)


def claim_lease() -> dt.timedelta:
    """A row claimed this long ago and not finished belongs to a worker that died. The send tasks'
    time limit (osms/core/tasks.py, 28 s) is shorter, so a live worker never outlives its claim."""
    return dt.timedelta(seconds=settings.NOTIFICATION_CLAIM_LEASE)


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential back-off: 30 s, 1 min, then every 2 min (NOTIFICATION_RETRY_SECONDS scales it)."""
    base = settings.NOTIFICATION_RETRY_SECONDS
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 4 * base))


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
            enqueue_on_commit(notification_delivery_send, str(delivery.id))
    return notification


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one notification (or all of the user's) read; returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def _claim(model, pk: str) -> bool:
    """Take the row for this worker: False when it is sent, failed, or another worker has it.
    `model` is NotificationDelivery or SmsMessage (the same status columns)."""
    now = timezone.now()
    claimable = Q(status=model.Status.PENDING) | Q(status=model.Status.SENDING, claimed_at__lt=now - claim_lease())
    claimed = (
        model.objects.filter(claimable, pk=pk)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=model.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    return bool(claimed)


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
    if not _claim(NotificationDelivery, delivery_id):
        return "skipped"
    delivery = NotificationDelivery.objects.select_related("notification").get(pk=delivery_id)
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


def _finish(row, status: str, *, error: str = "", **fields) -> str:
    for attempt, pause in enumerate(FINISH_PAUSES):
        time.sleep(pause)
        try:
            type(row).objects.filter(pk=row.pk).update(status=status, last_error=error[:2000], **fields)
            break
        except (OperationalError, InterfaceError):
            if attempt == len(FINISH_PAUSES) - 1:
                raise
            logger.warning("%s %s: the database is away; recording %s again", row._meta.verbose_name, row.pk, status)
            connection.close()  # the next try opens a new connection
    if status == row.Status.FAILED:
        logger.error("%s %s failed for good: %s", row._meta.verbose_name, row.pk, error)
    return status


def _due(model, *, now: dt.datetime, limit: int) -> list[str]:
    due = model.objects.filter(
        Q(status=model.Status.PENDING, created_at__lt=now - lost_after(), next_attempt_at__isnull=True)
        | Q(status=model.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=model.Status.SENDING, claimed_at__lt=now - claim_lease())
    )
    return [str(pk) for pk in due.order_by("created_at").values_list("pk", flat=True)[:limit]]


def notification_deliveries_due(*, now: dt.datetime | None = None, limit: int = 500) -> list[str]:
    """Ids of deliveries whose message is due and may have been lost, for the sweep to queue again."""
    return _due(NotificationDelivery, now=now or timezone.now(), limit=limit)


def sms_messages_due(*, now: dt.datetime | None = None, limit: int = 500) -> list[str]:
    """Ids of code messages to queue again (lost, to retry, or held by a worker that died). One whose
    code has expired meanwhile is dropped instead: it would only confuse the citizen."""
    now = now or timezone.now()
    SmsMessage.objects.filter(
        status__in=[SmsMessage.Status.PENDING, SmsMessage.Status.SENDING], expires_at__lte=now
    ).update(status=SmsMessage.Status.EXPIRED, sealed_text="")
    return _due(SmsMessage, now=now, limit=limit)


# --- one-time codes -----------------------------------------------------------------------------------------
def sms_code_queue(*, phone: str, text: str, expires_at: dt.datetime) -> SmsMessage:
    """Store the code's SMS (sealed) in the caller's transaction and queue its sending on commit.
    The sweep drops a message still unsent at `expires_at`: its code is of no use any more."""
    from .tasks import sms_message_send

    message = SmsMessage.objects.create(phone=phone, sealed_text=seal(text), expires_at=expires_at)
    enqueue_on_commit(sms_message_send, str(message.id))
    return message


def sms_message_send(*, message_id: str) -> str:
    """Send one code message if nobody has; returns its status afterwards ("skipped" when not claimed)."""
    if not _claim(SmsMessage, message_id):
        return "skipped"
    message = SmsMessage.objects.get(pk=message_id)
    try:
        get_sms_backend().send(phone=message.phone, text=unseal(message.sealed_text), message_id=str(message.id))
    except SmsRefused as exc:
        return _finish(message, SmsMessage.Status.FAILED, error=str(exc), sealed_text="")
    except (SmsError, OSError) as exc:
        if message.attempts >= MAX_ATTEMPTS:
            return _finish(message, SmsMessage.Status.FAILED, error=str(exc), sealed_text="")
        return _finish(
            message,
            SmsMessage.Status.PENDING,
            error=str(exc),
            next_attempt_at=timezone.now() + min(retry_delay(message.attempts), dt.timedelta(seconds=60)),
        )
    return _finish(message, SmsMessage.Status.SENT, sent_at=timezone.now(), sealed_text="")


def sms_send_code(*, phone: str, text: str, message_id: str) -> None:
    """Send a code given in clear: only for messages queued before code messages had their table
    (the old task, kept for a deploy's messages in flight); new code goes through `sms_code_queue`."""
    get_sms_backend().send(phone=phone, text=text, message_id=message_id)
