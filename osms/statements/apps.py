from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatementsConfig(AppConfig):
    name = "osms.statements"
    label = "statements"
    verbose_name = _("Statements")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import StatementComplaint, StatementDocument, StatementRequest

        # The processing marks change on every attempt; the stage table tells that story instead.
        auditlog.register(
            StatementRequest, exclude_fields=["queued_at", "claimed_at", "claim_token", "attempts", "last_error"]
        )
        auditlog.register(StatementDocument, exclude_fields=["content"])
        auditlog.register(StatementComplaint)
