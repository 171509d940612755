from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "osms.appeals"
    label = "appeals"
    verbose_name = _("Appeals")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Appeal, AppealAnswer, AppealContact, AppealCounter, AppealFile

        auditlog.register(Appeal)
        auditlog.register(AppealContact)
        auditlog.register(AppealAnswer)
        auditlog.register(AppealFile, exclude_fields=["sha256"])
        auditlog.register(AppealCounter)
