"""What each role may do in the clinics area (merged into the role groups after migrate)."""

REGISTRAR = [
    "clinics.view_clinic",
    "clinics.view_district",
    "clinics.view_doctor",
    "clinics.view_attachmentapplication",
    "clinics.add_attachmentapplication",
    "clinics.answer_application",
]
FUND_OFFICER = [
    "clinics.view_clinic",
    "clinics.add_clinic",
    "clinics.change_clinic",
    "clinics.import_clinics",
    "clinics.view_clinicimport",
    "clinics.view_district",
    "clinics.add_district",
    "clinics.change_district",
    "clinics.view_doctor",
    "clinics.add_doctor",
    "clinics.change_doctor",
    "clinics.view_attachmentapplication",
    "clinics.view_overdueapplication",
    "clinics.view_figures",
    "clinics.view_attachment",
    "clinics.view_attachmentpolicy",
    "clinics.change_attachmentpolicy",
]
ROLE_PERMISSIONS = {
    "clinic_registrar": REGISTRAR,
    "fund_officer": FUND_OFFICER,
    "administrator": ["clinics.view_clinic", "clinics.view_attachmentpolicy"],
}
