from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from osms.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", include("osms.coverage.api_urls")),
]

urlpatterns += i18n_patterns(
    path("", include("osms.core.urls")),
    path("accounts/", include("osms.accounts.urls")),
    path("", include("osms.coverage.urls")),
    path("statements/", include("osms.statements.urls")),
    path("clinics/", include("osms.clinics.urls")),
    path("temporary-status/", include("osms.temporary_status.urls")),
    path("appeals/", include("osms.appeals.urls")),
    path("", include("osms.pages.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

# A database that cannot be reached answers 503 with Retry-After, not the generic 500 (ADR 0013).
handler500 = "osms.core.unavailable.server_error"
