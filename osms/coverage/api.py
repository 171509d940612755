"""The partners' JSON API (banks, the bot): the status answer of docs/domain.md §13 by IIN and date.

POST /api/v1/status with the IIN in the body — JSON `{"iin": "...", "on": "YYYY-MM-DD"}` or a
form-encoded body with the same fields — and the header `Authorization: Bearer <key>` (or
`X-Api-Key: <key>`). The IIN never travels in the address, so it stays out of the access logs of
every proxy on the way. The former `GET /api/v1/status/<iin>` answers 410 Gone and names the new
call (docs/security.md, "Partner API transition"). Keys are issued by fund officers in the back office; each key has its own
rate limit (settings.RATELIMITS["api_key"]); every authenticated call is written to the
StatusLookup log, including calls with an invalid IIN or date.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from osms.core.client_address import client_ip
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


def _body(request: HttpRequest) -> dict[str, str] | None:
    """The call's fields from a JSON object or a form-encoded body; None when unreadable."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(data, dict):
            return None
        return {name: data[name] if isinstance(data.get(name), str) else "" for name in ("iin", "on") if name in data}
    return {name: request.POST[name] for name in ("iin", "on") if name in request.POST}


@never_cache
def status_by_path_gone(request: HttpRequest, iin: str) -> JsonResponse:
    """The former call with the IIN in the address: gone, with the new call named (nothing is logged)."""
    response = _error(
        410,
        "gone",
        'The IIN is no longer accepted in the address. POST /api/v1/status with {"iin": ..., "on": ...}.',
    )
    response["Link"] = '</api/v1/status>; rel="successor-version"'
    return response


@csrf_exempt  # a bearer-key API for servers: no cookie, so no cross-site request to forge
@never_cache
@require_POST
@replica_reads
def status(request: HttpRequest) -> JsonResponse:
    key = services.api_key_check(_presented_key(request))
    if key is None:
        logger.warning("status API call without a valid key from %s", client_ip(request))
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

    body = _body(request)
    if body is None:
        return _error(400, "invalid_body", 'The body must be a JSON object {"iin": ..., "on": ...}.')
    iin = body.get("iin", "")
    on_text = body.get("on")
    on = timezone.localdate() if on_text is None else parse_iso_date(on_text)
    client = client_ip(request)
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
