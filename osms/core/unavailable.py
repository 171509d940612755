"""The answer when the database cannot be reached: a 503 page in the citizen's language.

PostgreSQL restarting (or a failover) makes every query fail for a few seconds. A generic 500 would
tell the citizen that something broke and say nothing of what they sent; the 503 page says the
service is briefly unavailable, that nothing they sent is lost (a write either committed or did not
happen), and when to try again (`Retry-After`). Django calls `server_error` for every exception no
view handled (handler500), whichever middleware raised it; it looks at that exception and answers
503 for a database that is away, the plain 500 page otherwise. /healthz answers on its own.

Should the 503 page itself fail, a last-resort page answers: a few lines of HTML in the language of
the address's prefix (/kk/, /ru/, /en/), translated with the standard library's gettext straight from
the compiled catalogues, since Django's own translation machinery (its active language, the request's
middleware state) is what may have failed. It touches neither the database nor the cache.
"""

from __future__ import annotations

import functools
import gettext as stdlib_gettext
import html
import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
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
        except Exception:  # the page itself failed: the last-resort page still answers
            logger.exception("the 503 page could not be rendered")
            return last_resort_response(request.path_info)
    return defaults.server_error(request, template_name)


def _language(path: str) -> str:
    prefix = path.lstrip("/").split("/", 1)[0]
    return prefix if prefix in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


@functools.cache
def _catalogue(language: str) -> stdlib_gettext.NullTranslations:
    """The compiled catalogue of the language (the msgids, in English, when there is none)."""
    try:
        return stdlib_gettext.translation("django", localedir=str(settings.LOCALE_PATHS[0]), languages=[language])
    except (OSError, IndexError):
        return stdlib_gettext.NullTranslations()


def last_resort_response(path: str) -> HttpResponse:
    """The 503 answer when not even the 503 page renders: a heading, two sentences and the 1414 number."""
    language = _language(path)
    _ = _catalogue(language).gettext
    title = html.escape(_("The service is briefly unavailable"))
    call = _("If it goes on, call the contact centre: %(call_centre)s.") % {
        "call_centre": settings.PORTAL_CONTACTS["call_centre"]
    }
    content = (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head>\n<body><main>\n<h1>{title}</h1>\n"
        f"<p>{html.escape(_('Nothing you have sent is lost.'))}</p>\n"
        f"<p>{html.escape(_('Try again in a minute.'))}</p>\n<p>{html.escape(call)}</p>\n</main></body>\n</html>\n"
    )
    response = HttpResponse(content, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
