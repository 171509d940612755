"""The clinic's answer to an attachment application: approve (the person is attached, a previous
attachment ends) or refuse with a reason; the citizen (or their representative) is told."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from osms.core.calendar import working_time_between
from osms.core.notifications import notification_create
from osms.core.querysets import is_overdue
from osms.representation.acting import about_ward
from osms.representation.links import ward_record_link

from ..models import (
    Attachment,
    AttachmentApplication,
    District,
    Doctor,
    RefusalReason,
)
from ..workflow import AttachmentError
from .applications import _lock, _move

Status = AttachmentApplication.Status

# --- the clinic's answer --------------------------------------------------------------------------------------


def _check_may_answer(actor, application: AttachmentApplication) -> None:
    """Only a registrar of the application's own clinic answers it."""
    if not (
        actor.is_active
        and actor.has_perm("clinics.answer_application")
        and actor.clinic_id is not None
        and actor.clinic_id == application.clinic_id
    ):
        raise PermissionDenied


def _answered(application: AttachmentApplication, *, actor, now: dt.datetime) -> None:
    application.answered_at, application.answered_by = now, actor
    application.answer_seconds = int(working_time_between(application.submitted_at, now).total_seconds())
    application.answered_in_time = not is_overdue(application.due_at, now)
    application.remind_at = None


def application_approve(
    *, actor, application: AttachmentApplication, district: District, doctor: Doctor, now: dt.datetime | None = None
) -> Attachment:
    """Attach the person: the previous attachment ends, the new one begins, the citizen is told."""
    _check_may_answer(actor, application)
    if district.clinic_id != application.clinic_id or doctor.clinic_id != application.clinic_id:
        raise AttachmentError(_("Choose a district and a doctor of this clinic."))
    now = now or timezone.now()
    with transaction.atomic():
        application = _lock(application)
        _answered(application, actor=actor, now=now)
        application.district, application.doctor = district, doctor
        _move(application, Status.APPROVED, actor=actor, at=now, note=f"№{district.number}, {doctor.full_name}")
        previous = Attachment.objects.select_for_update().filter(iin=application.iin, ended_at__isnull=True).first()
        if previous is not None:
            previous.ended_at, previous.end_reason = now, Attachment.EndReason.REATTACHED
            previous.save(update_fields=["ended_at", "end_reason"])
        attachment = Attachment.objects.create(
            iin=application.iin,
            clinic=application.clinic,
            district=district,
            doctor=doctor,
            district_number=district.number,
            doctor_name=doctor.full_name,
            application=application,
            started_at=now,
        )
        _notify_answer(application)
    return attachment


def application_refuse(
    *, actor, application: AttachmentApplication, reason: str, explanation: str, now: dt.datetime | None = None
) -> AttachmentApplication:
    """A motivated refusal: a ground from the list and a written explanation, both required."""
    _check_may_answer(actor, application)
    explanation = (explanation or "").strip()
    if reason not in RefusalReason.values:
        raise AttachmentError(_("Choose the ground of the refusal."))
    if not explanation:
        raise AttachmentError(_("Explain the refusal: the person reads this explanation."))
    now = now or timezone.now()
    with transaction.atomic():
        application = _lock(application)
        _answered(application, actor=actor, now=now)
        application.refusal_reason, application.refusal_explanation = reason, explanation
        _move(application, Status.REFUSED, actor=actor, at=now, note=explanation)
        _notify_answer(application)
    return application


def person_account(application: AttachmentApplication):
    """The account to tell: the application's, else the representative's who applied at the clinic
    for a ward, else the person's own (one applying at the clinic may register later)."""
    if application.user_id:
        return application.user
    accounts = get_user_model().objects.filter(is_active=True)
    if application.representative_iin:
        return accounts.filter(iin=application.representative_iin).first()
    return accounts.filter(iin=application.iin).first()


def _notify_answer(application: AttachmentApplication) -> None:
    user = person_account(application)
    if user is None:
        return  # applied at the clinic without a portal account: the clinic tells the person
    with translation.override(user.language):
        clinic = application.clinic.name
        if application.status == Status.APPROVED:
            subject = _("You are attached to %(clinic)s") % {"clinic": clinic}
            body = _("Your district is №%(district)s, your doctor is %(doctor)s. Application %(number)s.") % {
                "district": application.district.number,
                "doctor": application.doctor.full_name,
                "number": application.number,
            }
        else:
            subject = _("%(clinic)s refused your application") % {"clinic": clinic}
            body = _("Application %(number)s. Ground: %(reason)s. %(explanation)s") % {
                "number": application.number,
                "reason": application.get_refusal_reason_display(),
                "explanation": application.refusal_explanation,
            }
        body = about_ward(ward_iin=application.iin, representative_iin=application.representative_iin) + body
        url = ward_record_link(
            reverse("clinics:application", args=[application.number]),
            recipient=user,
            ward_iin=application.iin,
            representative_iin=application.representative_iin,
        )
    notification_create(user=user, subject=subject, body=body, url=url)
