from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    name = "osms.coverage"
    label = "coverage"
    verbose_name = _("Insured status")

    def ready(self) -> None:
        from . import audit  # noqa: F401  (registers the models with the audit trail)
