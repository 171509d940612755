"""Attaching a ward to a clinic, made smooth (docs/adr/0702-services-for-a-ward.md).

Applications for children are the commonest: a parent attaches a newborn. The application for a ward
starts from the representative's own answers: the clinic they are attached to (if it is still a
supplier of the Fund), its region, and the address and phone of their last application, so the parent
lands on "check your answers" and changes only what differs. Nothing is sent without that check."""

from __future__ import annotations

from . import selectors
from .models import AttachmentApplication, Clinic


def ward_answers(subject) -> dict:
    """The application's first answers for `subject`'s ward, from the representative's own."""
    representative = subject.representative
    answers: dict = {}
    today = selectors.local_today()
    own = selectors.attachment_current(iin=representative.iin)
    if own is not None and selectors.clinic_for_choice(clinic_id=own.clinic_id, today=today) is not None:
        answers.update(region=own.clinic.region, clinic=own.clinic_id)
    last = (
        AttachmentApplication.objects.filter(iin=representative.iin)
        .exclude(locality="")
        .order_by("-created_at")
        .only("locality", "street", "house", "flat")
        .first()
    )
    if last is not None:
        answers.update(locality=last.locality, street=last.street, house=last.house, flat=last.flat)
    if representative.phone:
        answers["phone"] = representative.phone
    return answers


def representative_clinic_first(found: list[Clinic], *, representative, today) -> list[Clinic]:
    """The clinics to choose from with the representative's own clinic first, when it is among them."""
    own = selectors.attachment_current(iin=representative.iin)
    if own is None:
        return found
    mine = [clinic for clinic in found if clinic.pk == own.clinic_id]
    return mine + [clinic for clinic in found if clinic.pk != own.clinic_id]
