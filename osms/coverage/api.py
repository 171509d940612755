"""The partners' JSON API (banks, the bot): the status answer of DOMAIN §13 by IIN and date.

GET /api/v1/status/<iin>?on=YYYY-MM-DD with the header `Authorization: Bearer <key>` (or
`X-Api-Key: <key>`). Keys are issued by fund officers in the back office; each key has its own
rate limit (settings.RATELIMITS["api_key"]); every authenticated call is written to the
StatusLookup log, including calls with an invalid IIN or date.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_ratelimit.core import is_ratelimited

from osms.core.db_router import replica_reads
from osms.core.iin import validate_iin

from . import services
from .models import PartnerApiKey, StatusLookup
from .selectors import status_answer

logger = logging.getLogger("osms.coverage.api")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(text: str) -> dt.date | None:
    """YYYY-MM-DD exactly, or None (Python's fromisoformat also takes 20240101 and week dates)."""
    if not _ISO_DATE.fullmatch(text or ""):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"error": code, "detail": detail}, status=status, json_dumps_params={"ensure_ascii": False})


def _presented_key(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("X-Api-Key", "").strip()


def _key_of(group: str, request: HttpRequest) -> str:
    key: PartnerApiKey = request.partner_key  # type: ignore[attr-defined]
    return f"key:{key.pk}"


@never_cache
@require_GET
@replica_reads
def status(request: HttpRequest, iin: str) -> JsonResponse:
    key = services.api_key_check(_presented_key(request))
    if key is None:
        logger.warning("status API call without a valid key from %s", request.META.get("REMOTE_ADDR", ""))
        response = _error(401, "unauthorized", "A valid API key is required (Authorization: Bearer <key>).")
        response["WWW-Authenticate"] = 'Bearer realm="osms"'
        return response
    request.partner_key = key  # type: ignore[attr-defined]
    if is_ratelimited(
        request, group="coverage.api_status", key=_key_of, rate=settings.RATELIMITS["api_key"], increment=True
    ):
        response = _error(429, "rate_limited", "Too many requests for this key; try again in a minute.")
        response["Retry-After"] = "60"
        return response

    on_text = request.GET.get("on")
    on = timezone.localdate() if on_text is None else parse_iso_date(on_text)
    client = request.META.get("REMOTE_ADDR", "")
    try:
        validate_iin(iin)
    except ValidationError as exc:
        services.status_lookup_log(
            channel=StatusLookup.Channel.PARTNER,
            iin=iin,
            on=on or timezone.localdate(),
            insured=None,
            client=client,
            api_key=key,
        )
        return _error(400, "invalid_iin", " ".join(str(message) for message in exc.messages))
    if on is None:
        services.status_lookup_log(
            channel=StatusLookup.Channel.PARTNER,
            iin=iin,
            on=timezone.localdate(),
            insured=None,
            client=client,
            api_key=key,
        )
        return _error(400, "invalid_date", "The parameter on must be a date YYYY-MM-DD.")
    answer = status_answer(iin=iin, on=on)
    services.status_lookup_log(
        channel=StatusLookup.Channel.PARTNER, iin=iin, on=on, insured=answer.insured, client=client, api_key=key
    )
    return JsonResponse(answer.as_json_dict(), json_dumps_params={"ensure_ascii": False})
