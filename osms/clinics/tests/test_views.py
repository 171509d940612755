"""The citizen's pages: my clinic, the application one question a page, the SMS code, the confirmation."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from osms.clinics.models import AttachmentApplication, Reason
from osms.core.calendar import ALMATY

from .factories import last_code, make_clinic, make_registrar, person_iin, submitted

pytestmark = pytest.mark.django_db
Status = AttachmentApplication.Status


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


@pytest.fixture
def clinic():
    return make_clinic(name_ru="Городская поликлиника № 5", address="ул. Толе би, 95")


def url(name, *args):
    return reverse(f"clinics:{name}", args=args)


def walk_to_check(client, clinic, *, reason=None):
    assert client.get(url("apply"))["Location"] == url("apply_region")
    response = client.post(url("apply_region"), {"region": clinic.region})
    assert response["Location"] == url("apply_clinic")
    response = client.post(url("apply_clinic"), {"clinic": clinic.pk})
    if reason is not None:
        assert response["Location"] == url("apply_reason")
        response = client.post(url("apply_reason"), {"reason": reason})
    assert response["Location"] == url("apply_address")
    response = client.post(url("apply_address"), {"locality": "Астана", "street": "пр. Абая", "house": "12"})
    assert response["Location"] == url("apply_phone")
    response = client.post(url("apply_phone"), {"phone": "8 (701) 555-44-33"})
    assert response["Location"] == url("apply_check")
    return response


def test_my_clinic_needs_sign_in(client):
    response = client.get(url("my_attachment"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_not_attached_the_page_offers_to_apply(signed_in):
    response = signed_in.get(url("my_attachment"))
    assert response.status_code == 200
    assert response.context["attachment"] is None
    assert url("apply").encode() in response.content


def test_the_whole_application_online(signed_in, citizen, clinic, sms_outbox):
    walk_to_check(signed_in, clinic)
    response = signed_in.get(url("apply_check"))
    assert response.status_code == 200
    content = response.content.decode()
    assert clinic.name_ru in content and "+77015554433" in content and "First attachment" in content
    response = signed_in.post(url("apply_check"))
    assert response["Location"] == url("apply_confirm")
    application = AttachmentApplication.objects.get(iin=citizen.iin)
    assert application.status == Status.UNCONFIRMED and application.phone == "+77015554433"
    assert sms_outbox[-1]["to"] == citizen.phone  # the code goes to the account's phone
    response = signed_in.post(url("apply_confirm"), {"code": "000000"})
    assert response.status_code == 200 and response.context["form"].errors["code"]
    response = signed_in.post(url("apply_confirm"), {"code": last_code(citizen.phone)})
    assert response["Location"] == url("application_sent", application.number)
    page = signed_in.get(response["Location"])
    assert application.number in page.content.decode()
    application.refresh_from_db()
    assert application.status == Status.PENDING


def test_steps_cannot_be_skipped(signed_in, clinic):
    signed_in.get(url("apply"))
    assert signed_in.get(url("apply_address"))["Location"] == url("apply_region")
    assert signed_in.get(url("apply_check"))["Location"] == url("apply_region")


def test_clinics_are_searched_by_name_or_address_among_the_fund_s_suppliers(signed_in, clinic):
    make_clinic(name_ru="Поликлиника на Кенесары", address="ул. Кенесары, 3")
    make_clinic(name_ru="Закрытая поликлиника № 5", is_fund_supplier=False)
    make_clinic(name_ru="Поликлиника № 5 в Алматы", region="almaty_city", city="Алматы")
    signed_in.get(url("apply"))
    signed_in.post(url("apply_region"), {"region": "astana"})
    names = lambda response: [c.name_ru for c in response.context["form"].clinics.values()]  # noqa: E731
    assert sorted(names(signed_in.get(url("apply_clinic")))) == ["Городская поликлиника № 5", "Поликлиника на Кенесары"]
    assert names(signed_in.get(url("apply_clinic"), {"q": "№ 5"})) == ["Городская поликлиника № 5"]
    assert names(signed_in.get(url("apply_clinic"), {"q": "Кенесары"})) == ["Поликлиника на Кенесары"]
    assert names(signed_in.get(url("apply_clinic"), {"q": "толе би"})) == ["Городская поликлиника № 5"]
    assert signed_in.get(url("apply_clinic"), {"q": "нет такой"}).context["total"] == 0


def test_a_clinic_of_another_region_or_not_a_supplier_cannot_be_posted(signed_in, clinic):
    elsewhere = make_clinic(region="almaty_city", city="Алматы")
    closed = make_clinic(is_fund_supplier=False)
    signed_in.get(url("apply"))
    signed_in.post(url("apply_region"), {"region": "astana"})
    for other in (elsewhere, closed):
        response = signed_in.post(url("apply_clinic"), {"clinic": other.pk})
        assert response.status_code == 200 and response.context["form"].errors["clinic"]


def test_the_clinic_one_is_attached_to_is_refused_on_its_page(signed_in, citizen, clinic, make_user):
    registrar = make_registrar(make_user, clinic)
    application = submitted(citizen, clinic)
    district = clinic.districts.get(number=1)
    from osms.clinics.services import application_approve

    application_approve(actor=registrar, application=application, district=district, doctor=district.doctor)
    signed_in.get(url("apply"))
    signed_in.post(url("apply_region"), {"region": clinic.region})
    response = signed_in.post(url("apply_clinic"), {"clinic": clinic.pk})
    assert response.status_code == 200
    assert "already attached to this clinic" in str(response.context["form"].errors["clinic"])


def test_an_attached_citizen_is_asked_the_reason_and_told_when_choice_is_possible(
    signed_in, citizen, clinic, make_user, time_machine
):
    time_machine.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=ALMATY), tick=False)
    registrar = make_registrar(make_user, clinic)
    from osms.clinics.services import application_approve

    district = clinic.districts.get(number=1)
    application_approve(
        actor=registrar, application=submitted(citizen, clinic), district=district, doctor=district.doctor
    )
    other = make_clinic()
    signed_in.get(url("apply"))
    signed_in.post(url("apply_region"), {"region": other.region})
    assert signed_in.post(url("apply_clinic"), {"clinic": other.pk})["Location"] == url("apply_reason")
    response = signed_in.post(url("apply_reason"), {"reason": Reason.CHOICE})
    assert response.status_code == 200 and "2027" in str(response.context["form"].errors["reason"])
    assert signed_in.post(url("apply_reason"), {"reason": Reason.RESIDENCE})["Location"] == url("apply_address")


def test_changing_an_answer_from_the_check_page_comes_back_to_it(signed_in, clinic):
    walk_to_check(signed_in, clinic)
    response = signed_in.post(url("apply_phone"), {"phone": "+7 702 000 00 00"})
    assert response["Location"] == url("apply_check")
    other = make_clinic(region="almaty_city", city="Алматы")
    response = signed_in.post(url("apply_region"), {"region": "almaty_city"})
    assert response["Location"] == url("apply_clinic")  # the clinic of the other region is forgotten
    assert signed_in.post(url("apply_clinic"), {"clinic": other.pk})["Location"] == url("apply_check")


def test_with_an_application_waiting_one_cannot_start_another(signed_in, citizen, clinic):
    submitted(citizen, clinic)
    for name in ("apply", "apply_region", "apply_check"):
        response = signed_in.get(url(name))
        assert response["Location"] in (url("my_attachment"), url("apply_region"))
    assert signed_in.get(url("apply_region"))["Location"] == url("my_attachment")
    page = signed_in.get(url("my_attachment"))
    assert page.context["pending"].status == Status.PENDING
    assert url("apply").encode() not in page.content


def test_the_application_page_withdraw_and_my_requests(signed_in, citizen, clinic):
    application = submitted(citizen, clinic)
    page = signed_in.get(url("application", application.number))
    assert page.status_code == 200 and page.context["application"] == application
    requests_page = signed_in.get(reverse("accounts:requests"))
    assert application.number in requests_page.content.decode()
    response = signed_in.post(url("application_withdraw", application.number))
    assert response["Location"] == url("my_attachment")
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def test_another_person_s_application_is_not_found(client, make_user, citizen, clinic):
    application = submitted(citizen, clinic)
    client.force_login(make_user(iin=person_iin()))
    assert client.get(url("application", application.number)).status_code == 404
    assert client.post(url("application_withdraw", application.number)).status_code == 404
    application.refresh_from_db()
    assert application.status == Status.PENDING


def test_an_overdue_application_offers_an_appeal_that_opens_pre_filled(signed_in, citizen, clinic, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 6, 16, 0, tzinfo=ALMATY), tick=False)
    application = submitted(citizen, clinic)
    time_machine.move_to(dt.datetime(2026, 3, 10, 17, 0, tzinfo=ALMATY), tick=False)
    page = signed_in.get(url("application", application.number))
    appeal = page.context["appeal_url"]
    assert page.context["overdue"] and appeal.endswith(f"?topic=access&attachment={application.number}")
    assert appeal.encode() in page.content.replace(b"&amp;", b"&")
    assert signed_in.get(url("my_attachment")).context["overdue"]
    response = signed_in.get(appeal)
    assert response.status_code == 302 and "/appeals/" in response["Location"]
    assert signed_in.session["appeals.draft"]["link_reference"] == application.number


def test_after_approval_the_page_shows_the_district_the_doctor_and_the_history(signed_in, citizen, clinic, make_user):
    from osms.clinics.services import application_approve

    registrar = make_registrar(make_user, clinic)
    district = clinic.districts.get(number=2)
    application_approve(
        actor=registrar, application=submitted(citizen, clinic), district=district, doctor=district.doctor
    )
    other = make_clinic()
    other_district = other.districts.get(number=1)
    application_approve(
        actor=make_registrar(make_user, other),
        application=submitted(citizen, other, reason=Reason.RESIDENCE),
        district=other_district,
        doctor=other_district.doctor,
    )
    page = signed_in.get(url("my_attachment"))
    content = page.content.decode()
    assert page.context["attachment"].clinic == other
    assert "№1" in content and other_district.doctor.full_name in content
    assert [item.clinic for item in page.context["history"]] == [clinic]
    assert district.doctor.full_name in content  # the earlier doctor, in the history


def test_the_code_can_be_sent_again(signed_in, citizen, clinic, sms_outbox):
    walk_to_check(signed_in, clinic)
    signed_in.post(url("apply_check"))
    first = last_code(citizen.phone)
    response = signed_in.post(url("apply_resend"))
    assert response["Location"] == url("apply_confirm")
    assert len([m for m in sms_outbox if m["to"] == citizen.phone]) == 2
    second = last_code(citizen.phone)
    if first != second:
        assert signed_in.post(url("apply_confirm"), {"code": first}).status_code == 200  # the old one is void
    assert signed_in.post(url("apply_confirm"), {"code": second}).status_code == 302


def test_pages_render_in_kazakh(signed_in, citizen, clinic):
    application = submitted(citizen, clinic)
    response = signed_in.get(f"/kk/clinics/applications/{application.number}/")
    assert response.status_code == 200 and clinic.name_kk in response.content.decode()
    assert timezone.now()
