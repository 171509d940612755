"""The kernel's middleware: request ids, the private-by-default Cache-Control, and the audit
trail's client address taken from the one trusted source (osms/core/client_address.py)."""

import re
import uuid

from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware
from django.utils.cache import patch_cache_control

from .audit import reads_of_one_request
from .client_address import client_ip
from .logging import request_id_var

_SANE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SANE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class PrivateByDefaultCacheMiddleware:
    """`Cache-Control: no-store` unless a page says it may be kept.

    Every response to a signed-in user, to any request other than GET/HEAD (a status check's
    answer is the answer of a POST) and every page that did not choose its own caching is sent
    with `no-store`, so no browser, proxy or shared cache keeps a copy. Only an anonymous GET whose
    view set Cache-Control itself (static files, a public page with `cache_control(public=True)`)
    keeps it. Listed first in MIDDLEWARE, so it sees the final response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        existing = response.get("Cache-Control", "")
        if "no-store" in existing:
            return response
        if existing and request.method in ("GET", "HEAD") and not _signed_in(request):
            return response  # an anonymous page that chose its own caching
        if existing:
            del response["Cache-Control"]
        patch_cache_control(response, no_store=True, private=True)
        return response


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)  # absent on static files answered before authentication
    return user is not None and user.is_authenticated


class AuditlogMiddleware(_AuditlogMiddleware):
    """django-auditlog's middleware, with the client's address from the trusted source instead of
    the first X-Forwarded-For entry (which the client writes)."""

    def __call__(self, request):
        with reads_of_one_request():
            return super().__call__(request)

    @staticmethod
    def _get_remote_addr(request):
        from django.conf import settings

        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_ip(request) or None

    @staticmethod
    def _get_remote_port(request):
        return None  # X-Forwarded-Port is the client's to write; the port says nothing of the person
