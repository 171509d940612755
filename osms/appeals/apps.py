from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "osms.appeals"
    label = "appeals"
    verbose_name = _("Appeals")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from osms.accounts.selectors import REQUEST_SOURCES

        from .models import Appeal, AppealAnswer, AppealContact, AppealCounter, AppealFile
        from .selectors import citizen_requests

        auditlog.register(Appeal)
        auditlog.register(AppealContact)
        auditlog.register(AppealAnswer)
        auditlog.register(AppealFile, exclude_fields=["sha256"])
        auditlog.register(AppealCounter)
        if citizen_requests not in REQUEST_SOURCES:
            REQUEST_SOURCES.append(citizen_requests)
