"""A URL configuration for the tests: the portal with every other service replaced by a stub page,
or (`urlpatterns_without_services`) with none of them, to check the home page's guarded links."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import include, path


def stub(request, *args, **kwargs):
    return HttpResponse("stub")


def _service(namespace: str, *names: str):
    return include(([path(f"{name}/", stub, name=name) for name in names], namespace))


_core = [
    path("", include("osms.core.urls")),
    path("accounts/", include("osms.accounts.urls")),
    path("", include("osms.pages.urls")),
]

urlpatterns = i18n_patterns(
    *_core,
    path("coverage/", _service("coverage", "public_check", "my_status", "calculator")),
    path("statements/", _service("statements", "list")),
    path("clinics/", _service("clinics", "my_attachment")),
    path("temporary-status/", _service("temporary_status", "list")),
    path("appeals/", _service("appeals", "new", "list")),
    prefix_default_language=True,
)
