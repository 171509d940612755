"""Attachment applications: filled in online and signed with an EDS (where NCANode is configured) or
an SMS code, the same choice as the statement request (osms/core/eds.py), or entered at the clinic;
answered by the clinic's registrar (attach with district and doctor, or a motivated refusal);
withdrawn by the citizen. Every status move goes through `_move`, which checks the table in
workflow.APPLICATION and writes the application's event; the models are in the audit trail too.
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET  # nosec B405 # builds the XML to sign; parses nothing

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osms.accounts.codes import CodeError, code_issue, code_verify
from osms.accounts.models import OneTimeCode
from osms.core import eds
from osms.core.calendar import deadline_after
from osms.core.uploads import CheckedUpload, upload_store
from osms.representation.acting import ActingSubject, subject_or_self

from .. import rules, selectors
from ..models import (
    ApplicationEvent,
    AttachmentApplication,
    Channel,
    Clinic,
    InClinicGroup,
)
from ..workflow import APPLICATION, AttachmentError

Status = AttachmentApplication.Status
ANSWER_WORKING_DAYS = 1  # docs/domain.md §6: the answer within 1 working day
CONFIRM_WITHIN = dt.timedelta(hours=24)  # an unsigned application is closed after this


SIGN_BY_CODE = "sms"  # a one-time code to the phone registered to the account
SIGN_BY_EDS = (
    "ncanode"  # an EDS made with NCALayer, checked by NCANode (seed 002: the application is signed with an ЭЦП)
)


def code_subject(application: AttachmentApplication) -> str:
    return f"attachment:{application.pk}"


def signing_methods() -> list[str]:
    """How the citizen may sign: the SMS code always, the EDS where NCANode is configured."""
    return [SIGN_BY_CODE, SIGN_BY_EDS] if eds.ncanode_enabled() else [SIGN_BY_CODE]


def application_data_to_sign(application: AttachmentApplication) -> str:
    """The application as XML: what the citizen signs. Its number makes a signature fit it only."""
    root = ET.Element("attachmentApplication")
    for tag, value in (
        ("number", application.number),
        ("iin", application.iin),
        ("clinic", application.clinic.code),
        ("reason", application.reason),
        (
            "address",
            ", ".join(filter(None, (application.locality, application.street, application.house, application.flat))),
        ),
        ("phone", application.phone),
        ("created", application.created_at.isoformat(timespec="seconds")),
    ):
        ET.SubElement(root, tag).text = value
    return ET.tostring(root, encoding="unicode")


def _move(
    application: AttachmentApplication,
    target: str,
    *,
    actor,
    at: dt.datetime,
    note: str = "",
    save_all: bool = True,
    acting_for: str = "",
) -> None:
    """The one way to change an application's status: the kernel checks the move, saves the application
    (every field the caller set, or the status alone) and records the event."""
    APPLICATION.transition(application, target, actor=actor, at=at, note=note, save_all=save_all, acting_for=acting_for)


def _acting_for(application: AttachmentApplication) -> str:
    """The events' `acting_for` for the representative's own moves: the ward's IIN (blank for oneself)."""
    return application.iin if application.representative_iin else ""


def _lock(application: AttachmentApplication) -> AttachmentApplication:
    return AttachmentApplication.objects.select_for_update().select_related("clinic").get(pk=application.pk)


def _check_may_apply(*, iin: str, clinic: Clinic, reason: str, now: dt.datetime) -> None:
    """The rules of docs/domain.md §6 and the re-attachment policy, said once for both channels."""
    today = selectors.local_today(now)
    current = selectors.attachment_facts(selectors.attachment_current(iin=iin), today=today)
    verdict = rules.clinic_verdict(selectors.clinic_facts(clinic), current=current, today=today)
    if not verdict.allowed:
        raise AttachmentError(verdict.message)
    verdict = rules.reason_verdict(reason, current=current, policy=selectors.policy_current(), today=today)
    if not verdict.allowed:
        raise AttachmentError(verdict.message)
    if selectors.application_pending(iin=iin) is not None:
        raise AttachmentError(
            _("You already have an application with a clinic. Wait for its answer or withdraw it first.")
        )


def _numbered(application: AttachmentApplication) -> None:
    application.number = f"AT-{application.pk:07d}"
    application.save(update_fields=["number"])


# --- online -----------------------------------------------------------------------------------------------


def application_create(
    *,
    actor,
    clinic: Clinic,
    reason: str,
    locality: str,
    street: str,
    house: str,
    flat: str,
    phone: str,
    method: str = SIGN_BY_CODE,
    now: dt.datetime | None = None,
    subject: ActingSubject | None = None,
) -> AttachmentApplication:
    """The citizen's filled-in application, waiting for the signature: by SMS code (the code is sent)
    or by EDS (`method`, one of signing_methods()).
    `subject`: for whom (a ward, applied for by the representative `actor`; by default the actor).

    A previous unsigned application of the person is replaced: only one can be open."""
    subject = subject_or_self(subject, actor)
    now = now or timezone.now()
    _check_may_apply(iin=subject.iin, clinic=clinic, reason=reason, now=now)
    with transaction.atomic():
        application = (
            AttachmentApplication.objects.select_for_update().filter(iin=subject.iin, status=Status.UNCONFIRMED).first()
        )
        if application is None:
            application = AttachmentApplication(iin=subject.iin, status=Status.UNCONFIRMED, created_by=actor)
        application.user = actor
        application.representative_iin = subject.representative_iin
        person = subject.ward.person if subject.ward is not None else actor
        application.last_name, application.first_name = person.last_name, person.first_name
        application.patronymic = person.patronymic
        application.clinic, application.reason = clinic, reason
        application.locality, application.street, application.house, application.flat = locality, street, house, flat
        application.phone, application.channel = phone, Channel.ONLINE
        application.confirm_by = now + CONFIRM_WITHIN
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            raise AttachmentError(
                _("You already have an application with a clinic. Wait for its answer or withdraw it first.")
            ) from None
        if not application.number:
            _numbered(application)
            APPLICATION.record_event(
                application, kind=ApplicationEvent.Kind.CREATED, at=now, actor=actor, acting_for=subject.acting_for
            )
        if method == SIGN_BY_CODE:
            code_issue(user=actor, purpose=OneTimeCode.Purpose.CONFIRMATION, subject=code_subject(application))
    return application


def application_code_resend(*, actor, application: AttachmentApplication) -> None:
    if application.user_id != actor.pk or application.status != Status.UNCONFIRMED:
        raise AttachmentError(_("This application cannot be confirmed any more. Start again."))
    code_issue(user=actor, purpose=OneTimeCode.Purpose.CONFIRMATION, subject=code_subject(application))


def application_submit(
    *,
    actor,
    application: AttachmentApplication,
    code: str = "",
    signature: str = "",
    method: str = SIGN_BY_CODE,
    now: dt.datetime | None = None,
) -> AttachmentApplication:
    """Sign the application with the SMS code or the EDS: it goes to the clinic, due in 1 working day.

    Raises CodeError (a wrong code's try is counted and kept), eds.EdsRejected or AttachmentError."""
    if application.user_id != actor.pk:
        raise PermissionDenied
    if method not in signing_methods():
        raise AttachmentError(_("This way of signing is not available. Sign with a code by SMS."))
    now = now or timezone.now()
    # The code is used up in the same transaction as the move it confirms (a failure after it leaves
    # the code good for the next try); a wrong code's counted try is kept: raised after the commit.
    rejected = None
    with transaction.atomic():
        if method == SIGN_BY_EDS:
            expected = application_data_to_sign(application)
            signer = application.representative_iin or application.iin  # a representative signs for a ward
            eds.signed_by(client=eds.ncanode_client(), expected=expected, iin=signer, proof=signature)
            note = _("Signed with an EDS")
        else:
            note = _("Signed with a code by SMS")
            try:
                code_verify(
                    user=actor, purpose=OneTimeCode.Purpose.CONFIRMATION, code=code, subject=code_subject(application)
                )
            except CodeError as exc:
                rejected = exc
        if rejected is None:
            application = _lock(application)
            if application.status == Status.UNCONFIRMED and application.confirm_by and application.confirm_by <= now:
                raise AttachmentError(_("The application was not confirmed in time. Fill it in again."))
            _start_clock(application, now=now)
            _move(application, Status.PENDING, actor=actor, at=now, note=note, acting_for=_acting_for(application))
    if rejected is not None:
        raise rejected
    return application


def _start_clock(application: AttachmentApplication, *, now: dt.datetime) -> None:
    application.submitted_at = now
    application.due_at = deadline_after(now, working_days=ANSWER_WORKING_DAYS)
    application.remind_at = application.due_at
    application.confirm_by = None


def application_withdraw(*, actor, application: AttachmentApplication, now: dt.datetime | None = None) -> None:
    if application.user_id != actor.pk:
        raise PermissionDenied
    now = now or timezone.now()
    with transaction.atomic():
        application = _lock(application)
        _move(application, Status.WITHDRAWN, actor=actor, at=now, save_all=False, acting_for=_acting_for(application))


# --- at the clinic -----------------------------------------------------------------------------------------


def _replace_unsigned(*, iin: str, actor, now: dt.datetime) -> None:
    """An unsigned online application of the person was never submitted: the clinic's one replaces it."""
    for draft in AttachmentApplication.objects.select_for_update().filter(iin=iin, status=Status.UNCONFIRMED):
        note = _("Replaced by an application at the clinic.")
        _move(draft, Status.ABANDONED, actor=actor, at=now, note=note, save_all=False)


def _representative_checked(*, iin: str, representative_iin: str, now: dt.datetime) -> str:
    """The note of an application a parent or guardian makes at the clinic for a ward: their right
    must be in force in the representation register, as for one made online (docs/adr/0702)."""
    from osms.representation.selectors import right_in_force

    ward = right_in_force(representative_iin=representative_iin, ward_iin=iin, on=selectors.local_today(now))
    if ward is None:
        raise AttachmentError(
            _(
                "The representation register has no right in force for IIN %(representative)s to act for this "
                "person. Check both IINs; a parent or guardian missing from the register asks for the right on "
                "the portal with the birth certificate or the guardianship decision."
            )
            % {"representative": representative_iin}
        )
    return _("Applied for by the representative (%(ground)s), IIN %(iin)s.") % {
        "ground": ward.representation.get_ground_display(),
        "iin": representative_iin,
    }


def application_create_in_clinic(
    *,
    actor,
    iin: str,
    last_name: str,
    first_name: str,
    patronymic: str,
    phone: str,
    group: str,
    reason: str,
    locality: str,
    street: str,
    house: str,
    flat: str,
    document: CheckedUpload,
    now: dt.datetime | None = None,
    representative_iin: str = "",
) -> AttachmentApplication:
    """A registrar enters the application of a person of the groups who apply at the clinic, with the
    supporting document or power of attorney. It is due in 1 working day, like an online one.
    `representative_iin`: the parent or guardian who applies for a child or ward, recorded (and told
    the answer) as for an online application, if the register gives them a right in force."""
    if not (actor.is_active and actor.clinic_id and actor.has_perm("clinics.add_attachmentapplication")):
        raise PermissionDenied
    if group not in InClinicGroup.values:
        raise AttachmentError(_("Choose the group the person belongs to."))
    now = now or timezone.now()
    clinic = actor.clinic
    _check_may_apply(iin=iin, clinic=clinic, reason=reason, now=now)
    note = (
        _representative_checked(iin=iin, representative_iin=representative_iin, now=now) if representative_iin else ""
    )
    stored = upload_store(document, folder="clinics/documents")
    with transaction.atomic():
        _replace_unsigned(iin=iin, actor=actor, now=now)
        application = AttachmentApplication(
            iin=iin,
            representative_iin=representative_iin,
            user=get_user_model().objects.filter(iin=iin).first(),
            last_name=last_name,
            first_name=first_name,
            patronymic=patronymic,
            phone=phone,
            clinic=clinic,
            reason=reason,
            locality=locality,
            street=street,
            house=house,
            flat=flat,
            channel=Channel.IN_CLINIC,
            group=group,
            document=stored,
            document_name=document.name,
            document_type=document.content_type,
            document_sha256=document.sha256,
            created_by=actor,
            status=Status.PENDING,
        )
        _register_in_clinic(application, actor=actor, now=now, note=note)
    return application


def _register_in_clinic(application: AttachmentApplication, *, actor, now: dt.datetime, note: str) -> None:
    """Save the clinic's application with its number and its first event (naming the ward's IIN in
    `acting_for` when a representative applied for them)."""
    _start_clock(application, now=now)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise AttachmentError(_("This person already has an application with a clinic.")) from None
    _numbered(application)
    acting_for = application.iin if application.representative_iin else ""
    APPLICATION.record_event(
        application, kind=ApplicationEvent.Kind.SUBMITTED, at=now, actor=actor, note=note, acting_for=acting_for
    )
