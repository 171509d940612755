from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TemporaryStatusConfig(AppConfig):
    name = "osms.temporary_status"
    label = "temporary_status"
    verbose_name = _("Temporary status")

    def ready(self) -> None:
        from osms.accounts.selectors import REQUEST_SOURCES
        from osms.core.audit import auditlog

        from .models import TemporaryStatusDocument, TemporaryStatusRequest
        from .selectors import citizen_requests

        auditlog.register(TemporaryStatusRequest)
        auditlog.register(TemporaryStatusDocument)
        if citizen_requests not in REQUEST_SOURCES:
            REQUEST_SOURCES.append(citizen_requests)
