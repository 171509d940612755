"""Acting for someone end to end in a real browser: a parent picks "acting for" their child in the
cabinet and sees the child's status; asks for the link to a newborn the register lacks, with the
birth certificate; a fund officer approves in the back office; the newborn appears in the switch.
Every citizen page passes axe-core. Found by URL, id and name, not by words."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from conftest import PASSWORD, new_iin
from osms.accounts.models import Role, User
from osms.coverage.models import Person
from osms.representation.models import Representation, RepresentationRequest
from tests.files import pdf_bytes

from .helpers import axe_check, back_office_sign_in


def url(path: str) -> re.Pattern[str]:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(?:[?#].*)?$")


def assert_page(page, path: str) -> None:
    page.wait_for_url(url(path))
    assert page.locator("main h1").count() == 1
    axe_check(page)


def _person(birth: dt.date, first_name: str) -> Person:
    iin = new_iin(birth)
    while Person.objects.filter(iin=iin).exists():
        iin = new_iin(birth)
    return Person.objects.create(iin=iin, last_name="Қасымова", first_name=first_name, birth_date=birth)


@pytest.fixture
def family(transactional_db, make_user, private_media):
    birth = dt.date(1990, 11, 5)
    iin = new_iin(birth, female=True)
    while User.objects.filter(iin=iin).exists():
        iin = new_iin(birth, female=True)
    parent = make_user(iin=iin, birth=birth, last_name="Қасымова", first_name="Динара", phone="+77015550031")
    child = _person(dt.date(2019, 4, 12), "Айлин")
    Representation.objects.create(
        ward=child, representative_iin=parent.iin, ground="parent", start=child.birth_date, source="register"
    )
    baby = _person(timezone.localdate() - dt.timedelta(days=60), "Аяла")
    officer = make_user(role=Role.FUND_OFFICER, last_name="Фондов", first_name="Ерлан", phone="+77015550032")
    return parent, child, baby, officer


def test_a_parent_acts_for_a_child_and_asks_for_a_newborn_an_officer_approves(page, browser, live_server, family):
    parent, child, baby, officer = family
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", parent.iin)
    page.fill("#id_password", PASSWORD)
    page.locator("#main-content form [name=submit]").first.click()
    assert_page(page, "/ru/accounts/cabinet/")

    # The cabinet's switch: "acting for" the child; My status is the child's, and says so.
    page.select_option("#acting-ward", child.iin)
    page.locator("#acting-switch button[type=submit]").click()
    assert_page(page, "/ru/status/mine/")
    assert child.first_name in page.locator("#acting-for").inner_text()
    # Every cabinet page shows whom one acts for.
    page.goto("/ru/accounts/cabinet/")
    assert child.first_name in page.locator("#acting-for").inner_text()
    page.locator("#acting-for button[type=submit]").click()  # back to myself
    assert_page(page, "/ru/accounts/cabinet/")
    assert page.locator("#acting-for").count() == 0

    # The newborn is not in the register: ask, with the birth certificate.
    page.goto("/ru/representation/")
    assert_page(page, "/ru/representation/")
    page.locator('main a[href="/ru/representation/request/"]').click()
    assert_page(page, "/ru/representation/request/")
    page.fill("#id_ward_iin", baby.iin)
    page.check("input[name=ground][value=parent]")
    page.set_input_files(
        "#id_document", files=[{"name": "рождение.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.locator("#main-content form [name=submit]").first.click()
    assert_page(page, "/ru/representation/")
    request = RepresentationRequest.objects.get(user=parent)
    assert request.number in page.locator("#requests").inner_text()

    # The fund officer opens the request, reads the certificate and approves.
    officer_context = browser.new_context(base_url=live_server.url, locale="ru-RU", timezone_id="Asia/Almaty")
    try:
        back_office = officer_context.new_page()
        back_office_sign_in(back_office, officer, PASSWORD)
        back_office.goto("/ru/admin/representation/representationrequest/")
        back_office.locator(f"a[href$='/representationrequest/{request.pk}/change/']").first.click()
        back_office.wait_for_url(url(f"/ru/admin/representation/representationrequest/{request.pk}/change/"))
        link = back_office.locator('a[href$="/document/"]')
        document = officer_context.request.get(link.first.get_attribute("href"))
        assert document.status == 200 and document.headers["content-disposition"].startswith("inline")
        back_office.check("input[name=decision][value=approve]")
        back_office.locator("input[name=_save]").click()
        back_office.wait_for_url(url("/ru/admin/representation/representationrequest/"))
    finally:
        officer_context.close()

    request.refresh_from_db()
    assert request.status == "approved"
    page.goto("/ru/accounts/cabinet/")
    assert_page(page, "/ru/accounts/cabinet/")
    assert page.locator(f"#acting-ward option[value='{baby.iin}']").count() == 1


def test_a_notification_about_the_childs_record_opens_it_and_a_forged_link_names_nobody(page, live_server, family):
    """The e-mailed link of a notification about a ward's record chooses the ward and opens the
    record; a link that does not hold gives a page that names nobody. Both pass axe-core."""
    from django.urls import reverse

    from osms.representation.tests.test_ward_followups import latest_link, notify_about
    from osms.representation.tests.test_ward_services import make_record, subject_for

    parent, child, _baby, _officer = family
    record, record_page = make_record("appeals", parent, subject_for(parent, child.iin))
    notify_about("appeals", record)
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", parent.iin)
    page.fill("#id_password", PASSWORD)
    page.locator("#main-content form [name=submit]").first.click()
    assert_page(page, "/ru/accounts/cabinet/")

    page.goto(latest_link(parent))
    assert_page(page, record_page)
    assert child.first_name in page.locator("#acting-for").inner_text()

    forged = page.goto(reverse("representation:open", args=["not-a-sealed-link"]))
    assert forged.status == 403
    # the page names nobody; the banner above it still shows whom the session acts for
    assert page.locator("main h1").count() == 1 and child.first_name not in page.locator(".govuk-grid-row").inner_text()
    axe_check(page)
