from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from osms.core import views as core_views
from osms.core.metrics import metrics_view
from osms.core.service_level_views import service_level_view

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
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
    path("representation/", include("osms.representation.urls")),
    path("", include("osms.pages.urls")),
    path("admin/service-level/", admin.site.admin_view(service_level_view), name="service_level"),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

# A database that cannot be reached answers 503 with Retry-After, not the generic 500 (ADR 0013).
handler500 = "osms.core.unavailable.server_error"
