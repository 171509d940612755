"""Pages that follow what they wait for (docs/adr/0015), in a real browser: the statement request page
changes to the issued document without a reload once the Fund's worker has prepared it, and says so in
its live region; a register import's page in the back office follows the import to its end. Each page
passes axe-core at 1280 and 360 px.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.functional import empty

from conftest import PASSWORD
from osms.accounts.roles import roles_sync
from osms.core.uploads import private_storage
from osms.coverage import services as coverage
from osms.coverage.importers.parsing import PAYMENTS_HEADER
from osms.coverage.models import ImportJob
from osms.coverage.periods import Period
from osms.coverage.tests.factories import iin, payment_line, register
from osms.statements import services as statements
from osms.statements.models import StatementRequest
from osms.statements.tests.factories import draft, last_code

from .helpers import AXE_TAGS, SCREENSHOTS, axe_check, axe_source, back_office_sign_in, format_violations

PHONE = "+77015550061"
PHONE_SIZES = ({"width": 1280, "height": 800}, {"width": 360, "height": 740})


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.NCANODE_URL = ""
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


@pytest.fixture
def queue_held(monkeypatch):
    """The worker is busy: tasks queued by the pages wait, and the test runs them when it chooses."""
    from osms.coverage import tasks as coverage_tasks
    from osms.statements import tasks as statement_tasks

    monkeypatch.setattr(statement_tasks.statement_process, "delay", lambda *args, **kwargs: None)
    monkeypatch.setattr(coverage_tasks.import_job_run, "delay", lambda *args, **kwargs: None)


def sign_in(page, user) -> None:
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", user.iin)
    page.fill("#id_password", PASSWORD)
    page.locator("#main-content form [name=submit]").first.click()
    page.wait_for_url("**/ru/accounts/cabinet/")


def axe_only(page) -> None:
    """axe-core's WCAG 2.2 A/AA check on a back-office page (the Django admin's own styles)."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    assert not results["violations"], format_violations(results["violations"])


@pytest.mark.parametrize("viewport", PHONE_SIZES, ids=["1280", "360"])
def test_the_request_page_changes_to_the_issued_statement_without_a_reload(
    page, viewport, transactional_db, make_user, private_media, queue_held
):
    citizen = make_user(phone=PHONE)
    request = draft(citizen, first=Period(2026, 1), last=Period(2026, 6))
    statements.statement_confirmation_begin(actor=citizen, request=request, method="sms")
    statements.statement_request_confirm(actor=citizen, request=request, method="sms", proof=last_code(PHONE))
    request.refresh_from_db()
    assert request.status == StatementRequest.Status.RECEIVED

    sign_in(page, citizen)
    page.goto(f"/ru/statements/{request.number}/")
    axe_check(page)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=SCREENSHOTS / f"statement-being-prepared-{viewport['width']}.png")
    follower = page.locator("main [data-progress-url]")
    assert follower.get_attribute("data-progress-state") == "received"
    assert page.locator("main article.statement-document").count() == 0
    announce = page.locator("main [data-progress-announce]")
    assert announce.get_attribute("aria-live") == "polite" and announce.inner_text() == ""
    page.evaluate("window.stayedOnThePage = true")

    statements.statement_process(request_id=request.pk)  # the worker prepares the statement

    page.locator("main article.statement-document").wait_for(timeout=20_000)
    assert page.evaluate("window.stayedOnThePage === true")  # no reload: the region was taken again
    assert follower.get_attribute("data-progress-state") == "issued"
    assert announce.inner_text().strip() != ""
    assert page.locator(f'main a.govuk-button[href="/ru/statements/{request.number}/document.pdf"]').count() == 1
    axe_check(page)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize("viewport", PHONE_SIZES, ids=["1280", "360"])
def test_the_import_page_follows_the_register_import_to_its_end(
    page, viewport, transactional_db, make_user, private_media, queue_held
):
    roles_sync()
    officer = make_user(role="fund_officer")
    lines = [payment_line(iin(), "012024") for _ in range(3)] + [payment_line(iin(), "022024", knp="999")]
    upload = SimpleUploadedFile("payments.csv", register(PAYMENTS_HEADER, lines), content_type="text/csv")
    job = coverage.import_job_create(actor=officer, kind="payments", file=upload)
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.QUEUED

    back_office_sign_in(page, officer, PASSWORD)
    page.goto(f"/ru/admin/coverage/importjob/{job.pk}/change/")
    axe_only(page)
    follower = page.locator("#import-progress")
    assert follower.get_attribute("data-progress-state") == "queued"
    page.evaluate("window.stayedOnThePage = true")

    coverage.import_job_run(job_id=job.pk)  # the worker imports the file

    page.locator('#import-progress[data-progress-state="done"]').wait_for(timeout=20_000)
    assert page.evaluate("window.stayedOnThePage === true")
    assert page.locator("#import-progress-rows").inner_text().replace("\u00a0", " ").startswith("4 ")
    assert page.locator("#import-progress-rejected").inner_text() == "1"
    assert page.locator("#import-progress-bar").get_attribute("value") == "100"
    page.locator("#import-progress").screenshot(path=SCREENSHOTS / f"import-progress-{viewport['width']}.png")
    assert page.locator("#import-progress [data-progress-announce]").inner_text().strip() != ""
    axe_only(page)
