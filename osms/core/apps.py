from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "osms.core"
    label = "core"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from . import (
            audit,  # noqa: F401  (registers the audited models and the sign-in signals)
            checks,  # noqa: F401  (registers the system checks)
            csrf_random,
            totp_labels,
        )

        csrf_random.install()
        totp_labels.install()
