"""The register's services: registration by every channel, numbers, every move and who may make it,
contacts, answers, documents, notifications."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from osms.accounts.models import Role
from osms.appeals import rules, services
from osms.appeals.models import (
    AnswerBy,
    Appeal,
    AppealContact,
    AppealCounter,
    AppealEvent,
    AppealFile,
    Channel,
    LinkKind,
    Status,
    Topic,
)
from osms.appeals.rules import MoveRefused
from osms.clinics.models import Region
from osms.core.calendar import ALMATY
from osms.core.errors import NotPermitted
from osms.core.models import Notification

from .factories import appeal_answered, appeal_file, checked_pdf, clinic_make

pytestmark = pytest.mark.django_db

THU = dt.datetime(2026, 3, 19, 10, 0, tzinfo=ALMATY)


# --- Registration ------------------------------------------------------------------------------------------


def test_a_citizen_files_an_appeal(citizen, django_capture_on_commit_callbacks, sms_outbox):
    clinic = clinic_make(region=Region.ASTANA)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = appeal_file(citizen=citizen, now=THU, clinic=clinic)
    assert appeal.number == "2026-000001"
    assert (appeal.year, appeal.sequence) == (2026, 1)
    assert appeal.status == Status.REGISTERED
    assert appeal.channel == Channel.PORTAL
    assert appeal.applicant == citizen and appeal.applicant_iin == citizen.iin
    assert appeal.registered_by == citizen
    # 15 working days across Nauryz (21-25 March 2026 off): docs/domain.md §10.
    assert appeal.due_at == dt.datetime(2026, 4, 14, 10, 0, tzinfo=ALMATY)
    assert appeal.warn_at == dt.datetime(2026, 4, 9, 10, 0, tzinfo=ALMATY)
    assert appeal.term_working_days == 15
    assert list(appeal.events.values_list("kind", "public")) == [(AppealEvent.Kind.REGISTERED, True)]
    notification = Notification.objects.get(user=citizen)
    assert "2026-000001" in notification.subject
    assert notification.url == f"/ru/appeals/{appeal.number}/"
    assert "2026-000001" in sms_outbox[-1]["text"]


def test_the_notification_is_in_the_citizens_language(make_user):
    citizen = make_user(language="en")
    appeal = appeal_file(citizen=citizen, now=THU)
    notification = Notification.objects.get(user=citizen)
    assert notification.url == f"/en/appeals/{appeal.number}/"


def test_a_citizen_files_only_for_themselves(citizen, make_user):
    other = make_user()
    with pytest.raises(NotPermitted):
        services.appeal_register(
            actor=citizen,
            channel=Channel.PORTAL,
            applicant_iin=other.iin,
            applicant_name="x",
            topic=Topic.OTHER,
            region=Region.ASTANA,
            substance="?",
        )
    with pytest.raises(NotPermitted):
        services.appeal_register(
            actor=citizen,
            channel=Channel.CALL_CENTRE,
            applicant_iin=citizen.iin,
            applicant_name="x",
            topic=Topic.OTHER,
            region=Region.ASTANA,
            substance="?",
        )
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("channel", [c for c in Channel.values if c != Channel.PORTAL])
def test_an_operator_registers_for_a_caller_by_every_channel(operator, channel):
    appeal = services.appeal_register(
        actor=operator,
        channel=channel,
        applicant_iin="900115300129",
        applicant_name="Ахметов Болат",
        contact_phone="+77017654321",
        topic=Topic.MEDICINES,
        region=Region.KARAGANDA,
        substance="Не выдали лекарство по рецепту.",
        answer_by=AnswerBy.PHONE,
        now=THU,
    )
    assert appeal.channel == channel
    assert appeal.registered_by == operator
    assert appeal.applicant is None  # the caller has no account
    assert Notification.objects.count() == 0


def test_an_operators_appeal_reaches_the_callers_account(operator, citizen):
    appeal = services.appeal_register(
        actor=operator,
        channel=Channel.TELEGRAM,
        applicant_iin=citizen.iin,
        applicant_name=citizen.get_full_name(),
        topic=Topic.INSURED_STATUS,
        region=Region.ASTANA,
        substance="Статус не обновился после оплаты.",
        now=THU,
    )
    assert appeal.applicant == citizen
    assert Notification.objects.filter(user=citizen).count() == 1


def test_operators_may_not_use_the_portal_channel_and_citizens_may_not_register_for_callers(operator, citizen):
    with pytest.raises(NotPermitted):
        services.appeal_register(
            actor=operator,
            channel=Channel.PORTAL,
            applicant_iin=citizen.iin,
            applicant_name="x",
            topic=Topic.OTHER,
            region=Region.ASTANA,
            substance="?",
        )


def test_a_registrar_may_not_register_appeals(registrar):
    with pytest.raises(NotPermitted):
        services.appeal_register(
            actor=registrar,
            channel=Channel.IN_PERSON,
            applicant_iin="900115300129",
            applicant_name="x",
            topic=Topic.OTHER,
            region=Region.ASTANA,
            substance="?",
        )


def test_registration_checks_its_input(citizen):
    other_region = clinic_make(region=Region.SHYMKENT)
    with pytest.raises(ValidationError) as caught:
        appeal_file(citizen=citizen, substance="  ", clinic=other_region, answer_by=AnswerBy.POST)
    assert set(caught.value.message_dict) == {"substance", "clinic", "postal_address"}
    with pytest.raises(ValidationError) as caught:
        appeal_file(citizen=citizen, topic=Topic.STATEMENT_SERVICE)  # that topic comes only with a link
    assert set(caught.value.message_dict) == {"topic"}
    assert not Appeal.objects.exists()
    assert not AppealCounter.objects.exists()


def test_a_complaint_about_the_statement_service_is_no_longer_an_appeal_but_earlier_ones_keep_5_days(citizen):
    """One route (docs/adr/0205): the statement service's own complaint; the topic is retired."""
    with pytest.raises(ValidationError) as caught:
        appeal_file(
            citizen=citizen,
            now=THU,
            topic=Topic.STATEMENT_SERVICE,
            link_kind=LinkKind.STATEMENT_REQUEST,
            link_reference="ST-2026-0042",
        )
    assert set(caught.value.message_dict) == {"topic"}
    assert not Appeal.objects.exists()
    assert rules.term_working_days(Topic.STATEMENT_SERVICE) == 5  # rows filed before keep their term


# --- Numbers ---------------------------------------------------------------------------------------------------


def test_numbers_follow_each_other_and_restart_each_year(citizen):
    first = appeal_file(citizen=citizen, now=THU)
    second = appeal_file(citizen=citizen, now=THU)
    # 31 December 2026, 20:00 in Almaty is still 2026 there (15:00 UTC).
    late = appeal_file(citizen=citizen, now=dt.datetime(2026, 12, 31, 20, 0, tzinfo=ALMATY))
    # 1 January 2027, 01:00 in Almaty is 31 December 2026 in UTC: the year is Almaty's.
    new_year = appeal_file(citizen=citizen, now=dt.datetime(2027, 1, 1, 1, 0, tzinfo=ALMATY))
    assert [a.number for a in (first, second, late, new_year)] == [
        "2026-000001",
        "2026-000002",
        "2026-000003",
        "2027-000001",
    ]


def test_a_registration_that_fails_gives_its_number_back(citizen):
    appeal_file(citizen=citizen, now=THU)
    with pytest.raises(RuntimeError), transaction.atomic():
        appeal_file(citizen=citizen, now=THU)
        raise RuntimeError("the database went away after the number was taken")
    assert appeal_file(citizen=citizen, now=THU).number == "2026-000002"


# --- Moves and who may make them ------------------------------------------------------------------------------


def test_the_whole_life_of_an_appeal(citizen, officer, django_capture_on_commit_callbacks, sms_outbox):
    appeal = appeal_file(citizen=citizen, now=THU)
    later = THU + dt.timedelta(days=1)
    services.appeal_assign(actor=officer, appeal=appeal, officer=officer, now=later)
    services.appeal_start(actor=officer, appeal=appeal, now=later)
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.appeal_answer(
            actor=officer, appeal=appeal, text="Запись к терапевту восстановлена.", uploads=[checked_pdf()], now=later
        )
    appeal.refresh_from_db()
    assert appeal.status == Status.ANSWERED
    assert appeal.answered_at == later
    # 10 working days to disagree (docs/adr/0501), from Friday 20 March: Nauryz off, to Wednesday 8 April.
    assert appeal.reopen_until == dt.datetime(2026, 4, 8, 10, 0, tzinfo=ALMATY)
    assert answer.files.count() == 1
    notification = Notification.objects.filter(user=citizen).latest("id")
    assert appeal.number in notification.subject
    assert "Запись" not in notification.body  # the answer's text is read in the cabinet
    assert appeal.number in sms_outbox[-1]["text"]
    services.appeal_accept(actor=citizen, appeal=appeal, now=later)
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED and appeal.closed_at == later
    assert list(appeal.events.values_list("kind", "from_status", "to_status")) == [
        ("registered", "registered", "registered"),
        ("assigned", "registered", "assigned"),
        ("started", "assigned", "in_progress"),
        ("answered", "in_progress", "answered"),
        ("accepted", "answered", "closed"),
    ]


def test_only_a_fund_officer_assigns_and_only_to_a_fund_officer(citizen, officer, operator, registrar, make_user):
    appeal = appeal_file(citizen=citizen)
    for who in (citizen, operator, registrar):
        with pytest.raises(MoveRefused) as refused:
            services.appeal_assign(actor=who, appeal=appeal, officer=officer)
        assert refused.value.code == "actor"
    for whom in (
        operator,
        registrar,
        citizen,
        make_user(role=Role.FUND_OFFICER, birth=dt.date(1970, 1, 1), is_active=False),
    ):
        with pytest.raises(MoveRefused) as refused:
            services.appeal_assign(actor=officer, appeal=appeal, officer=whom)
        assert refused.value.code == "assignee"
    appeal.refresh_from_db()
    assert appeal.status == Status.REGISTERED and appeal.assigned_to is None


def test_an_officer_never_handles_their_own_appeal(officer, other_officer):
    own = appeal_file(citizen=officer)
    with pytest.raises(MoveRefused) as refused:
        services.appeal_assign(actor=other_officer, appeal=own, officer=officer)
    assert refused.value.code == "assignee"
    services.appeal_assign(actor=officer, appeal=own, officer=other_officer)


def test_only_the_officer_in_charge_starts_and_answers(citizen, officer, other_officer):
    appeal = appeal_file(citizen=citizen)
    with pytest.raises(MoveRefused):
        services.appeal_start(actor=officer, appeal=appeal)  # not assigned yet: wrong status
    services.appeal_assign(actor=other_officer, appeal=appeal, officer=officer)
    for who in (other_officer, citizen):
        with pytest.raises(MoveRefused) as refused:
            services.appeal_start(actor=who, appeal=appeal)
        assert refused.value.code == "actor"
    with pytest.raises(MoveRefused) as refused:
        services.appeal_answer(actor=officer, appeal=appeal, text="Ответ")  # must be in progress first
    assert refused.value.code == "status"
    services.appeal_start(actor=officer, appeal=appeal)
    for who in (other_officer, citizen):
        with pytest.raises(MoveRefused):
            services.appeal_answer(actor=who, appeal=appeal, text="Ответ")
    assert not appeal.answers.exists()


def test_handing_over_to_another_officer(citizen, officer, other_officer):
    appeal = appeal_file(citizen=citizen)
    services.appeal_assign(actor=officer, appeal=appeal, officer=officer)
    with pytest.raises(MoveRefused) as refused:
        services.appeal_assign(actor=officer, appeal=appeal, officer=officer)
    assert refused.value.code == "same_assignee"
    services.appeal_start(actor=officer, appeal=appeal)
    services.appeal_assign(actor=officer, appeal=appeal, officer=other_officer)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.assigned_to) == (Status.ASSIGNED, other_officer)
    with pytest.raises(MoveRefused):
        services.appeal_start(actor=officer, appeal=appeal)  # no longer in charge
    services.appeal_start(actor=other_officer, appeal=appeal)


def test_only_the_applicant_accepts_or_disagrees(citizen, officer, make_user, operator):
    appeal = appeal_answered(citizen=citizen, officer=officer, now=THU)
    stranger = make_user()
    for who in (stranger, officer, operator):
        with pytest.raises(MoveRefused) as refused:
            services.appeal_accept(actor=who, appeal=appeal, now=THU)
        assert refused.value.code == "actor"
        with pytest.raises(MoveRefused) as refused:
            services.appeal_reopen(actor=who, appeal=appeal, reason="Не согласен", now=THU)
        assert refused.value.code == "actor"
    appeal.refresh_from_db()
    assert appeal.status == Status.ANSWERED


def test_disagreeing_reopens_with_a_new_term(citizen, officer):
    appeal = appeal_answered(citizen=citizen, officer=officer, now=THU)
    when = dt.datetime(2026, 4, 1, 15, 0, tzinfo=ALMATY)
    services.appeal_reopen(actor=citizen, appeal=appeal, reason="Запись так и не восстановили.", now=when)
    appeal.refresh_from_db()
    assert appeal.status == Status.REOPENED
    assert appeal.reopened_count == 1
    assert appeal.reopen_until is None
    assert appeal.assigned_to == officer  # back to the officer who answered
    assert appeal.due_at == dt.datetime(2026, 4, 22, 15, 0, tzinfo=ALMATY)
    event = appeal.events.get(kind=AppealEvent.Kind.REOPENED)
    assert event.note == "Запись так и не восстановили." and event.public
    services.appeal_start(actor=officer, appeal=appeal, now=when)
    services.appeal_answer(actor=officer, appeal=appeal, text="Запись восстановлена.", now=when)
    assert appeal.answers.count() == 2


def test_disagreeing_after_the_window_is_refused(citizen, officer):
    appeal = appeal_answered(citizen=citizen, officer=officer, now=THU)
    with pytest.raises(MoveRefused) as refused:
        services.appeal_reopen(actor=citizen, appeal=appeal, reason="Поздно", now=appeal.reopen_until)
    assert refused.value.code == "window"
    with pytest.raises(ValidationError):
        services.appeal_reopen(actor=citizen, appeal=appeal, reason="  ", now=THU)


def test_the_sweep_alone_closes_an_answered_appeal(citizen, officer):
    appeal = appeal_answered(citizen=citizen, officer=officer, now=THU)
    with pytest.raises(MoveRefused):
        services.move(appeal=appeal, action="close", actor=officer, now=THU)
    with pytest.raises(MoveRefused):
        services.move(appeal=appeal, action="close", actor=citizen, now=THU)


# --- Contacts -----------------------------------------------------------------------------------------------------


def test_the_first_contact_starts_the_work(citizen, officer):
    clinic = clinic_make()
    appeal = appeal_file(citizen=citizen, now=THU, clinic=clinic)
    services.appeal_assign(actor=officer, appeal=appeal, officer=officer, now=THU)
    contact = services.appeal_contact_record(
        actor=officer,
        appeal=appeal,
        clinic=clinic,
        method=AppealContact.Method.PHONE,
        contacted_at=THU,
        person="Заведующая отделением",
        findings="Пациентке отказали из-за отсутствия прикрепления; прикрепление есть.",
        now=THU + dt.timedelta(hours=1),
    )
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS
    assert contact.recorded_by == officer
    kinds = list(appeal.events.values_list("kind", flat=True))
    assert kinds[-2:] == [AppealEvent.Kind.STARTED, AppealEvent.Kind.CONTACT]
    # The citizen sees that the organisation was contacted, not what was found.
    assert appeal.events.get(kind=AppealEvent.Kind.CONTACT).note == ""


def test_contacts_only_by_the_officer_in_charge_and_while_working(citizen, officer, other_officer):
    appeal = appeal_file(citizen=citizen, now=THU)
    record = lambda who: services.appeal_contact_record(  # noqa: E731
        actor=who,
        appeal=appeal,
        organisation_name="Поликлиника",
        method=AppealContact.Method.LETTER,
        contacted_at=THU,
        findings="Ответ получен.",
        now=THU,
    )
    with pytest.raises(MoveRefused) as refused:
        record(officer)
    assert refused.value.code == "status"
    services.appeal_assign(actor=officer, appeal=appeal, officer=officer, now=THU)
    with pytest.raises(MoveRefused) as refused:
        record(other_officer)
    assert refused.value.code == "actor"
    with pytest.raises(ValidationError):
        services.appeal_contact_record(
            actor=officer,
            appeal=appeal,
            organisation_name="Поликлиника",
            method=AppealContact.Method.LETTER,
            contacted_at=THU + dt.timedelta(days=1),
            findings="Из будущего",
            now=THU,
        )
    record(officer)


# --- Answers -------------------------------------------------------------------------------------------------------


def test_an_answer_by_email_carries_its_text_and_no_sms(make_user, officer, sms_outbox, mailoutbox):
    citizen = make_user(email="asel@example.kz")
    appeal = appeal_file(citizen=citizen, now=THU, answer_by=AnswerBy.EMAIL, contact_email="asel@example.kz")
    services.appeal_assign(actor=officer, appeal=appeal, officer=officer, now=THU)
    services.appeal_start(actor=officer, appeal=appeal, now=THU)
    sent_before = len(sms_outbox)
    services.appeal_answer(actor=officer, appeal=appeal, text="Лекарство выдадут в аптеке № 3.", now=THU)
    notification = Notification.objects.filter(user=citizen).latest("id")
    assert "Лекарство выдадут в аптеке № 3." in notification.body
    assert not notification.deliveries.filter(channel="sms").exists()
    assert notification.deliveries.filter(channel="email").exists()
    assert len(sms_outbox) == sent_before


def test_an_answer_has_at_most_five_documents_and_some_text(citizen, officer):
    appeal = appeal_file(citizen=citizen, now=THU)
    services.appeal_assign(actor=officer, appeal=appeal, officer=officer, now=THU)
    services.appeal_start(actor=officer, appeal=appeal, now=THU)
    with pytest.raises(ValidationError):
        services.appeal_answer(actor=officer, appeal=appeal, text="Ответ", uploads=[checked_pdf()] * 6, now=THU)
    with pytest.raises(ValidationError):
        services.appeal_answer(actor=officer, appeal=appeal, text=" ", now=THU)
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS


# --- The applicant's documents ---------------------------------------------------------------------------------------


def test_documents_wait_as_drafts_and_join_the_appeal(citizen, make_user):
    drafts = [services.appeal_draft_file_add(actor=citizen, checked=checked_pdf(f"{n}.pdf")) for n in range(5)]
    with pytest.raises(ValidationError):
        services.appeal_draft_file_add(actor=citizen, checked=checked_pdf("6.pdf"))
    stranger = make_user()
    theirs = services.appeal_draft_file_add(actor=stranger, checked=checked_pdf("чужой.pdf"))
    appeal = appeal_file(citizen=citizen, draft_file_ids=[d.pk for d in drafts[:3]] + [theirs.pk])
    assert sorted(appeal.files.values_list("name", flat=True)) == ["0.pdf", "1.pdf", "2.pdf"]
    theirs.refresh_from_db()
    assert theirs.appeal is None  # another person's draft is never attached
    assert AppealFile.objects.filter(uploaded_by=citizen, appeal=None).count() == 2


def test_removing_a_draft_document_removes_the_file(citizen, django_capture_on_commit_callbacks):
    from osms.core.uploads import private_storage

    draft = services.appeal_draft_file_add(actor=citizen, checked=checked_pdf())
    assert private_storage.exists(draft.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.appeal_draft_file_remove(actor=citizen, file_id=draft.pk)
    assert not private_storage.exists(draft.file.name)
