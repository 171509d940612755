"""Thin Celery tasks of the shared kernel: an id in, a service call, safe to run twice.

The send tasks' time limits are shorter than the claim lease (notifications.claim_lease), so a live
worker never holds a claim past it; a dead worker's claim expires with its lease and the sweep,
every OUTBOX_SWEEP_SECONDS (CELERY_BEAT_SCHEDULE), queues the row again.
"""

from celery import shared_task

from . import notifications
from .outbox import enqueue
from .sms import SmsError, SmsRefused


@shared_task(name="osms.core.tasks.notification_delivery_send", soft_time_limit=25, time_limit=28)
def notification_delivery_send(delivery_id: str) -> str:
    return notifications.notification_delivery_send(delivery_id=delivery_id)


@shared_task(name="osms.core.tasks.sms_message_send", soft_time_limit=25, time_limit=28)
def sms_message_send(message_id: str) -> str:
    return notifications.sms_message_send(message_id=message_id)


@shared_task(name="osms.core.tasks.notifications_sweep")
def notifications_sweep() -> int:
    """Queue again every delivery and code message that is due: retries after a failure, messages a
    broker lost or never took, claims of a worker that died."""
    due = notifications.notification_deliveries_due()
    for delivery_id in due:
        enqueue(notification_delivery_send, delivery_id)
    codes = notifications.sms_messages_due()
    for message_id in codes:
        enqueue(sms_message_send, message_id)
    return len(due) + len(codes)


@shared_task(
    name="osms.core.tasks.sms_send_code",
    bind=True,
    autoretry_for=(SmsError, OSError),
    dont_autoretry_for=(SmsRefused,),
    retry_backoff=5,
    max_retries=3,
)
def sms_send_code(self, phone: str, text: str) -> None:
    """The former code task, which carried the text: kept so that messages queued before an upgrade
    are still delivered. The task id is the same on every retry: one idempotency key per message."""
    notifications.sms_send_code(phone=phone, text=text, message_id=self.request.id)
