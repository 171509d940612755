"""The answer when the database cannot be reached: a 503 page in the citizen's language.

PostgreSQL restarting (or a failover) makes every query fail for a few seconds. A generic 500 would
tell the citizen that something broke and say nothing of what they sent; the 503 page says the
service is briefly unavailable, that nothing they sent is lost (a write either committed or did not
happen), and when to try again (`Retry-After`). Django calls `server_error` for every exception no
view handled (handler500), whichever middleware raised it; it looks at that exception and answers
503 for a database that is away, the plain 500 page otherwise. /healthz answers on its own.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views import defaults

logger = logging.getLogger("osms.unavailable")

RETRY_AFTER_SECONDS = 60


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` (or what it was raised from) says the database cannot be reached."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def unavailable_response() -> HttpResponse:
    """The 503 page, rendered without the request's context: nothing in it touches the database."""
    content = loader.get_template("503.html").render({"call_centre": settings.PORTAL_CONTACTS["call_centre"]})
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: 503 when the database is away, Django's own 500 page otherwise."""
    if database_unavailable(sys.exc_info()[1]):
        logger.warning("database unavailable: %s %s answered 503", request.method, request.path)
        try:
            return unavailable_response()
        except Exception:  # the page itself failed: the plain 500 still answers
            logger.exception("the 503 page could not be rendered")
            return HttpResponseServerError("Service unavailable", content_type="text/plain")
    return defaults.server_error(request, template_name)
