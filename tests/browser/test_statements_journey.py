"""The statement service end to end in a real browser: a citizen requests the statement (period,
language, consent, check your answers), confirms it with the SMS code, reads the document in the
cabinet, downloads the PDF, and checks it on the public page the QR code links to. Every page the
citizen visits passes axe-core.

The pages are being translated, so the test finds things by URL, id, name and GOV.UK class; the
document's own wording is the official form's (form_text.py), which does not depend on translators.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from conftest import PASSWORD
from osms.coverage.tests.factories import EMPLOYER_BIN, payment_line
from osms.statements.models import StatementDocument, StatementRequest
from osms.statements.tests.factories import import_payments

from .helpers import axe_check, keyboard_check, sms_code

PHONE = "+77015550044"


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
def private_media(private_media, settings):
    """The root fixture, with no NCANode: the statements are signed by the portal's own key here."""
    settings.NCANODE_URL = ""
    return private_media


@pytest.fixture
def citizen_with_payments(transactional_db, make_user, private_media, tmp_path):
    citizen = make_user(phone=PHONE, patronymic="Қайратұлы")
    today = timezone.localdate()
    lines = []
    for back in range(1, 7):
        month = (today.replace(day=1) - dt.timedelta(days=28 * back)).replace(day=1)
        code = f"{month.month:02d}{month.year}"
        received = (month + dt.timedelta(days=35)).replace(day=5)
        received = min(received, today)
        lines.append(
            payment_line(
                citizen.iin,
                code,
                "7650.00",
                received=received.strftime("%d.%m.%Y"),
                number=f"E{back}",
                knp="121",
                payer=EMPLOYER_BIN,
            )
        )
    import_payments(tmp_path, lines)
    return citizen


def test_request_confirm_read_download_and_verify(page, sms_outbox, citizen_with_payments):
    citizen = citizen_with_payments
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", citizen.iin)
    page.fill("#id_password", PASSWORD)
    submit(page)
    page.wait_for_url(url("/ru/accounts/cabinet/"))

    # From the cabinet to the service.
    page.locator('main a[href="/ru/statements/"]').click()
    assert_page(page, "/ru/statements/")
    page.locator('main a.govuk-button--start[href="/ru/statements/new/"]').click()

    # The period: the 12 months before this one and this one are filled in.
    assert_page(page, "/ru/statements/new/")
    today = timezone.localdate()
    assert page.locator("#id_period_to").input_value() == f"{today.month:02d}.{today.year}"
    assert page.locator("#id_period_from").input_value() == f"{today.month:02d}.{today.year - 1}"
    submit(page)

    assert_page(page, "/ru/statements/new/language/")
    page.locator('input[name="language"][value="ru"]').check()
    submit(page)

    assert_page(page, "/ru/statements/new/consent/")
    submit(page)  # nothing chosen: the error summary links to the question
    assert_page(page, "/ru/statements/new/consent/")
    assert page.locator(".govuk-error-summary").count() == 1
    page.locator('input[name="consent"][value="yes"]').check()
    submit(page)

    assert_page(page, "/ru/statements/new/check/")
    assert page.locator("main .govuk-summary-list__row").count() == 3
    keyboard_check(page)
    page.reload()
    submit(page)

    # The code the SMS carried confirms the request.
    page.wait_for_url(re.compile(r".*/ru/statements/ST-[0-9-]+/confirm/\?method=sms$"))
    statement = StatementRequest.objects.get(user=citizen)
    assert_page(page, f"/ru/statements/{statement.number}/confirm/")
    page.fill("#id_code", sms_code(sms_outbox, PHONE))
    submit(page)

    # The request page shows the issued document: the same template as the PDF.
    assert_page(page, f"/ru/statements/{statement.number}/")
    document = StatementDocument.objects.get(request=statement)
    main = page.locator("main")
    assert document.number in main.inner_text()
    article = page.locator("main article.statement-document")
    assert article.get_attribute("lang") == "ru"
    assert article.locator("tbody tr").count() == len(document.content["rows"]) == 6
    assert "Информация об участии в качестве потребителя медицинских услуг" in article.inner_text()
    assert article.locator("img[src^='data:image/svg+xml']").count() == 1
    keyboard_check(page)

    # The PDF downloads, and is the file the Fund stored.
    with page.expect_download() as download:
        page.locator(f'main a.govuk-button[href="/ru/statements/{statement.number}/document.pdf"]').click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-") and hashlib.sha256(pdf).hexdigest() == document.sha256
    assert download.value.suggested_filename == f"{document.number}.pdf"

    # "My requests" lists it with its stage.
    page.goto("/ru/accounts/cabinet/requests/")
    assert f"/ru/statements/{statement.number}/" in page.locator("main").inner_html()
    axe_check(page)

    # On a 320 px screen (WCAG 1.4.10) the page does not scroll sideways: the table scrolls in its own
    # region, which the keyboard reaches.
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/ru/statements/{statement.number}/")
    assert_page(page, f"/ru/statements/{statement.number}/")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 320
    assert page.locator("main .statement-table-scroll[tabindex='0'][role='region']").count() == 1
    page.set_viewport_size({"width": 1280, "height": 800})

    # The QR code's link (printed beside it) opens the public check with the number filled in.
    page.goto(f"/ru/statements/{statement.number}/")
    link = page.locator("main a.statement-verify-link").get_attribute("href")
    target = urlsplit(link)
    page.locator("header form button[type=submit]").click()  # signed out: the check is public
    page.goto(f"{target.path}?{target.query}")
    assert_page(page, "/ru/statements/verify/")
    assert page.locator("#id_number").input_value() == document.number
    page.fill("#id_iin", citizen.iin)
    submit(page)
    assert_page(page, "/ru/statements/verify/")
    assert page.locator("main .govuk-panel--confirmation").count() == 1
    assert page.locator("#verify-sha256").inner_text() == document.sha256
    assert page.locator("#verify-issue-date").inner_text() == document.issued_at.astimezone().strftime("%d.%m.%Y")
    assert citizen.last_name not in page.locator("main").inner_text()
