"""The benchmark's URLs: the portal's, plus the floor views (`bench ratios`, docs/performance.md).
Used only by bench.settings; the portal's own URLconf (portal/urls.py) has no such view."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django_ratelimit.core import is_ratelimited

from portal.urls import urlpatterns as portal_urlpatterns


def floor(request: HttpRequest) -> HttpResponse:
    """The framework floor: no template, no database, through the portal's whole middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


def floor_round_trips(request: HttpRequest) -> HttpResponse:
    """The floor plus the public check's three round trips with nothing to do in them: the rate
    limiter's count in Redis (the same limiter, store and rate), then two one-value statements on
    PostgreSQL where the check reads the status and writes the lookup row. No check that keeps
    those three round trips can cost less than this."""
    is_ratelimited(
        request, group="bench.round-trips", key="ip", rate=settings.RATELIMITS["public_lookup"], increment=True
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s", [1])
        cursor.fetchone()
        cursor.execute("SELECT %s", [2])
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor),
    path("bench/floor/round-trips/", floor_round_trips),
    *portal_urlpatterns,
]
