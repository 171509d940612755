"""An appeal in a real browser: the citizen files it (one question per page, a document, check, send), a
fund officer answers it, the citizen reads the answer and agrees; then anyone checks its status by number
and IIN. axe-core checks every citizen page on the way.

The pages are not translated yet, so the test finds things by structure (URLs, ids, names), not words.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import PASSWORD
from osms.accounts.models import Role
from osms.appeals import services
from osms.appeals.models import Appeal, Status
from osms.appeals.tests.factories import appeal_file, checked_pdf, clinic_make, pdf_bytes
from osms.clinics.models import Region

from .helpers import axe_check, back_office_sign_in, keyboard_check

pytestmark = pytest.mark.django_db(transaction=True)


def url(path: str) -> re.Pattern[str]:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(?:[?#].*)?$")


def on_page(page, path: str) -> None:
    """The browser shows `path`, in Russian, with one main heading, and axe finds nothing."""
    page.wait_for_url(url(path))
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("main h1").count() == 1
    axe_check(page)


def submit(page) -> None:
    """Send the page's (first) form and wait for the answer, which may be the same address again."""
    button = page.locator("#main-content form [name=submit]").first
    with page.expect_navigation():
        button.click()


@pytest.fixture
def people(make_user, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from django.utils.functional import empty

    from osms.core.uploads import private_storage

    private_storage._wrapped = empty
    citizen = make_user(last_name="Серикова", first_name="Әйгерім", birth=dt.date(1991, 4, 2))
    officer = make_user(role=Role.FUND_OFFICER, birth=dt.date(1985, 9, 3), last_name="Фондов")
    clinic = clinic_make(region=Region.ALMATY_CITY, name="Городская поликлиника № 5")
    yield citizen, officer, clinic
    private_storage._wrapped = empty


def test_file_an_appeal_the_officer_answers_the_citizen_reads(page, people, tmp_path):
    citizen, officer, clinic = people

    # Sign in and go from the cabinet to "My appeals".
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", citizen.iin)
    page.fill("#id_password", PASSWORD)
    submit(page)
    page.wait_for_url(url("/ru/accounts/cabinet/"))
    page.locator('main a[href="/ru/appeals/"]').click()
    on_page(page, "/ru/appeals/")

    # One question per page.
    page.locator('main a[href="/ru/appeals/new/"]').click()
    on_page(page, "/ru/appeals/new/topic/")
    submit(page)  # nothing chosen: the error summary, linked to the radios
    on_page(page, "/ru/appeals/new/topic/")
    assert page.locator(".govuk-error-summary").count() == 1
    keyboard_check(page)
    page.check('input[name=topic][value="service_refusal"]')
    submit(page)

    on_page(page, "/ru/appeals/new/region/")
    page.select_option("#id_region", Region.ALMATY_CITY.value)
    submit(page)

    on_page(page, "/ru/appeals/new/organisation/")
    page.select_option("#id_clinic", str(clinic.pk))
    submit(page)

    on_page(page, "/ru/appeals/new/question/")
    page.fill("#id_substance", "Терапевт отказал в направлении на МРТ без объяснения причин.")
    submit(page)

    on_page(page, "/ru/appeals/new/documents/")
    referral = tmp_path / "направление.pdf"
    referral.write_bytes(pdf_bytes())
    page.set_input_files("#id_files", [str(referral)])
    submit(page)
    on_page(page, "/ru/appeals/new/documents/")
    assert "направление.pdf" in page.locator("main .govuk-summary-list").inner_text()
    page.locator("#documents-continue").click()

    on_page(page, "/ru/appeals/new/answer/")
    assert page.locator('input[name=answer_by][value="cabinet"]').is_checked()
    submit(page)

    on_page(page, "/ru/appeals/new/check/")
    summary = page.locator("main .govuk-summary-list").inner_text()
    assert "Терапевт отказал" in summary and clinic.name_ru in summary and "направление.pdf" in summary
    submit(page)

    appeal = Appeal.objects.get()
    on_page(page, f"/ru/appeals/{appeal.number}/sent/")
    assert page.locator("#appeal-number").inner_text() == appeal.number
    assert page.locator(".govuk-panel--confirmation").count() == 1

    # A fund officer answers (the back office's own pages are tested in osms/appeals/tests/test_admin.py).
    services.appeal_assign(actor=officer, appeal=appeal, officer=officer)
    services.appeal_start(actor=officer, appeal=appeal)
    services.appeal_answer(
        actor=officer,
        appeal=appeal,
        text="Вам выдано направление на МРТ; запись на 02.04.2026.",
        uploads=[checked_pdf("направление-мрт.pdf")],
    )

    # The citizen reads the answer in the cabinet: from the list, with the status tag.
    page.goto("/ru/appeals/")
    on_page(page, "/ru/appeals/")
    row = page.locator("main table tbody tr", has_text=appeal.number)
    assert row.locator(".govuk-tag--green").count() == 1
    row.locator(f'a[href="/ru/appeals/{appeal.number}/"]').click()
    on_page(page, f"/ru/appeals/{appeal.number}/")
    main = page.locator("main").inner_text()
    assert "Вам выдано направление на МРТ" in main
    assert officer.last_name not in main
    with page.expect_download() as download:
        page.locator("main a[download]", has_text="направление-мрт.pdf").click()
    assert download.value.suggested_filename == "направление-мрт.pdf"
    assert page.locator("main ol li").count() >= 4  # registered, assigned, started, answered
    keyboard_check(page)

    # The citizen agrees: the appeal closes.
    with page.expect_navigation():
        page.locator(f'main form[action="/ru/appeals/{appeal.number}/accept/"] button').click()
    on_page(page, f"/ru/appeals/{appeal.number}/")
    assert page.locator("main .govuk-notification-banner--success").count() == 1
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED

    # Anyone can check the status by number and IIN, without signing in.
    page.context.clear_cookies()
    page.goto("/ru/appeals/check/")
    on_page(page, "/ru/appeals/check/")
    page.fill("#id_number", appeal.number)
    page.fill("#id_iin", citizen.iin)
    submit(page)
    on_page(page, "/ru/appeals/check/")
    found = page.locator("#appeal-status").inner_text()
    assert appeal.number in found
    assert "Терапевт" not in page.locator("main").inner_text()
    page.fill("#id_number", appeal.number)
    page.fill("#id_iin", officer.iin)
    submit(page)
    on_page(page, "/ru/appeals/check/")
    assert page.locator("#appeal-not-found").count() == 1


@pytest.mark.parametrize("viewport", [{"width": 360, "height": 740}], ids=["360px"])
def test_the_appeal_pages_fit_a_phone(page, people):
    citizen, _officer, _clinic = people
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", citizen.iin)
    page.fill("#id_password", PASSWORD)
    submit(page)
    for path in ("/ru/appeals/", "/ru/appeals/new/topic/", "/ru/appeals/check/"):
        page.goto(path)
        on_page(page, path)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 360, f"{path} scrolls sideways at 360 px: {width} px wide"


def test_the_officer_assigns_an_appeal_to_herself_in_the_back_office(page, people):
    """The button "Назначить мне" submits on its own: the officer list beside it is required only for "Назначить"
    (issue 15, item 14); the sign-in before it is one page (item 15)."""
    citizen, officer, _clinic = people
    appeal = appeal_file(citizen=citizen)
    back_office_sign_in(page, officer, PASSWORD)
    change = f"/ru/admin/appeals/appeal/{appeal.pk}/change/"
    page.goto(change)
    page.wait_for_url(url(change))
    axe_check(page)
    assert page.locator("#id_officer").evaluate("select => select.required")  # the list stays required
    with page.expect_navigation():
        page.locator("button[form=appeal-assign-me]").click()
    page.wait_for_url(url(change))
    appeal.refresh_from_db()
    assert appeal.assigned_to == officer and appeal.status == Status.ASSIGNED
    assert page.locator("ul.messagelist .success").count() == 1
    assert page.locator("button[form=appeal-assign-me]").count() == 0  # now hers: the button is gone
