"""The service-level page of the back office (docs/adr/0015) in a real browser: a fund officer reads each
service's charts, every one an image named by its title with its values in its text alternative, the
numbers in the table beside it, by day and by week; a clinic registrar sees their own clinic only. The
page passes axe-core at 1280 and 360 px.
"""

from __future__ import annotations

import pytest
from django.test import TestCase

from conftest import PASSWORD
from osms.clinics import services as clinics
from osms.clinics.tests.factories import make_clinic, make_fund_officer, make_registrar, submitted
from osms.coverage.periods import Period
from osms.statements import services as statements
from osms.statements.tests.factories import draft, last_code

from .helpers import SCREENSHOTS, back_office_sign_in
from .test_live_progress_journey import PHONE_SIZES, axe_only, private_media  # noqa: F401 (a fixture)


@pytest.fixture
def services_in_use(transactional_db, make_user, private_media):  # noqa: F811
    astana = make_clinic(region="astana", name_ru="Городская поликлиника № 3")
    almaty = make_clinic(region="almaty_city", city="Алматы", name_ru="Поликлиника № 9 (Алматы)")
    registrar = make_registrar(make_user, astana)
    answered = submitted(make_user(), astana)
    submitted(make_user(), astana)
    submitted(make_user(), almaty)
    district = astana.districts.get(number=1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        clinics.application_approve(actor=registrar, application=answered, district=district, doctor=district.doctor)
    citizen = make_user(phone="+77015550062")
    request = draft(citizen, first=Period(2026, 1), last=Period(2026, 6))
    statements.statement_confirmation_begin(actor=citizen, request=request, method="sms")
    statements.statement_request_confirm(actor=citizen, request=request, method="sms", proof=last_code(citizen.phone))
    return {"registrar": registrar, "officer": make_fund_officer(make_user), "astana": astana, "almaty": almaty}


@pytest.mark.parametrize("viewport", PHONE_SIZES, ids=["1280", "360"])
def test_the_officer_reads_the_charts_and_their_numbers(page, viewport, services_in_use):
    back_office_sign_in(page, services_in_use["officer"], PASSWORD)
    page.goto("/ru/admin/statements/statementrequest/")
    page.locator('a[href="/ru/admin/service-level/"]').click()
    page.wait_for_url("**/ru/admin/service-level/")
    axe_only(page)
    for key in ("statements", "attachment", "temporary_status", "appeals"):
        section = page.locator(f"#service-{key}")
        charts = section.locator("svg[role=img]")
        assert charts.count() == 3
        for i in range(3):
            chart = charts.nth(i)
            title_id, desc_id = chart.get_attribute("aria-labelledby").split()
            assert chart.locator(f"title#{title_id}").text_content().strip()
            assert chart.locator(f"desc#{desc_id}").text_content().count(":") == 14  # every day's value
        assert section.locator("table tbody tr").count() == 14
    attachment_today = page.locator("#service-attachment-table tbody tr").last.locator("td")
    assert attachment_today.nth(0).inner_text() == "3"  # arrived today
    assert attachment_today.nth(2).inner_text() == "2"  # waiting now
    assert page.locator("#service-level-by-region tbody tr").count() == 2
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"] + 1
    page.locator("#service-attachment").screenshot(path=SCREENSHOTS / f"service-level-{viewport['width']}.png")

    page.select_option("#service-level-period", "weeks")
    page.select_option("#service-level-region", "astana")
    page.locator("#content-main form input[type=submit]").click()
    page.wait_for_url("**/ru/admin/service-level/?period=weeks&region=astana")
    axe_only(page)
    assert page.locator("#service-attachment-table tbody tr").count() == 8
    assert page.locator("#service-level-by-clinic tbody tr").count() == 1
    assert "Городская поликлиника № 3" in page.locator("#service-level-by-clinic").inner_text()


def test_a_registrar_sees_their_clinic_only(page, services_in_use):
    back_office_sign_in(page, services_in_use["registrar"], PASSWORD)
    page.goto("/ru/admin/service-level/")
    axe_only(page)
    main = page.locator("#content-main").inner_text()
    assert "Городская поликлиника № 3" in main and "Алматы" not in main
    assert page.locator("#service-statements").count() == 0
    assert page.locator("#service-attachment svg[role=img]").count() == 3
