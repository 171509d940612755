from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepresentationConfig(AppConfig):
    name = "osms.representation"
    label = "representation"
    verbose_name = _("Acting for someone")

    def ready(self) -> None:
        from osms.core.audit import auditlog
        from osms.coverage.importers import register_kind

        from . import importer
        from .models import Representation, RepresentationRequest

        auditlog.register(Representation)
        auditlog.register(RepresentationRequest)
        register_kind(
            importer.KIND, header=importer.HEADER, parse=importer.parse_row, writer_factory=lambda: importer.write
        )
