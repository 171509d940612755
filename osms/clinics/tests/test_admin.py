"""The back office: a registrar sees and answers only their own clinic's applications, through every
URL and action; fund officers see all, read-only, with the overdue list and the figures."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.admin import helpers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from osms.clinics.models import Attachment, AttachmentApplication, Clinic
from osms.core.calendar import ALMATY

from .factories import (
    in_clinic,
    make_clinic,
    make_fund_officer,
    make_registrar,
    person_iin,
    png_upload,
    submitted,
)

pytestmark = pytest.mark.django_db
Status = AttachmentApplication.Status
FRIDAY = dt.datetime(2026, 3, 6, 16, 0, tzinfo=ALMATY)


@pytest.fixture
def ours():
    return make_clinic()


@pytest.fixture
def theirs():
    return make_clinic()


@pytest.fixture
def registrar(make_user, ours):
    return make_registrar(make_user, ours)


@pytest.fixture
def registrar_client(staff_client, registrar):
    return staff_client(registrar)


def admin_url(name, *args):
    return reverse(f"admin:clinics_attachmentapplication_{name}", args=args)


def applicant(make_user):
    return make_user(iin=person_iin(), phone="+77019990000")


def test_the_list_shows_only_the_registrar_s_clinic_nearest_deadline_first(
    registrar_client, make_user, ours, theirs, time_machine
):
    time_machine.move_to(FRIDAY, tick=False)
    earlier = submitted(applicant(make_user), ours)
    time_machine.move_to(FRIDAY + dt.timedelta(hours=1), tick=False)
    later = submitted(applicant(make_user), ours)
    foreign = submitted(applicant(make_user), theirs)
    time_machine.move_to(dt.datetime(2026, 3, 10, 10, 0, tzinfo=ALMATY), tick=False)
    response = registrar_client.get(admin_url("changelist"))
    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert listed == [earlier, later]
    assert foreign.number not in response.content.decode()
    # Tuesday 10:00; due Tuesday 16:00 (working time: 10-13 and 14:30-16): 4 h 30 min left.
    assert "4 h 30 min" in response.content.decode()
    response = registrar_client.get(admin_url("changelist"), {"q": foreign.number})
    assert list(response.context["cl"].result_list) == []


def test_another_clinic_s_application_is_not_there_by_any_url(registrar_client, make_user, theirs):
    foreign = in_clinic(make_registrar(make_user, theirs), iin=person_iin())
    for name, method in (
        ("change", "get"),
        ("history", "get"),
        ("document", "get"),
        ("approve", "post"),
        ("refuse", "post"),
    ):
        response = getattr(registrar_client, method)(admin_url(name, foreign.pk), {})
        assert response.status_code in (302, 404), name
        if response.status_code == 302:
            assert response["Location"] == reverse("admin:index")
    district = theirs.districts.get(number=1)
    response = registrar_client.post(
        admin_url("approve", foreign.pk), {"district": district.pk, "doctor": district.doctor_id}
    )
    assert response.status_code == 404
    response = registrar_client.post(admin_url("refuse", foreign.pk), {"reason": "capacity", "explanation": "Нет"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Status.PENDING and not Attachment.objects.exists()


def test_an_admin_action_cannot_reach_another_clinic_s_application(registrar_client, make_user, ours, theirs):
    mine = submitted(applicant(make_user), ours, street="пр. Абая", house="5")
    foreign = submitted(applicant(make_user), theirs, street="пр. Абая", house="5")
    response = registrar_client.post(
        admin_url("changelist"),
        {"action": "approve_suggested", helpers.ACTION_CHECKBOX_NAME: [mine.pk, foreign.pk]},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    foreign.refresh_from_db()
    assert mine.status == Status.APPROVED and mine.district.number == 1
    assert foreign.status == Status.PENDING


def test_the_answer_page_suggests_the_district_from_the_address(registrar_client, make_user, ours):
    application = submitted(applicant(make_user), ours, street="проспект Абая", house="41А")
    response = registrar_client.get(admin_url("change", application.pk))
    assert response.status_code == 200
    assert [district.number for district in response.context["suggestions"]] == [2]
    form = response.context["approve_form"]
    assert form.initial["district"] == ours.districts.get(number=2).pk
    assert form.initial["doctor"] == ours.districts.get(number=2).doctor_id
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(application.pk)).exists()


def test_the_registrar_approves_choosing_district_and_doctor(registrar_client, make_user, ours, registrar):
    person = applicant(make_user)
    application = submitted(person, ours)
    district = ours.districts.get(number=2)
    other_doctor = ours.districts.get(number=1).doctor
    response = registrar_client.post(
        admin_url("approve", application.pk), {"district": district.pk, "doctor": other_doctor.pk}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(iin=person.iin)
    assert (attachment.district_number, attachment.doctor_name) == (2, other_doctor.full_name)
    assert registrar_client.get(admin_url("approve", application.pk)).status_code == 405


def test_a_district_of_another_clinic_cannot_be_posted(registrar_client, make_user, ours, theirs):
    application = submitted(applicant(make_user), ours)
    foreign = theirs.districts.get(number=1)
    response = registrar_client.post(
        admin_url("approve", application.pk), {"district": foreign.pk, "doctor": foreign.doctor_id}
    )
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == Status.PENDING


def test_a_refusal_needs_a_ground_and_an_explanation(registrar_client, make_user, ours):
    application = submitted(applicant(make_user), ours)
    response = registrar_client.post(admin_url("refuse", application.pk), {"reason": "capacity", "explanation": ""})
    assert response.status_code == 400 and response.context["refuse_form"].errors["explanation"]
    response = registrar_client.post(admin_url("refuse", application.pk), {"reason": "", "explanation": "Мест нет"})
    assert response.status_code == 400 and response.context["refuse_form"].errors["reason"]
    response = registrar_client.post(
        admin_url("refuse", application.pk), {"reason": "capacity", "explanation": "Мест нет; обратитесь в № 3."}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.REFUSED and application.refusal_explanation == "Мест нет; обратитесь в № 3."


def test_the_registrar_enters_an_application_at_the_clinic(registrar_client, ours, registrar):
    iin = person_iin()
    data = {
        "iin": iin,
        "last_name": "Байжанова",
        "first_name": "Гульмира",
        "patronymic": "",
        "phone": "8 701 555 11 22",
        "group": "disability",
        "reason": "first",
        "locality": "Астана",
        "street": "ул. Кенесары",
        "house": "3",
        "flat": "",
    }
    response = registrar_client.post(
        admin_url("add"), {**data, "document": SimpleUploadedFile("fake.pdf", b"not a pdf at all")}
    )
    assert response.status_code == 200 and response.context["form"].errors["document"]
    upload = SimpleUploadedFile("справка.png", png_upload().read(), content_type="image/png")
    response = registrar_client.post(admin_url("add"), {**data, "document": upload})
    application = AttachmentApplication.objects.get(iin=iin)
    assert response["Location"] == admin_url("change", application.pk)
    assert application.clinic == ours and application.group == "disability" and application.phone == "+77015551122"
    document = registrar_client.get(admin_url("document", application.pk))
    assert document.status_code == 200 and document["Content-Type"] == "image/png"
    assert document["X-Content-Type-Options"] == "nosniff"


def test_fund_officers_see_every_clinic_but_cannot_answer(staff_client, make_user, ours, theirs):
    officer = make_fund_officer(make_user)
    client = staff_client(officer)
    mine = submitted(applicant(make_user), ours)
    foreign = submitted(applicant(make_user), theirs)
    response = client.get(admin_url("changelist"))
    assert set(response.context["cl"].result_list) == {mine, foreign}
    page = client.get(admin_url("change", foreign.pk))
    assert page.status_code == 200 and not page.context["may_answer"]
    district = theirs.districts.get(number=1)
    response = client.post(admin_url("approve", foreign.pk), {"district": district.pk, "doctor": district.doctor_id})
    assert response.status_code == 403
    assert client.get(admin_url("add")).status_code == 403


def test_the_fund_s_overdue_list(staff_client, make_user, ours, theirs, time_machine):
    officer = make_fund_officer(make_user)
    time_machine.move_to(FRIDAY, tick=False)
    late = submitted(applicant(make_user), theirs)
    time_machine.move_to(dt.datetime(2026, 3, 10, 15, 0, tzinfo=ALMATY), tick=False)
    submitted(applicant(make_user), ours)  # not yet due
    time_machine.move_to(dt.datetime(2026, 3, 10, 17, 0, tzinfo=ALMATY), tick=False)
    client = staff_client(officer)
    response = client.get(reverse("admin:clinics_overdueapplication_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [late]
    assert "overdue by 1 h 00 min" in response.content.decode()


def test_registrars_do_not_get_the_fund_s_screens(registrar_client):
    assert registrar_client.get(reverse("admin:clinics_overdueapplication_changelist")).status_code == 403
    assert registrar_client.get(admin_url("figures")).status_code == 403
    assert registrar_client.get(reverse("admin:clinics_attachmentpolicy_changelist")).status_code == 403


def test_a_registrar_sees_only_their_own_clinic_in_the_clinics_list(registrar_client, ours, theirs):
    response = registrar_client.get(reverse("admin:clinics_clinic_changelist"))
    assert list(response.context["cl"].result_list) == [ours]
    assert registrar_client.get(reverse("admin:clinics_clinic_change", args=[theirs.pk])).status_code == 302


def test_figures_per_clinic(staff_client, make_user, ours, theirs, time_machine):
    from osms.clinics import services

    officer = make_fund_officer(make_user)
    our_registrar = make_registrar(make_user, ours)
    time_machine.move_to(FRIDAY, tick=False)
    first, second, third = (submitted(applicant(make_user), ours) for _ in range(3))
    submitted(applicant(make_user), theirs)
    district = ours.districts.get(number=1)
    time_machine.move_to(dt.datetime(2026, 3, 10, 10, 0, tzinfo=ALMATY), tick=False)  # 3 h 30 min of working time
    services.application_approve(actor=our_registrar, application=first, district=district, doctor=district.doctor)
    time_machine.move_to(dt.datetime(2026, 3, 11, 10, 0, tzinfo=ALMATY), tick=False)  # late: 11 h 30 min
    services.application_refuse(actor=our_registrar, application=second, reason="capacity", explanation="Мест нет")
    response = staff_client(officer).get(admin_url("figures"), {"date_from": "2026-03-01", "date_to": "2026-03-31"})
    assert response.status_code == 200
    rows = {row.clinic: row for row in response.context["rows"]}
    ours_row = rows[ours]
    assert (ours_row.applications, ours_row.approved, ours_row.refused, ours_row.pending) == (3, 1, 1, 1)
    assert ours_row.refusals == {"capacity": 1}
    assert ours_row.median_answer == dt.timedelta(hours=7, minutes=30)
    # In time: the approval; late: the refusal and the third, still unanswered past its deadline.
    assert ours_row.share_in_time == pytest.approx(1 / 3)
    assert rows[theirs].applications == 1 and rows[theirs].overdue == 1
    assert "33%" in response.content.decode()
    assert third.status == Status.PENDING
    assert Clinic.objects.count() == 2


def test_the_list_s_queries_do_not_grow_with_its_rows(registrar_client, make_user, ours):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert registrar_client.get(admin_url("changelist")).status_code == 200
        return len(queries)

    submitted(applicant(make_user), ours)
    count()  # the first request also saves the session
    few = count()
    for _ in range(5):
        submitted(applicant(make_user), ours)
    assert count() == few


def test_fund_officers_edit_clinics_and_the_re_attachment_rules(staff_client, make_user, ours):
    client = staff_client(make_fund_officer(make_user))
    assert client.get(reverse("admin:clinics_clinic_change", args=[ours.pk])).status_code == 200
    policy_url = reverse("admin:clinics_attachmentpolicy_change", args=[1])
    response = client.post(policy_url, {"choice_interval_months": 6, "campaign_starts": "", "campaign_ends": ""})
    assert response.status_code == 302
    from osms.clinics.selectors import policy_current

    assert policy_current().choice_interval_months == 6


def test_a_registrar_sees_their_clinic_but_cannot_change_it(registrar_client, ours):
    page = registrar_client.get(reverse("admin:clinics_clinic_change", args=[ours.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
