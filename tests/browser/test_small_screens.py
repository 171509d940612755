"""No page scrolls sideways at 360 px (WCAG 1.4.10, issue 15 item 17) and the back office passes axe
WCAG 2.2 AA as the citizen pages do (item 18): every page the journeys visit, citizen and back office,
with records on them, opened in a 360 px window. `axe_check` (helpers.py) checks the width and axe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils.functional import empty

from conftest import PASSWORD
from osms.accounts.models import Role
from osms.appeals.tests.factories import appeal_file
from osms.clinics.tests import factories as clinic_factories
from osms.core.uploads import private_storage
from osms.pages.catalogue import PAGES
from osms.temporary_status.tests.factories import categories_ensure
from osms.temporary_status.tests.factories import submitted as temporary_submitted

from .helpers import axe_check, back_office_sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = 360


@pytest.fixture
def viewport():
    return {"width": PHONE, "height": 740}


@pytest.fixture
def records(make_user, settings, tmp_path, sms_outbox):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.NCANODE_URL = ""
    private_storage._wrapped = empty
    categories_ensure()
    citizen = make_user(last_name="Серикова", first_name="Әйгерім", birth=dt.date(1991, 4, 2), phone="+77015550360")
    clinic = clinic_factories.make_clinic(name_ru="Городская поликлиника № 7 имени Героя Советского Союза")
    application = clinic_factories.submitted(citizen, clinic)
    appeal = appeal_file(citizen=citizen, substance="Не смог записаться к терапевту " * 20)
    temporary = temporary_submitted(citizen, sms_outbox)
    admin = make_user(
        role=Role.ADMINISTRATOR, is_superuser=True, birth=dt.date(1980, 1, 1), last_name="Администраторова"
    )
    yield {"citizen": citizen, "admin": admin, "application": application, "appeal": appeal, "temporary": temporary}
    private_storage._wrapped = empty


def visit(page, path: str) -> None:
    page.goto(path)
    page.wait_for_url(re.compile(rf"^https?://[^/]+{re.escape(path)}(?:[?#].*)?$"))
    axe_check(page)


def test_the_citizen_pages_fit_360_px(page, records):
    citizen = records["citizen"]
    for path in ["/ru/", "/ru/accounts/login/", "/ru/accounts/register/", "/ru/status/", "/ru/calculator/"]:
        visit(page, path)
    for slug in PAGES:
        visit(page, f"/ru/information/{slug}/")
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", citizen.iin)
    page.fill("#id_password", PASSWORD)
    page.locator("#main-content form [name=submit]").first.click()
    page.wait_for_url(re.compile(r".*/ru/accounts/cabinet/$"))
    for path in [
        "/ru/accounts/cabinet/",
        "/ru/accounts/cabinet/requests/",
        "/ru/accounts/cabinet/notifications/",
        "/ru/status/mine/",
        "/ru/statements/",
        "/ru/statements/new/",
        "/ru/clinics/",
        f"/ru/clinics/applications/{records['application'].number}/",
        "/ru/temporary-status/",
        f"/ru/temporary-status/{records['temporary'].pk}/",
        "/ru/appeals/",
        f"/ru/appeals/{records['appeal'].number}/",
        "/ru/appeals/new/topic/",
    ]:
        visit(page, path)


def test_the_back_office_fits_360_px_and_passes_axe(page, records):
    back_office_sign_in(page, records["admin"], PASSWORD)
    for path in [
        "/ru/admin/",
        "/ru/admin/appeals/appeal/",
        f"/ru/admin/appeals/appeal/{records['appeal'].pk}/change/",
        "/ru/admin/clinics/attachmentapplication/",
        f"/ru/admin/clinics/attachmentapplication/{records['application'].pk}/change/",
        "/ru/admin/temporary_status/temporarystatusrequest/",
        f"/ru/admin/temporary_status/temporarystatusrequest/{records['temporary'].pk}/change/",
        "/ru/admin/statements/statementrequest/",
    ]:
        visit(page, path)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}], ids=["desktop"])
def test_the_back_office_lists_pass_axe_on_a_desktop(page, records):
    """The list filters beside the lists (appeals, applications, temporary-status requests): target size."""
    back_office_sign_in(page, records["admin"], PASSWORD)
    for path in [
        "/ru/admin/appeals/appeal/",
        "/ru/admin/clinics/attachmentapplication/",
        "/ru/admin/temporary_status/temporarystatusrequest/",
    ]:
        visit(page, path)
        assert page.locator("#changelist-filter a").count() > 0
