from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicsConfig(AppConfig):
    name = "osms.clinics"
    label = "clinics"
    verbose_name = _("Clinics")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Clinic, District

        auditlog.register(Clinic)
        auditlog.register(District)
