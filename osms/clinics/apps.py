from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicsConfig(AppConfig):
    name = "osms.clinics"
    label = "clinics"
    verbose_name = _("Clinics")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Attachment, AttachmentApplication, AttachmentPolicy, Clinic, ClinicImport, District, Doctor

        # ApplicationEvent is not registered: it is itself an append-only record written by services.
        for model in (Clinic, District, Doctor, AttachmentPolicy, Attachment, ClinicImport):
            auditlog.register(model)
        # The remind-at column moves on every sweep; it tells the audit trail nothing.
        auditlog.register(AttachmentApplication, exclude_fields=["remind_at"])
