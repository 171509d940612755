"""The shared kernel's tables: calendar exceptions and notifications."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarException(models.Model):
    """A day the government moved (перенос выходных дней), entered by fund staff (docs/domain.md §9)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off (a weekday made a day off)")  # a weekday made a day off by decree
        WORKING_DAY = "working_day", _("Working day (a weekend day made a working day)")  # a make-up working day

    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason = models.CharField(_("reason (decree)"), max_length=255, blank=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y} {self.get_kind_display()}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        from .calendar import invalidate_business_calendar

        invalidate_business_calendar()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from .calendar import invalidate_business_calendar

        invalidate_business_calendar()
        return result


class Notification(models.Model):
    """A message to a citizen: shown in the cabinet and, by its deliveries, sent by SMS and email."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject


class NotificationDelivery(models.Model):
    """One channel's delivery of a notification; the table, not the broker, is the source of truth."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")  # to the verified mobile phone
        EMAIL = "email", _("Email")  # to the email address, when given

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")  # queued or waiting for a retry
        SENDING = "sending", _("Being sent")  # claimed by a worker
        SENT = "sent", _("Sent")  # the backend accepted it; never sent again
        FAILED = "failed", _("Failed")  # gave up after the last retry

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    destination = models.CharField(_("destination"), max_length=254)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="one_delivery_per_channel"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.destination}: {self.get_status_display()}"


class SmsMessage(models.Model):
    """An SMS outside the notifications: a one-time code. The row is the outbox (ADR 0013): the task
    gets its id, never the text; the text is sealed (encrypted with a key derived from SECRET_KEY,
    osms/core/sealing.py) while it waits and wiped once sent, refused or expired. The id is the
    gateway's idempotency key on every attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")  # queued or waiting for a retry
        SENDING = "sending", _("Being sent")  # claimed by a worker
        SENT = "sent", _("Sent")  # the gateway accepted it; never sent again
        FAILED = "failed", _("Failed")  # refused, or gave up after the last retry
        EXPIRED = "expired", _("Expired")  # not sent before the code it carries expired

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    phone = models.CharField(_("phone"), max_length=32)
    sealed_text = models.TextField(blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="sms_message_due")]
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")

    def __str__(self) -> str:
        return f"{self.phone}: {self.get_status_display()}"
