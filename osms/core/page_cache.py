"""Whole anonymous pages rendered once per process, then served with this request's own CSP nonce
and CSRF token (ADR 0105; docs/performance.md).

The public pages that anonymous visitors read most (the status check and its answers, the home
page, the information pages, the calculator's empty form) are the same for every anonymous
visitor but for two values: the CSP nonce and the CSRF token. The first render is stored with
both replaced by placeholders; later requests get the stored page with this request's nonce and a
freshly masked token put back. The CSP header, the CSRF cookie, never_cache and every other
header are still made per request by the middleware and decorators around the view.

Only for anonymous requests (no session cookie, no messages cookie): a signed-in visitor's header
carries their name, unread count and sign-out form. Only responses that are 200, not streamed and
set no cookie are stored; a page whose CSRF tokens could not all be replaced is never stored. The
pages are kept `PAGE_SECONDS` in the per-process "shell" cache (a dummy cache under DEBUG), and
`forget()` drops them in this process (an МЗП or page edit).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Hashable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

PAGE_SECONDS = 60
NONCE_MARK = "@@osms-csp-nonce@@"
TOKEN_MARK = "@@osms-csrf-token@@"  # noqa: S105  # nosec B105 # a placeholder replaced by each request's token, not a secret
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
_generation = 0


def forget() -> None:
    """Stop serving the pages stored so far in this process."""
    global _generation
    _generation += 1


def anonymous(request: HttpRequest) -> bool:
    """No session and no pending messages: the page cannot carry anything of this visitor's."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request: HttpRequest, parts: tuple[Hashable, ...]) -> str:
    words = ":".join(str(part) for part in parts)
    return f"page:{_generation}:{get_language()}:{timezone.localdate().isoformat()}:{request.path}:{words}"


def _template_of(response: HttpResponse, request: HttpRequest) -> tuple[int, str, str] | None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    body = response.content.decode(response.charset)
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:  # evaluated: the page used it
        body = body.replace(str(nonce), NONCE_MARK)
    for token in set(_TOKEN.findall(body)):
        body = body.replace(token, TOKEN_MARK)
    if any(token != TOKEN_MARK for token in _TOKEN.findall(body)):
        return None
    return response.status_code, response["Content-Type"], body


def _from_template(stored: tuple[int, str, str], request: HttpRequest) -> HttpResponse:
    status, content_type, body = stored
    if NONCE_MARK in body:
        body = body.replace(NONCE_MARK, str(request._csp_nonce))
    if TOKEN_MARK in body:
        body = body.replace(TOKEN_MARK, get_token(request))  # also sets the CSRF cookie as {% csrf_token %} does
    return HttpResponse(body, status=status, content_type=content_type)


def cached_page(request: HttpRequest, parts: tuple[Hashable, ...], render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page `render()` makes, from the store when an anonymous visitor asked for it before;
    `parts` must name everything the page shows besides the language, the date and the path."""
    if not anonymous(request):
        return render()
    cache = caches["shell"]
    key = _key(request, parts)
    stored = cache.get(key)
    if stored is not None:
        return _from_template(stored, request)
    response = render()
    template = _template_of(response, request)
    if template is not None:
        cache.set(key, template, PAGE_SECONDS)
    return response


def anonymous_get(view=None, *, varies: Callable[[], tuple[Hashable, ...]] | None = None):
    """Store the view's page for anonymous GETs without a query string (see the module's docstring).
    `varies()` names what else the page depends on (a setting that decides what it offers)."""
    if view is None:
        return functools.partial(anonymous_get, varies=varies)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "GET" or request.META.get("QUERY_STRING"):
            return view(request, *args, **kwargs)
        # the path names the page: the view's arguments come from it
        parts = ("get", *(varies() if varies else ()))
        return cached_page(request, parts, lambda: view(request, *args, **kwargs))

    return wrapped
