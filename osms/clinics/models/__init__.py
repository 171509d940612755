"""Primary-care clinics (организации ПМСП), their districts (участки) and doctors, the rules of
re-attachment, attachment applications with their story, and attachments with their history.

A person is identified by the IIN everywhere here, not by a portal account: a registrar enters
applications for people who never registered, and the person's one current attachment and one
open application are constraints on the IIN (DOMAIN §6 Decision).
"""

from .applications import (
    ApplicationEvent,
    Attachment,
    AttachmentApplication,
    Channel,
    InClinicGroup,
    OverdueApplication,
    Reason,
    RefusalReason,
)
from .clinics import AttachmentPolicy, Clinic, ClinicImport, District, Doctor, Region, fold

__all__ = [
    "ApplicationEvent",
    "Attachment",
    "AttachmentApplication",
    "AttachmentPolicy",
    "Channel",
    "Clinic",
    "ClinicImport",
    "District",
    "Doctor",
    "InClinicGroup",
    "OverdueApplication",
    "Reason",
    "RefusalReason",
    "Region",
    "fold",
]
