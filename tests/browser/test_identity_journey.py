"""Proving identity in a real browser (DOMAIN §14), with axe on every page: registration by a code to
the persons register's number, registration and sign-in with an EDS (NCALayer's WebSocket answered by
Playwright with a CMS made by the test chain, checked by the NCANode stand-in), and an account made
before the proof, held until it proves identity again."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re

from conftest import PASSWORD, in_register, new_iin

from .helpers import axe_check, sms_code

BIRTH = dt.date(1987, 2, 11)
NCALAYER = "wss://127.0.0.1:13579/"


def at(page, path: str) -> None:
    page.wait_for_url(re.compile(rf"^https?://[^/]+{re.escape(path)}(?:[?#].*)?$"))
    axe_check(page)


def register(page, iin: str) -> None:
    page.goto("/ru/accounts/register/")
    axe_check(page)
    page.fill("#id_iin", iin)
    page.fill("#id_last_name", "Байжанова")
    page.fill("#id_first_name", "Гүлнар")
    page.fill("#id_birth_date", BIRTH.strftime("%d.%m.%Y"))
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    with page.expect_navigation():
        page.locator("#main-content form [name=submit]").first.click()
    at(page, "/ru/accounts/register/confirm/")


def ncalayer(page, pki, *, iin: str) -> list[dict]:
    """NCALayer on the 'citizen's computer': answers createCMSSignatureFromBase64 with the test key."""
    calls: list[dict] = []

    def handler(ws) -> None:
        def on_message(message) -> None:
            call = json.loads(message)
            calls.append(call)
            data = base64.b64decode(call["args"][2])
            ws.send(json.dumps({"code": "200", "responseObject": pki.sign(data, iin=iin)}))

        ws.on_message(on_message)

    page.route_web_socket(NCALAYER, handler)
    return calls


def test_registration_by_a_code_to_the_registers_number(page, sms_outbox):
    iin = new_iin(BIRTH, female=True)
    in_register(iin, phone="+77051234512")
    register(page, iin)
    assert "+7 7•• ••• •• 12" in page.locator("main").inner_text()
    assert page.locator("#id_phone").count() == 0
    page.fill("#id_code", sms_code(sms_outbox, "+77051234512"))
    with page.expect_navigation():
        page.locator("#main-content form [name=submit]").first.click()
    at(page, "/ru/accounts/cabinet/")
    assert iin in page.locator("main").inner_text()


def test_registration_with_an_eds_where_the_register_has_no_number(page, sms_outbox, ncanode_standin):
    iin = new_iin(BIRTH, female=True)
    in_register(iin, phone="")
    calls = ncalayer(page, ncanode_standin, iin=iin)
    register(page, iin)
    assert sms_outbox == []
    with page.expect_navigation():
        page.locator("[data-eds-sign]").click()
    at(page, "/ru/accounts/cabinet/")
    assert iin in page.locator("main").inner_text()
    assert calls[0]["module"] == "kz.gov.pki.knca.commonUtils"
    assert calls[0]["method"] == "createCMSSignatureFromBase64" and calls[0]["args"][3] is False


def test_sign_in_with_an_eds(page, make_user, ncanode_standin):
    user = make_user(birth=BIRTH)
    ncalayer(page, ncanode_standin, iin=user.iin)
    page.goto("/ru/accounts/login/")
    axe_check(page)
    with page.expect_navigation():
        page.locator("[data-eds-sign]").click()
    at(page, "/ru/accounts/cabinet/")
    assert user.iin in page.locator("main").inner_text()


def test_an_eds_of_another_person_is_refused_on_the_page(page, make_user, ncanode_standin):
    user = make_user(birth=BIRTH)
    ncalayer(page, ncanode_standin, iin=new_iin(BIRTH))  # someone else's key
    in_register(user.iin, phone=user.phone)
    page.goto("/ru/accounts/password-reset/")
    page.fill("#id_iin", user.iin)
    with page.expect_navigation():
        page.locator("#main-content form [name=submit]").first.click()
    at(page, "/ru/accounts/password-reset/confirm/")
    page.fill("#id_password1", "Another-Horse-88-Battery")
    page.fill("#id_password2", "Another-Horse-88-Battery")
    with page.expect_navigation():
        page.locator("[data-eds-sign]").click()
    at(page, "/ru/accounts/password-reset/confirm/")
    assert page.locator(".govuk-error-summary").count() >= 1
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_older_account_must_prove_identity_before_its_data(page, make_user, sms_outbox):
    user = make_user(birth=BIRTH, phone="+77010000099", registered=False, identity_proof_required=True)
    in_register(user.iin, phone="+77470000011")
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", user.iin)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("#main-content form [name=submit]").first.click()
    at(page, "/ru/accounts/cabinet/prove/")
    assert "+7 7•• ••• •• 11" in page.locator("main").inner_text()
    page.goto("/ru/status/mine/")
    at(page, "/ru/accounts/cabinet/prove/")  # no personal page opens
    with page.expect_navigation():
        page.locator('form[action$="/cabinet/prove/code/"] button').click()
    at(page, "/ru/accounts/cabinet/prove/")
    page.fill("#id_code", sms_code(sms_outbox, "+77470000011"))
    with page.expect_navigation():
        page.locator("#main-content form [name=submit]").first.click()
    at(page, "/ru/accounts/cabinet/")
    assert user.iin in page.locator("main").inner_text()


def test_without_ncalayer_a_signature_made_elsewhere_can_be_pasted(page, make_user, ncanode_standin):
    """The way README describes for development: get the text, sign it with the test chain, paste."""
    user = make_user(birth=BIRTH)
    page.goto("/ru/accounts/login/")
    page.locator("details.govuk-details summary", has_text="NCALayer").click()
    page.locator("[data-eds-fetch]").click()
    text = page.locator("[data-eds-text]")
    page.wait_for_function("el => el.textContent.startsWith('OSMS portal login')", arg=text.element_handle())
    axe_check(page)
    page.fill("#id_eds_cms_login", ncanode_standin.sign(text.inner_text().encode(), iin=user.iin))
    with page.expect_navigation():
        page.locator("details.govuk-details button[type=submit]").click()
    at(page, "/ru/accounts/cabinet/")
