"""The back office through its URLs: operators register appeals for callers; fund officers see the queues,
assign, start, record contacts and answer; nobody else can; every opening is an audited read."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from osms.accounts.models import Role
from osms.accounts.roles import roles_sync
from osms.appeals import services
from osms.appeals.models import Appeal, AppealContact, Channel, Status, Topic
from osms.clinics.models import Region

from .factories import appeal_file, clinic_make, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles():
    roles_sync()  # the groups carry ROLE_PERMISSIONS, as after every migrate


def admin_url(name: str, *args, **kwargs) -> str:
    return reverse(f"admin:appeals_appeal_{name}", args=args, kwargs=kwargs)


def test_an_operator_registers_an_appeal_for_a_caller(staff_client, operator, citizen):
    client = staff_client(operator)
    clinic = clinic_make(region=Region.KARAGANDA)
    assert client.get(admin_url("add"))["Location"] == admin_url("register")
    page = client.get(admin_url("register"))
    assert page.status_code == 200
    response = client.post(
        admin_url("register"),
        {
            "channel": Channel.CALL_CENTRE,
            "applicant_iin": citizen.iin,
            "applicant_name": "Сериков Арман",
            "contact_phone": "8 701 765 43 21",
            "topic": Topic.SERVICE_REFUSAL,
            "region": Region.KARAGANDA,
            "clinic": clinic.pk,
            "substance": "Отказали в вызове врача на дом.",
            "answer_by": "phone",
            "files": [SimpleUploadedFile("рецепт.pdf", pdf_bytes())],
        },
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert appeal.channel == Channel.CALL_CENTRE and appeal.registered_by == operator
    assert appeal.applicant == citizen and appeal.contact_phone == "+77017654321"
    assert appeal.files.count() == 1
    # The operator reads the appeal (to tell a caller where it stands) but cannot handle it.
    page = client.get(admin_url("change", appeal.pk))
    assert page.status_code == 200
    assert 'id="appeal-handling"' not in page.content.decode()
    assert client.post(admin_url("assign", appeal.pk), {"to_me": "1"}).status_code == 403
    assert client.get(admin_url("answer", appeal.pk)).status_code == 403
    assert client.get(admin_url("file", file_id=appeal.files.get().pk)).status_code == 403


def test_the_register_form_reports_what_is_wrong(staff_client, operator):
    client = staff_client(operator)
    response = client.post(
        admin_url("register"),
        {
            "channel": Channel.QOLDAU,
            "applicant_iin": "900115300128",  # a wrong check digit
            "applicant_name": "Ахметов",
            "topic": Topic.OTHER,
            "region": Region.ASTANA,
            "substance": "Вопрос",
            "answer_by": "email",
        },
    )
    assert response.status_code == 200
    assert not Appeal.objects.exists()
    response = client.post(
        admin_url("register"),
        {
            "channel": Channel.QOLDAU,
            "applicant_iin": "900115300129",
            "applicant_name": "Ахметов",
            "topic": Topic.OTHER,
            "region": Region.ASTANA,
            "substance": "Вопрос",
            "answer_by": "email",
        },
    )
    assert response.status_code == 200
    assert "email" in response.content.decode()
    assert not Appeal.objects.exists()


def test_an_officer_handles_an_appeal_in_the_back_office(staff_client, officer, citizen):
    clinic = clinic_make()
    appeal = appeal_file(citizen=citizen, clinic=clinic)
    client = staff_client(officer)

    listing = client.get(reverse("admin:appeals_appeal_changelist")).content.decode()
    assert appeal.number in listing
    queues = client.get(admin_url("queues")).content.decode()
    assert str(Region.ASTANA.label) in queues and str(Topic.SERVICE_QUALITY.label) in queues

    page = client.get(admin_url("change", appeal.pk)).content.decode()
    assert 'id="appeal-handling"' in page and "Терапевт отказал" in page
    client.post(admin_url("assign", appeal.pk), {"to_me": "1"})
    appeal.refresh_from_db()
    assert (appeal.status, appeal.assigned_to) == (Status.ASSIGNED, officer)

    client.post(admin_url("start", appeal.pk))
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS

    assert client.get(admin_url("contact", appeal.pk)).status_code == 200
    response = client.post(
        admin_url("contact", appeal.pk),
        {
            "clinic": clinic.pk,
            "method": AppealContact.Method.PHONE,
            "contacted_at": "19.03.2026 11:30",
            "person": "Главный врач",
            "findings": "Терапевт принимает только по записи; пациентку запишут.",
        },
    )
    assert response.status_code == 302
    assert appeal.contacts.get().findings.startswith("Терапевт принимает")

    response = client.post(
        admin_url("answer", appeal.pk),
        {"text": "Вас записали к терапевту на 21.03.", "files": [SimpleUploadedFile("ответ.pdf", pdf_bytes())]},
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.ANSWERED
    document = appeal.answers.get().files.get()
    download = client.get(admin_url("file", file_id=document.pk))
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(document.pk)).exists()


def test_opening_an_appeal_is_an_audited_read(staff_client, officer, citizen):
    appeal = appeal_file(citizen=citizen)
    staff_client(officer).get(admin_url("change", appeal.pk))
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_pk=str(appeal.pk))
    assert entry.actor == officer


def test_assigning_to_another_officer_and_the_list_action(staff_client, officer, other_officer, citizen):
    first = appeal_file(citizen=citizen)
    second = appeal_file(citizen=citizen)
    client = staff_client(officer)
    client.post(admin_url("assign", first.pk), {"officer": other_officer.pk})
    first.refresh_from_db()
    assert first.assigned_to == other_officer
    response = client.post(
        reverse("admin:appeals_appeal_changelist"),
        {"action": "assign_to_me", "_selected_action": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.assigned_to == officer and second.assigned_to == officer


def test_only_the_officer_in_charge_answers_in_the_back_office(staff_client, officer, other_officer, citizen):
    appeal = appeal_file(citizen=citizen)
    services.appeal_assign(actor=officer, appeal=appeal, officer=officer)
    services.appeal_start(actor=officer, appeal=appeal)
    client = staff_client(other_officer)
    page = client.get(admin_url("change", appeal.pk)).content.decode()
    assert admin_url("answer", appeal.pk) not in page
    client.post(admin_url("answer", appeal.pk), {"text": "Ответ не того сотрудника"})
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS and not appeal.answers.exists()


def test_the_queues_filter_by_deadline(staff_client, officer, citizen):
    late = appeal_file(citizen=citizen, now=dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC))
    fresh = appeal_file(citizen=citizen)
    page = staff_client(officer).get(reverse("admin:appeals_appeal_changelist") + "?deadline=overdue").content.decode()
    assert late.number in page and fresh.number not in page


@pytest.mark.parametrize("role", [Role.CLINIC_REGISTRAR, Role.CITIZEN])
def test_others_see_nothing(staff_client, make_user, citizen, role):
    appeal = appeal_file(citizen=citizen)
    user = make_user(role=role, birth=dt.date(1966, 6, 6), is_staff=True)
    client = staff_client(user)
    assert client.get(reverse("admin:appeals_appeal_changelist")).status_code == 403
    assert client.get(admin_url("change", appeal.pk)).status_code in (302, 403)
    assert client.get(admin_url("register")).status_code == 403
    assert client.get(admin_url("queues")).status_code == 403
    assert client.post(admin_url("assign", appeal.pk), {"to_me": "1"}).status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == Status.REGISTERED
