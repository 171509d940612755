"""Thin Celery tasks of the shared kernel: an id in, a service call, safe to run twice."""

from celery import shared_task

from . import notifications
from .sms import SmsError, SmsRefused


@shared_task(name="osms.core.tasks.notification_delivery_send")
def notification_delivery_send(delivery_id: str) -> str:
    return notifications.notification_delivery_send(delivery_id=delivery_id)


@shared_task(name="osms.core.tasks.notifications_sweep")
def notifications_sweep() -> int:
    """Queue again every delivery that is due: retries after a failure, and messages a broker lost."""
    due = notifications.notification_deliveries_due()
    for delivery_id in due:
        notification_delivery_send.delay(delivery_id)
    return len(due)


@shared_task(
    name="osms.core.tasks.sms_send_code",
    autoretry_for=(SmsError, OSError),
    dont_autoretry_for=(SmsRefused,),
    retry_backoff=5,
    max_retries=3,
)
def sms_send_code(phone: str, text: str) -> None:
    notifications.sms_send_code(phone=phone, text=text)
