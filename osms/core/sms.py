"""SMS backends, swappable by the SMS_BACKEND setting, like Django's email backends.

`send()` raises SmsError on a failure that is worth retrying. `message_id` is stable across retries
of one delivery, so a gateway that deduplicates by it never delivers one message twice.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("osms.sms")


class SmsError(Exception):
    """The message was not accepted; the caller may retry."""


class SmsRefused(SmsError):
    """The gateway refused the message for good (a bad number, say): retrying will not help."""


class BaseSmsBackend:
    def send(self, *, phone: str, text: str, message_id: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Prints each message to the log (development)."""

    def send(self, *, phone: str, text: str, message_id: str) -> None:
        logger.warning("SMS to %s: %s", phone, text, extra={"message_id": message_id})


class FileSmsBackend(BaseSmsBackend):
    """Writes each message as a JSON file to SMS_FILE_PATH, and logs it (`make run`)."""

    def send(self, *, phone: str, text: str, message_id: str) -> None:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        now = timezone.now()
        record = {"id": message_id, "to": phone, "text": text, "at": now.isoformat()}
        # Microseconds in the name: the files sort in the order the messages were sent.
        (folder / f"{now:%Y%m%d-%H%M%S-%f}-{message_id}.json").write_text(
            json.dumps(record, ensure_ascii=False), encoding="utf-8"
        )
        logger.warning("SMS to %s: %s", phone, text, extra={"message_id": message_id})


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps messages in `outbox` (tests)."""

    outbox: list[dict[str, str]] = []

    def send(self, *, phone: str, text: str, message_id: str) -> None:
        type(self).outbox.append({"id": message_id, "to": phone, "text": text})


class HttpGatewaySmsBackend(BaseSmsBackend):
    """An HTTP SMS gateway: POST JSON {id, from, to, text} with a bearer token to SMS_GATEWAY_URL.

    Any 2xx is success; 4xx other than 429 is a permanent refusal (SmsRefused, not retried);
    5xx, 429 and network errors raise SmsError so that the task retries.
    """

    def send(self, *, phone: str, text: str, message_id: str) -> None:
        if not settings.SMS_GATEWAY_URL:
            raise SmsError("SMS_GATEWAY_URL is not set")
        payload = {"id": message_id, "from": settings.SMS_GATEWAY_SENDER, "to": phone, "text": text}
        headers = {"Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}", "Idempotency-Key": message_id}
        try:
            response = httpx.post(
                settings.SMS_GATEWAY_URL, json=payload, headers=headers, timeout=settings.SMS_GATEWAY_TIMEOUT
            )
        except httpx.HTTPError as exc:
            raise SmsError(f"gateway unreachable: {exc}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise SmsError(f"gateway answered {response.status_code}")
        if response.status_code >= 400:
            raise SmsRefused(f"gateway refused the message: {response.status_code} {response.text[:300]}")


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
