"""Every write of the clinics area. One module per business area, re-exported here:
`applications` (online and in-clinic applications, withdrawal), `answers` (the clinic's answer),
`sweep` (escalation of late answers, closing unsigned applications), `clinics` (the CSV import)."""

from .answers import application_approve, application_refuse
from .applications import (
    SIGN_BY_CODE,
    SIGN_BY_EDS,
    AttachmentError,
    application_code_resend,
    application_create,
    application_create_in_clinic,
    application_data_to_sign,
    application_submit,
    application_withdraw,
    code_subject,
    signing_methods,
)
from .clinics import ImportSummary, clinics_import
from .sweep import SweepResult, attachments_sweep

__all__ = [
    "SIGN_BY_CODE",
    "SIGN_BY_EDS",
    "AttachmentError",
    "ImportSummary",
    "SweepResult",
    "application_approve",
    "application_code_resend",
    "application_create",
    "application_create_in_clinic",
    "application_data_to_sign",
    "application_refuse",
    "application_submit",
    "application_withdraw",
    "attachments_sweep",
    "clinics_import",
    "code_subject",
    "signing_methods",
]
