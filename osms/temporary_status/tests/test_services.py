"""The services: the draft, the SMS-confirmed submission, the decision, and what the status answer says."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format

from osms.accounts.codes import CodeError
from osms.core.calendar import ALMATY
from osms.core.models import Notification
from osms.coverage.models import BenefitCategory, BenefitMembership
from osms.coverage.selectors import status_answer
from osms.temporary_status import selectors, services
from osms.temporary_status.models import TemporaryStatusEvent, TemporaryStatusRequest
from osms.temporary_status.services import TemporaryStatusError

from .factories import code_send, draft, last_code, pdf, submitted

Status = TemporaryStatusRequest.Status


def short(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


Event = TemporaryStatusEvent.Kind
NOW = dt.datetime(2026, 11, 23, 11, 0, tzinfo=ALMATY)  # Monday


def test_a_draft_lives_in_the_database_and_changing_category_keeps_shared_documents(student):
    started = services.temporary_status_start(actor=student, category=3)
    services.temporary_status_document_upload(
        actor=student, request=started, kind="The child's birth certificate", file=pdf()
    )
    # Category 4 needs the same birth certificate: it stays. Category 8 does not: it goes.
    again = services.temporary_status_start(actor=student, category=4)
    assert again.pk == started.pk and again.category_id == 4
    assert list(again.documents.values_list("kind", flat=True)) == ["The child's birth certificate"]
    services.temporary_status_start(actor=student, category=8)
    assert not again.documents.exists()
    kinds = list(again.events.values_list("kind", flat=True))
    assert kinds == [Event.STARTED, Event.DOCUMENT_UPLOADED, Event.CATEGORY_CHANGED, Event.CATEGORY_CHANGED]


def test_categories_14_and_15_cannot_be_asked_for(student):
    assert set(selectors.categories_by_application().values_list("number", flat=True)) == set(range(1, 14))
    for number in (14, 15):
        with pytest.raises(TemporaryStatusError):
            services.temporary_status_start(actor=student, category=number)


def test_a_document_the_category_does_not_need_is_refused(student):
    started = services.temporary_status_start(actor=student, category=10)
    with pytest.raises(TemporaryStatusError):
        services.temporary_status_document_upload(
            actor=student, request=started, kind="Veteran's certificate", file=pdf()
        )


def test_another_citizen_cannot_touch_a_draft(student, make_user):
    started = draft(student, upload=False)
    with pytest.raises(PermissionDenied):
        services.temporary_status_document_upload(
            actor=make_user(), request=started, kind=started.category.documents[0], file=pdf()
        )


def test_submission_needs_every_document_and_the_right_code(student, sms_outbox):
    started = draft(student, category=6, upload=False)
    services.temporary_status_document_upload(actor=student, request=started, kind="Disability certificate", file=pdf())
    with pytest.raises(TemporaryStatusError):
        services.temporary_status_code_send(actor=student, request=started)
    for kind in ("The child's birth certificate", "Unemployment registration certificate"):
        services.temporary_status_document_upload(actor=student, request=started, kind=kind, file=pdf())
    code_send(student, started)
    with pytest.raises(CodeError):
        wrong = "000000" if last_code(sms_outbox, student.phone) != "000000" else "111111"
        services.temporary_status_submit(actor=student, request=started, code=wrong)
    sent = services.temporary_status_submit(
        actor=student, request=started, code=last_code(sms_outbox, student.phone), now=NOW
    )
    assert sent.status == Status.SUBMITTED
    assert sent.number == f"TS-2026-{sent.pk:06d}"
    # 3 working days on the business calendar, stored when sent.
    assert sent.review_due_at == dt.datetime(2026, 11, 26, 11, 0, tzinfo=ALMATY)


def test_a_code_is_used_up_only_with_the_submission_it_confirms(student, sms_outbox, monkeypatch):
    """A failure while the request is being sent (the calendar or the database away) leaves the
    citizen's code good for the next try; a wrong code's try is counted all the same."""
    from osms.temporary_status.services import drafts

    started = draft(student)
    code_send(student, started)
    code = last_code(sms_outbox, student.phone)
    with pytest.raises(CodeError):
        services.temporary_status_submit(actor=student, request=started, code="000000" if code != "000000" else "1")
    assert student.one_time_codes.get(subject=f"temporary:{started.pk}").attempts == 1

    def calendar_away(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(drafts, "business_calendar", calendar_away)
    with pytest.raises(ConnectionError):
        services.temporary_status_submit(actor=student, request=started, code=code)
    started.refresh_from_db()
    assert started.status == Status.DRAFT and not started.number
    assert student.one_time_codes.filter(subject=f"temporary:{started.pk}", used_at__isnull=True).exists()

    monkeypatch.undo()
    sent = services.temporary_status_submit(actor=student, request=started, code=code)
    assert sent.status == Status.SUBMITTED
    assert not student.one_time_codes.filter(subject=f"temporary:{started.pk}", used_at__isnull=True).exists()


def test_a_code_for_one_request_cannot_send_another(student, make_user, sms_outbox):
    first = draft(student)
    code_send(student, first)
    code = last_code(sms_outbox, student.phone)
    services.temporary_status_cancel(actor=student, request=first)
    second = draft(student)
    with pytest.raises(CodeError):
        services.temporary_status_submit(actor=student, request=second, code=code)


def test_a_citizen_insured_meanwhile_cannot_send(student, sms_outbox):
    started = draft(student)
    code_send(student, started)
    BenefitMembership.objects.create(iin=student.iin, category_id=10, start=dt.date(2026, 9, 1))
    with pytest.raises(TemporaryStatusError):
        services.temporary_status_submit(actor=student, request=started, code=last_code(sms_outbox, student.phone))


def test_approval_makes_the_status_answer_insured_at_once(
    student, officer, sms_outbox, django_capture_on_commit_callbacks
):
    sent = submitted(student, sms_outbox, now=NOW)
    today = NOW.date()
    assert status_answer(iin=student.iin, on=today).insured is False
    approved_at = NOW + dt.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        approved = services.temporary_status_approve(actor=officer, request=sent, now=approved_at)
    answer = status_answer(iin=student.iin, on=today)
    assert answer.insured is True
    assert answer.rule == "benefit" and answer.benefit_category == 10
    membership = approved.membership
    assert membership.temporary and membership.source == BenefitMembership.Source.TEMPORARY_STATUS
    # One month from approval: 23 November to 22 December inclusive.
    assert (membership.start, membership.end) == (dt.date(2026, 11, 23), dt.date(2026, 12, 22))
    assert (approved.status_from, approved.status_until) == (membership.start, membership.end)
    assert status_answer(iin=student.iin, on=dt.date(2026, 12, 22)).insured is True
    # The citizen is told, in the cabinet and by SMS.
    notification = Notification.objects.filter(user=student).latest("created_at")
    assert approved.number in notification.body and short(dt.date(2026, 12, 22)) in notification.body
    assert any(approved.number in message["text"] for message in sms_outbox)
    assert approved.events.filter(kind=Event.APPROVED, actor=officer).exists()
    assert LogEntry.objects.get_for_object(approved).exists()


def test_only_a_fund_officer_decides_and_never_on_their_own_request(student, make_user, sms_outbox, officer):
    sent = submitted(student, sms_outbox)
    with pytest.raises(PermissionDenied):
        services.temporary_status_approve(actor=make_user(role="clinic_registrar"), request=sent)
    # An officer whose own IIN the request is for.
    sent.iin = officer.iin
    sent.save(update_fields=["iin"])
    with pytest.raises(TemporaryStatusError):
        services.temporary_status_approve(actor=officer, request=sent)


def test_a_decided_request_is_not_decided_again(student, officer, sms_outbox):
    sent = submitted(student, sms_outbox)
    services.temporary_status_approve(actor=officer, request=sent)
    with pytest.raises(TemporaryStatusError):
        services.temporary_status_approve(actor=officer, request=sent)
    with pytest.raises(TemporaryStatusError):
        services.temporary_status_refuse(actor=officer, request=sent, reason="unreadable", text="Размыто.")
    assert BenefitMembership.objects.filter(iin=student.iin).count() == 1


def test_refusal_gives_a_reason_and_the_citizen_may_ask_again(
    student, officer, sms_outbox, django_capture_on_commit_callbacks
):
    sent = submitted(student, sms_outbox)
    with pytest.raises(TemporaryStatusError):
        services.temporary_status_refuse(actor=officer, request=sent, reason="unreadable", text="  ")
    with pytest.raises(TemporaryStatusError):
        services.temporary_status_refuse(actor=officer, request=sent, reason="no-such-reason", text="Текст")
    with django_capture_on_commit_callbacks(execute=True):
        refused = services.temporary_status_refuse(
            actor=officer, request=sent, reason="unreadable", text="Справка размыта, нижняя часть обрезана"
        )
    assert refused.status == Status.REFUSED and refused.membership is None
    assert status_answer(iin=student.iin, on=timezone.localdate()).insured is False
    body = Notification.objects.filter(user=student).latest("created_at").body
    assert "Справка размыта, нижняя часть обрезана." in body
    assert selectors.eligibility_of(user=student).eligibility.allowed
    again = draft(student)
    assert again.pk != refused.pk and again.status == Status.DRAFT


def test_one_open_request_at_a_time(student, sms_outbox):
    submitted(student, sms_outbox)
    with pytest.raises(TemporaryStatusError):
        services.temporary_status_start(actor=student, category=10)


def test_an_insured_citizen_may_not_start(student):
    BenefitMembership.objects.create(iin=student.iin, category_id=8, start=dt.date(2020, 1, 1))
    with pytest.raises(TemporaryStatusError):
        services.temporary_status_start(actor=student, category=10)


def test_every_category_needs_exactly_its_documents(db):
    # The data the pages ask for is the coverage app's table of docs/domain.md §5 (seed 004).
    expected = {
        1: ["Birth certificate"],
        2: ["Certificate form 027/u"],
        3: ["The child's birth certificate"],
        4: ["The child's birth certificate"],
        5: ["Document confirming the award"],
        6: ["Disability certificate", "The child's birth certificate", "Unemployment registration certificate"],
        7: ["Disability certificate", "Identity document"],
        8: ["Disability certificate"],
        9: ["Identity document", "Veteran's certificate"],
        10: ["Certificate from the place of study or student card"],
        11: ["Unemployment registration certificate"],
        12: ["Certificate confirming targeted social assistance"],
        13: ["Kandas certificate", "Unemployment registration certificate"],
        14: [],
        15: [],
    }
    assert {category.number: category.documents for category in BenefitCategory.objects.all()} == expected
