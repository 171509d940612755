"""Clinic attachment end to end in a real browser: a citizen applies online (region, clinic found by
search, address, phone, check your answers, SMS code, confirmation), the clinic's registrar approves
in the back office (signed in with the TOTP second factor) with the district suggested from the
address, and the citizen sees the district and the doctor. Every citizen page passes axe-core.

The pages are being translated, so the test finds things by URL, id, name and GOV.UK class.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import PASSWORD
from osms.clinics.models import Attachment, AttachmentApplication
from osms.clinics.tests.factories import make_clinic, make_registrar, person_iin

from .helpers import axe_check, back_office_sign_in, keyboard_check, sms_code

PHONE = "+77015550031"
BASE = "/ru/clinics/"


def url(path: str) -> re.Pattern[str]:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(?:[?#].*)?$")


def assert_page(page, path: str) -> None:
    page.wait_for_url(url(path))
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("main h1").count() == 1
    axe_check(page)


def submit(page) -> None:
    page.locator("#main-content form [name=submit]").first.click()


@pytest.fixture
def people(transactional_db, make_user):
    clinic = make_clinic(name_ru="Городская поликлиника № 7", address="ул. Кенесары, 40")
    make_clinic(name_ru="Поликлиника № 2", address="ул. Сарыарка, 2")
    registrar = make_registrar(make_user, clinic, last_name="Регистраторова", first_name="Динара")
    citizen = make_user(iin=person_iin(dt.date(1988, 3, 27)), last_name="Серикова", first_name="Асель", phone=PHONE)
    return clinic, registrar, citizen


def sign_in(page, user) -> None:
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", user.iin)
    page.fill("#id_password", PASSWORD)
    submit(page)
    page.wait_for_url(url("/ru/accounts/cabinet/"))


def test_a_citizen_applies_the_registrar_approves_the_citizen_sees_district_and_doctor(
    page, browser, live_server, people, sms_outbox
):
    clinic, registrar, citizen = people
    sign_in(page, citizen)

    # The cabinet links to "My clinic": not attached yet, a start button.
    page.locator(f'main a[href="{BASE}"]').click()
    assert_page(page, BASE)
    assert page.locator("#no-attachment").count() == 1
    page.locator("main a#apply.govuk-button--start").click()

    # The region: the question is the heading; nothing chosen gives an error that links to the radios.
    assert_page(page, f"{BASE}apply/region/")
    assert page.locator("main legend h1").count() == 1
    submit(page)
    assert_page(page, f"{BASE}apply/region/")
    assert page.locator(".govuk-error-summary__list a").count() == 1
    page.check("input[name=region][value=astana]")
    submit(page)

    # The clinic, found by a part of its address.
    assert_page(page, f"{BASE}apply/clinic/")
    assert page.locator("input[name=clinic]").count() == 2
    page.fill("#id_q", "кенесары")
    page.locator("#main-content form [name=search]").click()
    assert_page(page, f"{BASE}apply/clinic/")
    assert page.locator("input[name=clinic]").count() == 1
    page.check(f"input[name=clinic][value='{clinic.pk}']")
    submit(page)

    # Attached nowhere: no reason to ask; the address, then the phone (already filled in).
    assert_page(page, f"{BASE}apply/address/")
    assert page.locator("#id_locality").input_value() == clinic.city
    page.fill("#id_street", "проспект Абая")
    page.fill("#id_house", "12")
    submit(page)
    assert_page(page, f"{BASE}apply/phone/")
    assert page.locator("#id_phone").input_value() == PHONE
    submit(page)

    # Check your answers, then the code that signs the application.
    assert_page(page, f"{BASE}apply/check/")
    assert page.locator("#answers .govuk-summary-list__row").count() == 5
    assert "проспект Абая, 12" in page.locator("#answers").inner_text()
    keyboard_check(page)
    submit(page)
    assert_page(page, f"{BASE}apply/confirm/")
    page.fill("#id_code", "000000")
    submit(page)
    assert_page(page, f"{BASE}apply/confirm/")
    assert page.locator(".govuk-error-summary__list a").count() == 1
    page.fill("#id_code", sms_code(sms_outbox, PHONE))
    submit(page)

    application = AttachmentApplication.objects.get(iin=citizen.iin)
    assert_page(page, f"{BASE}applications/{application.number}/sent/")
    assert page.locator(".govuk-panel--confirmation #application-number").inner_text() == application.number

    # My clinic now shows the application waiting for the clinic, and no start button.
    page.goto(BASE)
    assert_page(page, BASE)
    assert page.locator("#pending-application").count() == 1
    assert page.locator("#apply").count() == 0

    # The registrar signs in to the back office with the second factor and attaches the citizen.
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", timezone_id="Asia/Almaty")
    try:
        back_office = context.new_page()
        back_office_sign_in(back_office, registrar, PASSWORD)
        back_office.goto("/ru/admin/clinics/attachmentapplication/")
        back_office.locator(f"text={application.number}").click()
        back_office.wait_for_url(url(f"/ru/admin/clinics/attachmentapplication/{application.pk}/change/"))
        # Suggested from the address: district 1 (проспект Абая 1-40) and its doctor.
        district = clinic.districts.get(number=1)
        assert back_office.locator("#id_district").input_value() == str(district.pk)
        assert back_office.locator("#id_doctor").input_value() == str(district.doctor_id)
        back_office.locator("input[name=approve]").click()
        back_office.wait_for_url(url("/ru/admin/clinics/attachmentapplication/"))
    finally:
        context.close()

    attachment = Attachment.objects.get(iin=citizen.iin, ended_at__isnull=True)
    assert attachment.clinic == clinic and attachment.district_number == 1

    # The citizen sees the clinic, the district and the doctor; the answer is in the notifications too.
    page.goto(BASE)
    assert_page(page, BASE)
    assert page.locator("#attachment-district").inner_text() == "№1"
    assert page.locator("#attachment-doctor").inner_text() == district.doctor.full_name
    page.goto(f"{BASE}applications/{application.number}/")
    assert_page(page, f"{BASE}applications/{application.number}/")
    assert page.locator("main .govuk-tag--green").count() == 1
    page.goto("/ru/accounts/cabinet/notifications/")
    assert_page(page, "/ru/accounts/cabinet/notifications/")
    assert application.number in page.locator("main").inner_text()
