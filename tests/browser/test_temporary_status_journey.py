"""Temporary status end to end in a real browser: a student who is not insured asks for one month of
status (category, documents with a refused upload on the way, task list, check your answers, SMS
code, confirmation), a fund officer approves in the back office, and the citizen is insured. Every
citizen page passes axe-core.

The pages are being translated, so the tests find things by URL, id, name and GOV.UK class, not by
words.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from PIL import Image

from conftest import PASSWORD, new_iin
from osms.accounts.models import Role, User
from osms.coverage.models import BenefitMembership
from osms.coverage.selectors import status_answer
from osms.temporary_status.models import TemporaryStatusRequest
from osms.temporary_status.tests.factories import categories_ensure
from tests.files import pdf_bytes

from .helpers import axe_check, back_office_sign_in, keyboard_check, sms_code

PHONE = "+77015550021"
BASE = "/ru/temporary-status/"


def url(path: str) -> re.Pattern[str]:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(?:[?#].*)?$")


def assert_page(page, path: str) -> None:
    page.wait_for_url(url(path))
    assert page.locator("main h1").count() == 1
    axe_check(page)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (240, 240, 240)).save(out, format="PNG")
    return out.getvalue()


def file(name: str, content: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": content}


def submit(page) -> None:
    page.locator("#main-content form [name=submit]").first.click()


@pytest.fixture
def people(transactional_db, make_user, private_media):
    categories_ensure()
    birth = dt.date(2004, 5, 6)
    iin = new_iin(birth, female=True)
    while User.objects.filter(iin=iin).exists():
        iin = new_iin(birth, female=True)
    student = make_user(iin=iin, birth=birth, last_name="Ахметова", first_name="Дана", phone=PHONE)
    officer = make_user(role=Role.FUND_OFFICER, last_name="Фондов", first_name="Ерлан", phone="+77015550022")
    return student, officer


def sign_in(page, user) -> None:
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", user.iin)
    page.fill("#id_password", PASSWORD)
    submit(page)
    page.wait_for_url(url("/ru/accounts/cabinet/"))


def test_a_student_asks_an_officer_approves_the_citizen_is_insured(page, browser, live_server, people, sms_outbox):
    student, officer = people
    sign_in(page, student)

    # The cabinet links to the service; the service's page offers the start button.
    page.locator(f'main a[href="{BASE}"]').click()
    assert_page(page, BASE)
    page.locator(f'main a.govuk-button--start[href="{BASE}new/"]').click()

    # Step 1: the category, the question as the heading; 13 categories (not 14 and 15).
    assert_page(page, f"{BASE}new/")
    assert page.locator("main legend h1").count() == 1
    assert page.locator("input[name=category]").count() == 13
    submit(page)  # nothing chosen: the error summary links to the radios
    assert_page(page, f"{BASE}new/")
    assert page.locator(".govuk-error-summary__list a").count() == 1
    page.check("#id_category_6")  # caring for a child with disability: three documents
    submit(page)
    created = TemporaryStatusRequest.objects.get(user=student)
    documents = f"{BASE}{created.pk}/documents/"

    # Step 2: one upload per document. A good file and a fake PDF: the fake one is explained on its
    # own field, the good one is kept.
    assert_page(page, documents)
    assert page.locator("input[type=file]").count() == 3
    page.set_input_files("#id_document_1", files=[file("инвалидность.pdf", pdf_bytes(), "application/pdf")])
    page.set_input_files("#id_document_2", files=[file("рождение.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")])
    submit(page)
    assert_page(page, documents)
    assert page.locator(".govuk-error-summary__list a").evaluate_all("a => a.map(x => x.getAttribute('href'))") == [
        "#id_document_2"
    ]
    assert "govuk-file-upload--error" in page.locator("#id_document_2").get_attribute("class")
    assert "инвалидность.pdf" in page.locator("#id_document_1-hint").inner_text()
    assert created.documents.count() == 1
    keyboard_check(page)

    # Save and come back later: the task list shows what is done and what is missing.
    page.locator(f'main a[href="{BASE}{created.pk}/"]').click()
    assert_page(page, f"{BASE}{created.pk}/")
    assert page.locator(".govuk-task-list__item").count() == 5  # category, 3 documents, send
    assert page.locator(".govuk-task-list .govuk-tag--blue").count() == 2
    assert page.locator(".govuk-task-list__status--cannot-start-yet").count() == 1

    # The two missing documents, each from its own task.
    for slot, name, content, mime in (
        (2, "рождение.png", png_bytes(), "image/png"),
        (3, "безработный.pdf", pdf_bytes(), "application/pdf"),
    ):
        page.locator(f'main a[href="{BASE}{created.pk}/documents/{slot}/"]').click()
        assert_page(page, f"{BASE}{created.pk}/documents/{slot}/")
        page.set_input_files(f"#id_document_{slot}", files=[file(name, content, mime)])
        submit(page)
        assert_page(page, f"{BASE}{created.pk}/")
    assert page.locator(".govuk-task-list__status--cannot-start-yet").count() == 0

    # Step 3: check your answers.
    page.locator(f'main a[href="{BASE}{created.pk}/check/"]').click()
    assert_page(page, f"{BASE}{created.pk}/check/")
    assert page.locator(".govuk-summary-list__row").count() == 2 + 4  # about you, then category and documents
    for name in ("инвалидность.pdf", "рождение.png", "безработный.pdf"):
        assert name in page.locator("main").inner_text()
    submit(page)

    # Step 4: the SMS code.
    assert_page(page, f"{BASE}{created.pk}/confirm/")
    page.fill("#id_code", sms_code(sms_outbox, PHONE))
    submit(page)

    # Step 5: the confirmation panel with the number.
    assert_page(page, f"{BASE}{created.pk}/sent/")
    created.refresh_from_db()
    assert created.status == TemporaryStatusRequest.Status.SUBMITTED
    assert page.locator(".govuk-panel--confirmation strong").inner_text() == created.number

    # The fund officer signs in to the back office with the second factor, opens the request,
    # reads a document inline and approves.
    officer_context = browser.new_context(base_url=live_server.url, locale="ru-RU", timezone_id="Asia/Almaty")
    try:
        back_office = officer_context.new_page()
        back_office_sign_in(back_office, officer, PASSWORD)
        back_office.goto("/ru/admin/temporary_status/temporarystatusrequest/")
        back_office.locator(f"text={created.number}").click()
        back_office.wait_for_url(url(f"/ru/admin/temporary_status/temporarystatusrequest/{created.pk}/change/"))
        links = back_office.locator('a[href*="/temporary-status/files/"]')
        assert links.count() == 3
        document = officer_context.request.get(links.first.get_attribute("href"))
        assert document.status == 200 and document.headers["content-disposition"].startswith("inline")
        back_office.locator('a[href$="/approve/"]').click()
        back_office.locator("input[type=submit].default").click()
        back_office.wait_for_url(url(f"/ru/admin/temporary_status/temporarystatusrequest/{created.pk}/change/"))
    finally:
        officer_context.close()

    # Insured at once: the request's page says so, and so does the status answer.
    created.refresh_from_db()
    assert created.status == TemporaryStatusRequest.Status.APPROVED
    assert BenefitMembership.objects.filter(iin=student.iin, temporary=True).count() == 1
    assert status_answer(iin=student.iin, on=created.status_from).insured
    page.goto(f"{BASE}{created.pk}/")
    assert_page(page, f"{BASE}{created.pk}/")
    assert page.locator("main .govuk-tag--green").count() == 1
    # The citizen downloads their own document as an attachment.
    own = page.context.request.get(page.locator('main a[href*="/temporary-status/files/"]').first.get_attribute("href"))
    assert own.status == 200 and own.headers["content-disposition"].startswith("attachment")

    # Now insured, asking again is refused in plain words, on an accessible page.
    page.goto(f"{BASE}new/")
    assert_page(page, f"{BASE}new/")
    assert page.locator("input[name=category]").count() == 0


def test_an_insured_citizen_is_told_why_not(page, people):
    student, _officer = people
    BenefitMembership.objects.create(iin=student.iin, category_id=8, start=dt.date(2020, 1, 1))
    sign_in(page, student)
    page.goto(BASE)
    assert_page(page, BASE)
    assert page.locator("main a.govuk-button--start").count() == 0
    page.goto(f"{BASE}new/")
    assert_page(page, f"{BASE}new/")
    assert page.locator('main a[href="/ru/status/mine/"]').count() == 1


# A common phone (360 px) and the width WCAG 1.4.10 (reflow) asks content to fit without scrolling sideways.
NARROW = [{"width": 360, "height": 740}, {"width": 320, "height": 640}]
# What sticks out on the right, for the failure message.
TOO_WIDE = """() => [...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth)
  .map(e => e.tagName.toLowerCase() + '.' + e.className + ' "' + (e.textContent || '').trim().slice(0, 40) + '"')"""
LONG_NAME = "справка_об_инвалидности_ребёнка_выданная_МСЭ_2026_года_скан_страниц_1_2_3.pdf"


@pytest.mark.parametrize("viewport", NARROW, ids=lambda size: f"{size['width']}px")
def test_narrow_screen(page, viewport, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from osms.temporary_status import services

    student, _officer = people
    started = services.temporary_status_start(actor=student, category=6)
    for kind in started.category.documents:
        services.temporary_status_document_upload(
            actor=student, request=started, kind=kind, file=SimpleUploadedFile(LONG_NAME, pdf_bytes())
        )
    sign_in(page, student)
    for path in (
        BASE,
        f"{BASE}new/",
        f"{BASE}{started.pk}/documents/",
        f"{BASE}{started.pk}/",
        f"{BASE}{started.pk}/documents/1/",
        f"{BASE}{started.pk}/check/",
    ):
        page.goto(path)
        assert_page(page, path)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= viewport["width"], (
            f"{path} scrolls sideways at {viewport['width']} px: {width} px wide, because of {page.evaluate(TOO_WIDE)}"
        )
