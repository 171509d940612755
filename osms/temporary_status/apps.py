from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TemporaryStatusConfig(AppConfig):
    name = "osms.temporary_status"
    label = "temporary_status"
    verbose_name = _("Temporary status")

    def ready(self) -> None:
        from osms.core.audit import auditlog

        from .models import TemporaryStatusDocument, TemporaryStatusRequest

        auditlog.register(TemporaryStatusRequest)
        auditlog.register(TemporaryStatusDocument)
