"""The benchmark's URLs: the portal's, plus the floor view (`bench ratios`, docs/performance.md).
Used only by bench.settings; the portal's own URLconf (portal/urls.py) has no such view."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def floor(request: HttpRequest) -> HttpResponse:
    """The framework floor: no template, no database, through the portal's whole middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), *portal_urlpatterns]
