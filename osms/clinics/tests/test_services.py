"""Applications through the services: signing by SMS code, the deadline, one open application, the
clinic's answer, attachments and their history, in-clinic applications."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import TestCase

from osms.accounts.codes import CodeError
from osms.clinics import services
from osms.clinics.models import (
    ApplicationEvent,
    Attachment,
    AttachmentApplication,
    AttachmentPolicy,
    Reason,
    RefusalReason,
)
from osms.core.calendar import ALMATY
from osms.core.models import Notification
from osms.core.uploads import private_storage
from osms.core.workflow import status_changes_allowed

from .factories import (
    draft,
    in_clinic,
    last_code,
    make_clinic,
    make_fund_officer,
    make_registrar,
    person_iin,
    submitted,
)

pytestmark = pytest.mark.django_db
Status = AttachmentApplication.Status

# Friday 6 March 2026, 16:00 in Almaty; Sat 7, Sun 8 are the weekend and Mon 9 March is the day off
# for International Women's Day (8 March fell on a Sunday): the next working day is Tue 10 March.
FRIDAY = dt.datetime(2026, 3, 6, 16, 0, tzinfo=ALMATY)


@pytest.fixture
def clinic():
    return make_clinic()


@pytest.fixture
def registrar(make_user, clinic):
    return make_registrar(make_user, clinic)


def approve(registrar, application, number=1, **kwargs):
    district = application.clinic.districts.get(number=number)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.application_approve(
            actor=registrar, application=application, district=district, doctor=district.doctor, **kwargs
        )


def test_the_code_signs_the_application_and_starts_one_working_day(citizen, clinic, time_machine, sms_outbox):
    time_machine.move_to(FRIDAY, tick=False)
    application = draft(citizen, clinic)
    assert application.status == Status.UNCONFIRMED and application.number.startswith("AT-")
    assert sms_outbox[-1]["to"] == citizen.phone
    application = services.application_submit(actor=citizen, application=application, code=last_code(citizen.phone))
    assert application.status == Status.PENDING
    assert application.submitted_at == FRIDAY
    assert application.due_at == dt.datetime(2026, 3, 10, 16, 0, tzinfo=ALMATY)
    assert [event.kind for event in application.events.all()] == ["created", "submitted"]


def test_after_hours_the_clock_starts_at_the_next_opening(citizen, clinic, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 6, 20, 15, tzinfo=ALMATY), tick=False)
    application = submitted(citizen, clinic)
    assert application.due_at == dt.datetime(2026, 3, 11, 9, 0, tzinfo=ALMATY)


def test_a_wrong_code_is_counted_and_signs_nothing(citizen, clinic):
    application = draft(citizen, clinic)
    with pytest.raises(CodeError):
        services.application_submit(actor=citizen, application=application, code="000000")
    application.refresh_from_db()
    assert application.status == Status.UNCONFIRMED
    assert citizen.one_time_codes.get(used_at__isnull=True).attempts == 1


def test_a_code_is_used_up_only_with_the_submission_it_confirms(citizen, clinic, monkeypatch):
    """A failure while the application is being signed (the calendar or the database away) leaves the
    citizen's code good for the next try: it is consumed in the same transaction as the move."""
    from osms.clinics.services import applications

    application = draft(citizen, clinic)
    code = last_code(citizen.phone)

    def calendar_away(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(applications, "deadline_after", calendar_away)
    with pytest.raises(ConnectionError):
        services.application_submit(actor=citizen, application=application, code=code)
    application.refresh_from_db()
    assert application.status == Status.UNCONFIRMED and application.submitted_at is None
    assert citizen.one_time_codes.filter(subject=f"attachment:{application.pk}", used_at__isnull=True).exists()

    monkeypatch.undo()
    application = services.application_submit(actor=citizen, application=application, code=code)
    assert application.status == Status.PENDING
    assert not citizen.one_time_codes.filter(subject=f"attachment:{application.pk}", used_at__isnull=True).exists()


def test_a_code_for_another_request_cannot_sign_the_application(citizen, clinic):
    from osms.accounts.codes import code_issue
    from osms.accounts.models import OneTimeCode

    application = draft(citizen, clinic)
    with TestCase.captureOnCommitCallbacks(execute=True):
        code_issue(user=citizen, purpose=OneTimeCode.Purpose.CONFIRMATION, subject="statement:1")
    with pytest.raises(CodeError):
        services.application_submit(actor=citizen, application=application, code=last_code(citizen.phone))


def test_only_the_applicant_signs(citizen, make_user, clinic):
    application = draft(citizen, clinic)
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=make_user(iin=person_iin()), application=application, code="123456")


def test_one_pending_application_per_person(citizen, clinic):
    submitted(citizen, clinic)
    with pytest.raises(services.AttachmentError, match="already have an application"):
        draft(citizen, make_clinic())


def test_the_database_holds_one_open_application_per_person_too(citizen, clinic):
    first = submitted(citizen, clinic)
    duplicate = AttachmentApplication(
        iin=citizen.iin,
        last_name="x",
        first_name="y",
        phone=citizen.phone,
        clinic=clinic,
        reason=Reason.FIRST,
        locality="Астана",
        street="ул. Абая",
        house="1",
        created_by=citizen,
        status=Status.PENDING,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    first.status = Status.REFUSED
    with status_changes_allowed():  # the constraint itself, without the service's checks
        first.save()
    duplicate.save()  # once the first is answered, a new one may wait


def test_filling_in_again_replaces_the_unsigned_application(citizen, clinic):
    first = draft(citizen, clinic)
    other = make_clinic()
    second = draft(citizen, other)
    assert second.pk == first.pk and second.clinic == other
    assert AttachmentApplication.objects.filter(iin=citizen.iin).count() == 1


def test_an_application_not_signed_in_time_must_be_filled_in_again(citizen, clinic, time_machine):
    time_machine.move_to(FRIDAY, tick=False)
    application = draft(citizen, clinic)
    time_machine.move_to(FRIDAY + dt.timedelta(hours=25), tick=False)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.application_code_resend(actor=citizen, application=application)
    with pytest.raises(services.AttachmentError, match="not confirmed in time"):
        services.application_submit(actor=citizen, application=application, code=last_code(citizen.phone))


def test_the_clinic_one_is_attached_to_is_refused_at_once(citizen, clinic, registrar):
    approve(registrar, submitted(citizen, clinic))
    with pytest.raises(services.AttachmentError, match="already attached to this clinic"):
        draft(citizen, clinic, reason=Reason.RESIDENCE)


def test_a_clinic_that_is_not_a_supplier_cannot_be_chosen(citizen):
    closed = make_clinic(is_fund_supplier=False)
    with pytest.raises(services.AttachmentError, match="does not serve"):
        draft(citizen, closed)


def test_free_choice_once_a_year_and_change_of_residence_any_time(citizen, clinic, registrar, time_machine):
    time_machine.move_to(FRIDAY, tick=False)
    approve(registrar, submitted(citizen, clinic))
    other = make_clinic()
    time_machine.move_to(FRIDAY + dt.timedelta(days=100), tick=False)
    with pytest.raises(services.AttachmentError, match="once in 12 months"):
        draft(citizen, other, reason=Reason.CHOICE)
    assert draft(citizen, other, reason=Reason.RESIDENCE).status == Status.UNCONFIRMED
    time_machine.move_to(FRIDAY + dt.timedelta(days=366), tick=False)
    assert draft(citizen, other, reason=Reason.CHOICE).reason == Reason.CHOICE


def test_the_policy_is_data_fund_officers_change(citizen, clinic, registrar, time_machine):
    time_machine.move_to(FRIDAY, tick=False)
    approve(registrar, submitted(citizen, clinic))
    AttachmentPolicy.objects.update_or_create(
        pk=1, defaults={"campaign_starts": dt.date(2026, 3, 1), "campaign_ends": dt.date(2026, 3, 31)}
    )
    time_machine.move_to(FRIDAY + dt.timedelta(days=5), tick=False)
    assert draft(citizen, make_clinic(), reason=Reason.CHOICE).status == Status.UNCONFIRMED


def test_approval_ends_the_previous_attachment_and_records_the_new_one(citizen, clinic, registrar, make_user):
    first = approve(registrar, submitted(citizen, clinic), number=2)
    assert (first.clinic, first.district_number, first.doctor_name) == (clinic, 2, "Абдрахманов Серик Болатович")
    other = make_clinic()
    other_registrar = make_registrar(make_user, other)
    second = approve(other_registrar, submitted(citizen, other, reason=Reason.RESIDENCE))
    first.refresh_from_db()
    assert first.ended_at == second.started_at and first.end_reason == Attachment.EndReason.REATTACHED
    assert list(Attachment.objects.filter(iin=citizen.iin).order_by("started_at")) == [first, second]
    assert Attachment.objects.filter(iin=citizen.iin, ended_at__isnull=True).get() == second


def test_the_citizen_is_notified_of_the_answer_in_their_language(citizen, clinic, registrar, sms_outbox):
    citizen.language = "kk"
    citizen.save()
    application = submitted(citizen, clinic)
    approve(registrar, application)
    notification = Notification.objects.get(user=citizen)
    assert clinic.name_kk in notification.subject
    assert "№1" in notification.body and "Иванова Мария Петровна" in notification.body
    assert notification.url == f"/kk/clinics/applications/{application.number}/"
    assert sms_outbox[-1]["to"] == citizen.phone


def test_the_answer_records_working_time_and_whether_it_was_in_time(citizen, clinic, registrar, time_machine):
    time_machine.move_to(FRIDAY, tick=False)
    application = submitted(citizen, clinic)
    time_machine.move_to(dt.datetime(2026, 3, 10, 10, 0, tzinfo=ALMATY), tick=False)
    approve(registrar, application)
    application.refresh_from_db()
    # Friday 16:00-18:30 and Tuesday 9:00-10:00: 3 h 30 min of working time.
    assert application.answer_seconds == 3.5 * 3600 and application.answered_in_time is True
    assert application.answered_by == registrar


def test_refusal_needs_a_ground_and_an_explanation(citizen, clinic, registrar):
    application = submitted(citizen, clinic)
    with pytest.raises(services.AttachmentError):
        services.application_refuse(actor=registrar, application=application, reason="capacity", explanation="  ")
    with pytest.raises(services.AttachmentError):
        services.application_refuse(actor=registrar, application=application, reason="whim", explanation="Нет мест")
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.application_refuse(
            actor=registrar,
            application=application,
            reason=RefusalReason.CAPACITY,
            explanation="Участки заполнены; ближайшая поликлиника № 3.",
        )
    application.refresh_from_db()
    assert application.status == Status.REFUSED and application.refusal_reason == "capacity"
    assert "ближайшая" in Notification.objects.get(user=citizen).body
    assert not Attachment.objects.filter(iin=citizen.iin).exists()


def test_an_answered_application_cannot_be_answered_again(citizen, clinic, registrar):
    application = submitted(citizen, clinic)
    approve(registrar, application)
    with pytest.raises(services.AttachmentError):
        services.application_refuse(actor=registrar, application=application, reason="other", explanation="x")
    assert Attachment.objects.filter(iin=citizen.iin).count() == 1


def test_only_a_registrar_of_the_application_s_clinic_answers(citizen, clinic, make_user):
    application = submitted(citizen, clinic)
    stranger = make_registrar(make_user, make_clinic())
    officer = make_fund_officer(make_user)
    admin_user = make_user(role="administrator", is_superuser=True, iin=person_iin())
    for actor in (stranger, officer, admin_user):
        with pytest.raises(PermissionDenied):
            approve(actor, application)
        with pytest.raises(PermissionDenied):
            services.application_refuse(actor=actor, application=application, reason="other", explanation="x")
    application.refresh_from_db()
    assert application.status == Status.PENDING


def test_a_district_or_doctor_of_another_clinic_is_refused(citizen, clinic, registrar):
    application = submitted(citizen, clinic)
    foreign = make_clinic().districts.get(number=1)
    with pytest.raises(services.AttachmentError):
        services.application_approve(actor=registrar, application=application, district=foreign, doctor=foreign.doctor)


def test_the_citizen_may_withdraw_a_waiting_application(citizen, clinic, make_user):
    application = submitted(citizen, clinic)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(actor=make_user(iin=person_iin()), application=application)
    services.application_withdraw(actor=citizen, application=application)
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert draft(citizen, clinic).status == Status.UNCONFIRMED  # free to apply again


def test_a_registrar_enters_an_application_at_the_clinic_with_the_document(registrar, time_machine):
    time_machine.move_to(FRIDAY, tick=False)
    iin = person_iin()
    application = in_clinic(registrar, iin=iin, group="attorney")
    assert application.status == Status.PENDING and application.channel == "in_clinic"
    assert application.clinic == registrar.clinic and application.user is None
    assert application.due_at == dt.datetime(2026, 3, 10, 16, 0, tzinfo=ALMATY)
    assert application.document_type == "image/png" and application.document_name == "spravka.png"
    assert private_storage.exists(application.document)
    assert application.events.get().kind == ApplicationEvent.Kind.SUBMITTED
    approve(registrar, application)  # the same answers apply
    assert Attachment.objects.get(iin=iin).clinic == registrar.clinic


def test_an_in_clinic_application_needs_a_group_and_the_same_rules(registrar, citizen):
    with pytest.raises(services.AttachmentError):
        in_clinic(registrar, iin=citizen.iin, group="")
    approve(registrar, submitted(citizen, registrar.clinic))
    with pytest.raises(services.AttachmentError, match="already attached"):
        in_clinic(registrar, iin=citizen.iin, reason=Reason.RESIDENCE)


def test_an_in_clinic_application_replaces_an_unsigned_online_one(registrar, citizen):
    online = draft(citizen, make_clinic())
    application = in_clinic(registrar, iin=citizen.iin)
    online.refresh_from_db()
    assert online.status == Status.ABANDONED
    assert application.user == citizen  # the citizen sees it in the cabinet


def test_only_registrars_bound_to_a_clinic_enter_applications(make_user, citizen):
    officer = make_fund_officer(make_user)
    with pytest.raises(PermissionDenied):
        in_clinic(officer, iin=person_iin())
