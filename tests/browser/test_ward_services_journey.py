"""The four services for a ward in a real browser (docs/adr/0702-services-for-a-ward.md): a parent
attaches the newborn to a clinic from the cabinet in one step (the answers start from the parent's
own), asks the child's statement, asks temporary status in category 1 with the birth certificate, and
files an appeal for the child; the clinic's registrar sees the application naming the child and the
parent. Every citizen page passes axe-core."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from django.utils.functional import empty
from pypdf import PdfWriter

from conftest import PASSWORD, new_iin
from osms.accounts.models import User
from osms.appeals.models import Appeal
from osms.clinics.models import Attachment, AttachmentApplication
from osms.clinics.tests.factories import make_clinic, make_registrar
from osms.core.uploads import private_storage
from osms.coverage.models import Person
from osms.representation.models import Representation
from osms.statements.models import StatementRequest
from osms.temporary_status.models import TemporaryStatusRequest
from osms.temporary_status.tests.factories import categories_ensure

from .helpers import axe_check, back_office_sign_in, sms_code

PHONE = "+77015550041"


def url(path: str) -> re.Pattern[str]:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(?:[?#].*)?$")


def assert_page(page, path: str) -> None:
    page.wait_for_url(url(path))
    assert page.locator("main h1").count() == 1
    axe_check(page)


def submit(page) -> None:
    page.locator("#main-content form [name=submit]").first.click()


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


@pytest.fixture
def family(transactional_db, make_user, private_media):
    categories_ensure()
    birth = dt.date(1990, 11, 5)
    iin = new_iin(birth, female=True)
    while User.objects.filter(iin=iin).exists():
        iin = new_iin(birth, female=True)
    parent = make_user(iin=iin, birth=birth, last_name="Қасымова", first_name="Динара", phone=PHONE)
    born = timezone.localdate() - dt.timedelta(days=60)
    baby = Person.objects.create(
        iin=new_iin(born, female=True), last_name="Қасымова", first_name="Аяла", birth_date=born
    )
    Representation.objects.create(
        ward=baby, representative_iin=parent.iin, ground="parent", start=born, source="register"
    )
    # The parent is attached to a clinic and applied there before: the child's application starts from it.
    clinic = make_clinic(name_ru="Городская поликлиника № 7", address="ул. Кенесары, 40")
    Attachment.objects.create(
        iin=parent.iin, clinic=clinic, district_number=1, doctor_name="Доктор", started_at=timezone.now()
    )
    AttachmentApplication.objects.create(
        iin=parent.iin,
        user=parent,
        created_by=parent,
        last_name="Қасымова",
        first_name="Динара",
        clinic=clinic,
        reason="first",
        locality="Астана",
        street="ул. Кенесары",
        house="40",
        flat="12",
        phone=PHONE,
        number="AT-0000501",
        status=AttachmentApplication.Status.APPROVED,
    )
    registrar = make_registrar(make_user, clinic, last_name="Регистраторова", first_name="Алия")
    return parent, baby, clinic, registrar


def test_a_parent_uses_the_four_services_for_the_newborn(page, browser, live_server, family, sms_outbox):
    parent, baby, clinic, registrar = family
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", parent.iin)
    page.fill("#id_password", PASSWORD)
    page.locator("#main-content form [name=submit]").first.click()
    page.wait_for_url(url("/ru/accounts/cabinet/"))

    # 1. "Attach Аяла to a clinic": one click from the wards' page to "check your answers".
    page.goto("/ru/representation/")
    assert_page(page, "/ru/representation/")
    page.locator(f"#wards form:has(input[value='{baby.iin}']) button[name=next][value='/ru/clinics/apply/']").click()
    assert_page(page, "/ru/clinics/apply/check/")
    answers = page.locator("#answers").inner_text()
    assert "Кенесары" in answers and clinic.name_ru in page.locator("main").inner_text()
    submit(page)
    assert_page(page, "/ru/clinics/apply/confirm/")
    page.fill("#id_code", sms_code(sms_outbox, PHONE))
    submit(page)
    application = AttachmentApplication.objects.get(iin=baby.iin)
    assert_page(page, f"/ru/clinics/applications/{application.number}/sent/")
    assert (application.representative_iin, application.first_name) == (parent.iin, "Аяла")

    # 2. The child's statement.
    page.goto("/ru/statements/new/")
    assert_page(page, "/ru/statements/new/")
    submit(page)
    assert_page(page, "/ru/statements/new/language/")
    page.locator('input[name="language"][value="ru"]').check()
    submit(page)
    assert_page(page, "/ru/statements/new/consent/")
    page.locator('input[name="consent"][value="yes"]').check()
    submit(page)
    assert_page(page, "/ru/statements/new/check/")
    submit(page)
    statement = StatementRequest.objects.get(iin=baby.iin)
    page.wait_for_url(url(f"/ru/statements/{statement.number}/confirm/"))
    page.fill("#id_code", sms_code(sms_outbox, PHONE))
    submit(page)
    assert_page(page, f"/ru/statements/{statement.number}/")
    assert StatementRequest.objects.get(pk=statement.pk).representative_iin == parent.iin

    # 3. Temporary status, category 1 (children), with the birth certificate.
    page.goto("/ru/temporary-status/new/")
    assert_page(page, "/ru/temporary-status/new/")
    page.check("input[name=category][value='1']")
    submit(page)
    request = TemporaryStatusRequest.objects.get(iin=baby.iin)
    assert_page(page, f"/ru/temporary-status/{request.pk}/documents/")
    assert page.locator("input[type=file]").count() == 1
    page.set_input_files(
        "#id_document_1", files=[{"name": "рождение.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    submit(page)
    page.goto(f"/ru/temporary-status/{request.pk}/check/")
    assert_page(page, f"/ru/temporary-status/{request.pk}/check/")
    submit(page)
    assert_page(page, f"/ru/temporary-status/{request.pk}/confirm/")
    page.fill("#id_code", sms_code(sms_outbox, PHONE))
    submit(page)
    assert_page(page, f"/ru/temporary-status/{request.pk}/sent/")
    request.refresh_from_db()
    assert (request.status, request.representative_iin) == ("submitted", parent.iin)

    # 4. An appeal for the child, followed in the child's list.
    page.goto("/ru/appeals/new/")
    assert_page(page, "/ru/appeals/new/topic/")
    page.check('input[name=topic][value="service_refusal"]')
    submit(page)
    assert_page(page, "/ru/appeals/new/region/")
    page.select_option("#id_region", clinic.region)
    submit(page)
    assert_page(page, "/ru/appeals/new/organisation/")
    page.select_option("#id_clinic", str(clinic.pk))
    submit(page)
    assert_page(page, "/ru/appeals/new/question/")
    page.fill("#id_substance", "Педиатр не принял ребёнка без объяснения причин.")
    submit(page)
    assert_page(page, "/ru/appeals/new/documents/")
    page.locator("#documents-continue").click()
    assert_page(page, "/ru/appeals/new/answer/")
    submit(page)
    assert_page(page, "/ru/appeals/new/check/")
    submit(page)
    appeal = Appeal.objects.get(applicant_iin=baby.iin)
    assert_page(page, f"/ru/appeals/{appeal.number}/sent/")
    assert appeal.representative_iin == parent.iin
    page.goto("/ru/appeals/")
    assert_page(page, "/ru/appeals/")
    assert appeal.number in page.locator("main").inner_text()

    # The registrar sees the application naming the child and the parent.
    registrar_context = browser.new_context(base_url=live_server.url, locale="ru-RU", timezone_id="Asia/Almaty")
    try:
        back_office = registrar_context.new_page()
        back_office_sign_in(back_office, registrar, PASSWORD)
        back_office.goto(f"/ru/admin/clinics/attachmentapplication/{application.pk}/change/")
        text = back_office.locator("#representative").inner_text()
        assert parent.iin in text and "Қасымова Динара" in text
        assert baby.iin in back_office.locator("main, #content").first.inner_text()
    finally:
        registrar_context.close()
