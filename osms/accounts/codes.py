"""One-time SMS codes: issue, verify. Stored as an HMAC of the code, single-use, expiring, tries counted."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import OneTimeCode, User


class CodeError(Exception):
    """The code was not accepted; the message says why, in the user's language."""


MESSAGES = {
    "mismatch": gettext_lazy("The code is wrong. Check the SMS and try again."),
    "expired": gettext_lazy("The code has expired. Request a new one."),
    "exhausted": gettext_lazy("Too many wrong codes. Request a new one."),
    "missing": gettext_lazy("No code has been sent, or it was already used. Request a new one."),
}


def _digest(code: str, *, code_id_salt: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{code_id_salt}:{code}".encode(), hashlib.sha256).hexdigest()


def code_issue(*, user: User, purpose: str, phone: str | None = None, subject: str = "") -> OneTimeCode:
    """Make a new code, void the previous unused ones of the same purpose, and queue the SMS on commit."""
    from osms.core.notifications import sms_code_queue

    phone = phone or user.phone
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        OneTimeCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(used_at=now)
        otc = OneTimeCode.objects.create(
            user=user,
            purpose=purpose,
            phone=phone,
            subject=subject,
            code_hash="",
            created_at=now,
            expires_at=now + dt.timedelta(seconds=settings.OTP_CODE_TTL_SECONDS),
        )
        otc.code_hash = _digest(code, code_id_salt=str(otc.pk))
        otc.save(update_fields=["code_hash"])
        with translation.override(user.language):
            text = _("OSMS portal code: %(code)s. Valid for %(minutes)d minutes. Do not tell it to anyone.") % {
                "code": code,
                "minutes": settings.OTP_CODE_TTL_SECONDS // 60,
            }
        sms_code_queue(phone=phone, text=text, expires_at=otc.expires_at)
    return otc


def code_verify(*, user: User, purpose: str, code: str, subject: str = "") -> OneTimeCode:
    """Accept the code once, or raise CodeError. A wrong try is counted (and kept: the error is raised
    after the transaction commits)."""
    code = (code or "").strip()
    error = None
    with transaction.atomic():
        otc = (
            OneTimeCode.objects.select_for_update()
            .filter(user=user, purpose=purpose, subject=subject, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if otc is None:
            error = "missing"
        elif otc.expires_at <= timezone.now():
            error = "expired"
        elif otc.attempts >= settings.OTP_CODE_MAX_ATTEMPTS:
            error = "exhausted"
        elif not hmac.compare_digest(otc.code_hash, _digest(code, code_id_salt=str(otc.pk))):
            otc.attempts += 1
            otc.save(update_fields=["attempts"])
            error = "exhausted" if otc.attempts >= settings.OTP_CODE_MAX_ATTEMPTS else "mismatch"
        else:
            otc.used_at = timezone.now()
            otc.save(update_fields=["used_at"])
    if error:
        raise CodeError(MESSAGES[error])
    return otc
