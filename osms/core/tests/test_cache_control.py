"""No page is kept by a browser or a shared cache: `Cache-Control: no-store` on every URL pattern,
for visitors, citizens and staff; a page that chooses its own caching keeps it for visitors only."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.resolvers import LocalePrefixPattern, RoutePattern

from osms.accounts.models import Role
from osms.core.middleware import PrivateByDefaultCacheMiddleware

pytestmark = pytest.mark.django_db


def _sample(converter) -> str:
    if isinstance(converter, IntConverter):
        return "1"
    if isinstance(converter, UUIDConverter):
        return "00000000-0000-0000-0000-000000000001"
    return "x"


def _route(pattern) -> str | None:
    """The pattern as a concrete path, with a sample for each parameter; None for a regular expression."""
    if isinstance(pattern, LocalePrefixPattern):
        return "ru/"
    if not isinstance(pattern, RoutePattern):
        return None
    route = str(pattern)
    for name, converter in pattern.converters.items():
        route = route.replace(f"<{type(converter).__name__}:{name}>", _sample(converter))
        for spelling in ("int", "str", "slug", "uuid", "path"):
            route = route.replace(f"<{spelling}:{name}>", _sample(converter))
        route = route.replace(f"<{name}>", _sample(converter))
    return route


def every_path(patterns=None, prefix: str = "/") -> list[str]:
    paths = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = _route(entry.pattern)
        if route is None:
            continue
        if isinstance(entry, URLResolver):
            paths += every_path(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            paths.append(prefix + route)
    return sorted(set(paths))


PATHS = every_path()


def test_the_walk_covers_the_portal():
    assert len(PATHS) > 100
    for expected in ("/ru/accounts/cabinet/", "/ru/status/", "/ru/status/mine/", "/ru/admin/", "/api/v1/status"):
        assert expected in PATHS


def _assert_no_store(client, paths):
    client.raise_request_exception = False
    missing = []
    for path in paths:
        response = client.get(path)
        if "no-store" not in response.get("Cache-Control", ""):
            missing.append(f"{path} {response.status_code} {response.get('Cache-Control')!r}")
    assert missing == []


def test_every_page_is_no_store_for_a_signed_in_citizen(client, citizen):
    client.force_login(citizen)
    _assert_no_store(client, [path for path in PATHS if "/admin/" not in path])


def test_every_back_office_page_is_no_store_for_staff(staff_client, make_user):
    officer = make_user(role=Role.FUND_OFFICER, is_superuser=True)
    _assert_no_store(staff_client(officer), [path for path in PATHS if "/admin/" in path])


def test_every_page_is_no_store_for_a_visitor_too(client):
    _assert_no_store(client, PATHS)


def test_a_public_check_answer_is_never_kept(client):
    response = client.post("/ru/status/", {"iin": "900101300001"})
    assert "no-store" in response["Cache-Control"]


def _through(request, cache_control: str | None):
    def view(_request):
        response = HttpResponse("page")
        if cache_control:
            response["Cache-Control"] = cache_control
        return response

    return PrivateByDefaultCacheMiddleware(view)(request)


def test_a_page_that_chose_public_caching_keeps_it_for_visitors_only(citizen):
    from django.contrib.auth.models import AnonymousUser

    visitor = RequestFactory().get("/ru/faq/")
    visitor.user = AnonymousUser()
    assert _through(visitor, "public, max-age=300")["Cache-Control"] == "public, max-age=300"
    signed_in = RequestFactory().get("/ru/faq/")
    signed_in.user = citizen
    assert "no-store" in _through(signed_in, "public, max-age=300")["Cache-Control"]
    assert "public" not in _through(signed_in, "public, max-age=300")["Cache-Control"]
    static = RequestFactory().get("/static/app.css")  # answered before authentication: no user yet
    assert _through(static, "max-age=31536000, public, immutable")["Cache-Control"].startswith("max-age=31536000")
