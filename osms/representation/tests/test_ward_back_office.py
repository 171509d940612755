"""What others see of a record made for a ward (docs/adr/0702-services-for-a-ward.md): the back office
names the ward and the representative, the audit trail too; notifications go to the representative and
name the ward; My status names the ward; the cabinet offers each service for the ward in one step."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from osms.accounts.models import Role
from osms.appeals.models import Appeal
from osms.clinics.models import AttachmentApplication
from osms.clinics.tests.factories import make_clinic, make_registrar
from osms.core.models import Notification
from osms.representation.acting import for_user
from osms.representation.services import request_approve, request_submit
from osms.statements.models import StatementRequest
from osms.temporary_status.models import TemporaryStatusRequest

from .conftest import pdf, person
from .test_ward_services import make_record, subject_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund_officer(make_user):
    return make_user(role=Role.FUND_OFFICER, birth=dt.date(1984, 4, 4), last_name="Фондов", first_name="Ерлан")


def _sent(user, draft):
    from osms.temporary_status import services

    services.temporary_status_document_upload(actor=user, request=draft, kind="Birth certificate", file=pdf())
    return services._submit_confirmed(actor=user, request=draft)


@pytest.mark.parametrize(
    ("service", "model", "admin_name"),
    [
        ("statements", StatementRequest, "statements_statementrequest"),
        ("temporary_status", TemporaryStatusRequest, "temporary_status_temporarystatusrequest"),
        ("appeals", Appeal, "appeals_appeal"),
    ],
)
def test_the_back_office_names_the_ward_and_the_representative(
    service, model, admin_name, staff_client, fund_officer, make_user, parent, child
):
    from django.contrib.auth.models import Permission

    record, _url = make_record(service, parent, subject_for(parent, child.iin))
    if service == "temporary_status":
        fund_officer.user_permissions.add(*Permission.objects.filter(content_type__app_label="temporary_status"))
    if service == "statements":
        fund_officer.user_permissions.add(*Permission.objects.filter(content_type__app_label="statements"))
    teen = make_user(birth=dt.date(2012, 3, 4))  # files for themself (category 1 fits a child)
    own = make_record(service, teen, for_user(teen))[0]
    if service == "temporary_status":  # the back office sees sent requests, never drafts
        record, own = _sent(parent, record), _sent(teen, own)
    client = staff_client(fund_officer)
    changelist = reverse(f"admin:{admin_name}_changelist")
    filtered = client.get(changelist, {"filed_by": "representative"})
    assert filtered.status_code == 200
    assert list(filtered.context["cl"].result_list) == [model.objects.get(pk=record.pk)]
    assert own.pk in [item.pk for item in client.get(changelist, {"filed_by": "self"}).context["cl"].result_list]
    page = client.get(reverse(f"admin:{admin_name}_change", args=[record.pk])).content.decode()
    assert child.iin in page
    assert f"Серикова Асель, IIN {parent.iin}" in page


def test_the_registrar_sees_the_application_naming_the_child_and_the_parent(staff_client, make_user, parent, child):
    clinic = make_clinic()
    registrar = make_registrar(make_user, clinic)
    record = AttachmentApplication.objects.create(
        iin=child.iin,
        user=parent,
        representative_iin=parent.iin,
        created_by=parent,
        last_name=child.last_name,
        first_name=child.first_name,
        clinic=clinic,
        reason="first",
        locality="Астана",
        street="пр. Абая",
        house="1",
        phone=parent.phone,
        number="AT-0000077",
        status=AttachmentApplication.Status.PENDING,
        submitted_at=dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC),
        due_at=dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC),
    )
    client = staff_client(registrar)
    listed = client.get(reverse("admin:clinics_attachmentapplication_changelist"), {"filed_by": "representative"})
    assert [item.pk for item in listed.context["cl"].result_list] == [record.pk]
    page = client.get(reverse("admin:clinics_attachmentapplication_change", args=[record.pk])).content.decode()
    assert child.iin in page and "Айлин" in page
    assert f"Серикова Асель, IIN {parent.iin}" in page


@pytest.mark.parametrize("service", ("statements", "temporary_status", "appeals"))
def test_the_audit_trail_names_the_ward_and_the_representative(service, parent, child):
    record, _url = make_record(service, parent, subject_for(parent, child.iin))
    entry = LogEntry.objects.get_for_object(record).first()
    assert entry.additional_data == {"ward_iin": child.iin, "representative_iin": parent.iin}


def test_notifications_go_to_the_representative_and_name_the_ward(parent, child):
    record, _url = make_record("appeals", parent, subject_for(parent, child.iin))
    note = Notification.objects.filter(user=parent).latest("pk")
    assert "Серикова Айлин" in note.body.split(".")[0]  # the first line names the ward, in the parent's language
    assert record.number in note.subject


def test_the_approval_notice_names_the_ward_by_name(make_user, fund_officer):
    mother = make_user(birth=dt.date(1994, 4, 4), last_name="Ермекова", first_name="Динара")
    baby = person(dt.date(2026, 9, 9), first_name="Аяла", last_name="Ермекова")
    from django.contrib.auth.models import Permission

    fund_officer.user_permissions.add(Permission.objects.get(codename="review_representationrequest"))
    asked = request_submit(actor=mother, ward_iin=baby.iin, ground="parent", document=pdf())
    request_approve(actor=fund_officer, request=asked)
    note = Notification.objects.filter(user=mother).latest("pk")
    assert "Ермекова Аяла" in note.body and baby.iin not in note.body


def test_my_status_names_the_ward(client, parent, child):
    client.force_login(parent)
    client.post(reverse("representation:switch"), {"ward": child.iin})
    page = client.get(reverse("coverage:my_status")).content.decode()
    assert "Айлин is not insured" in page or "Айлин is insured" in page
    assert "You are not insured" not in page and "You are insured" not in page


def test_the_cabinet_attaches_the_ward_to_a_clinic_in_one_step_from_the_parents_own(client, parent, child):
    from osms.clinics.models import Attachment

    clinic = make_clinic(is_fund_supplier=True)
    Attachment.objects.create(
        iin=parent.iin,
        clinic=clinic,
        district_number=1,
        doctor_name="Доктор",
        started_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    )
    AttachmentApplication.objects.create(
        iin=parent.iin,
        user=parent,
        created_by=parent,
        last_name="Серикова",
        first_name="Асель",
        clinic=clinic,
        reason="first",
        locality="Астана",
        street="ул. Кенесары",
        house="40",
        flat="12",
        phone=parent.phone,
        number="AT-0000088",
        status=AttachmentApplication.Status.APPROVED,
    )
    client.force_login(parent)
    wards = client.get(reverse("representation:wards")).content.decode()
    assert "Attach Айлин to a clinic" in wards
    response = client.post(reverse("representation:switch"), {"ward": child.iin, "next": reverse("clinics:apply")})
    assert response.url == reverse("clinics:apply")
    # The parent's clinic, address and phone are the first answers: straight to "check your answers".
    response = client.get(reverse("clinics:apply"), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("clinics:apply_check")
    assert "ул. Кенесары" in page
    assert clinic.name_ru in page or clinic.name_kk in page
