"""A citizen's journey through the portal in a real browser, with an accessibility check on every page.

The pages are not translated yet, so the tests assert on structure (the lang attribute, the URL
prefix, headings, field ids and names), not on the words.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import PASSWORD, in_register
from osms.core.iin import make_iin

from .helpers import axe_check, keyboard_check, sms_code

BIRTH = dt.date(1990, 1, 15)
PHONE_STORED = "+77012345678"
ERROR_RED = "rgb(212, 53, 28)"  # GOV.UK Frontend's error colour


def url(path: str) -> re.Pattern[str]:
    """The page at this path (query and fragment aside), whatever the live server's address."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(?:[?#].*)?$")


def assert_page(page, path: str, lang: str) -> None:
    """The browser shows `path` in language `lang`, with one main heading, and axe finds nothing."""
    page.wait_for_url(url(path))
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("main h1").count() == 1
    axe_check(page)


def submit(page) -> None:
    """Send the page's form and wait for the answer (which may be the same address again)."""
    with page.expect_navigation():
        page.locator("#main-content form [name=submit]").first.click()


def fill_registration(page, *, iin: str, birth_date: str) -> None:
    page.fill("#id_iin", iin)
    page.fill("#id_last_name", "Серикова")
    page.fill("#id_first_name", "Әйгерім")
    page.fill("#id_patronymic", "Қайратқызы")
    page.fill("#id_birth_date", birth_date)
    page.fill("#id_email", "aigerim@example.kz")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)


def sign_out(page, lang: str) -> None:
    page.locator("header form button[type=submit]").click()
    assert_page(page, f"/{lang}/", lang)
    assert page.locator("header form button[type=submit]").count() == 0
    assert page.locator("main .govuk-notification-banner--success").count() == 1


def test_register_sign_in_and_out(page, sms_outbox):
    iin = make_iin(BIRTH, female=True, serial=4321)
    in_register(iin, phone=PHONE_STORED)  # the code goes to the persons register's number (DOMAIN §14)

    page.goto("/")
    assert_page(page, "/ru/", "ru")

    page.locator('header a[href="/ru/accounts/register/"]').click()
    assert_page(page, "/ru/accounts/register/", "ru")
    fill_registration(page, iin=iin, birth_date=BIRTH.strftime("%d.%m.%Y"))
    submit(page)

    assert_page(page, "/ru/accounts/register/confirm/", "ru")
    page.fill("#id_code", sms_code(sms_outbox, PHONE_STORED))
    submit(page)

    # Signed in, in the cabinet, with the confirmation banner.
    assert_page(page, "/ru/accounts/cabinet/", "ru")
    assert iin in page.locator("main").inner_text()
    assert page.locator("main .govuk-notification-banner--success").count() == 1
    assert page.locator("header form button[type=submit]").count() == 1
    # Every link and button of the signed-in shell can be reached by keyboard and shows its focus.
    stops = keyboard_check(page)
    assert stops[0].startswith('a[href="#main-content"]'), stops  # the skip link comes first

    # The language switcher keeps the page; each language marks itself current.
    for lang in ("kk", "en"):
        page.locator(f'header a[hreflang="{lang}"]').click()
        assert_page(page, f"/{lang}/accounts/cabinet/", lang)
        assert page.locator(f'header a[hreflang="{lang}"]').get_attribute("aria-current") == "true"
        assert iin in page.locator("main").inner_text()

    # The cabinet's sections, each reached from the cabinet and back through the breadcrumbs.
    for section in ("profile", "notifications", "requests"):
        page.locator(f'main a[href="/en/accounts/cabinet/{section}/"]').click()
        assert_page(page, f"/en/accounts/cabinet/{section}/", "en")
        page.locator('.govuk-breadcrumbs a[href="/en/accounts/cabinet/"]').click()
        assert_page(page, "/en/accounts/cabinet/", "en")

    sign_out(page, "en")

    # Sign in again with the IIN and the password.
    page.locator('header a[href="/en/accounts/login/"]').click()
    assert_page(page, "/en/accounts/login/", "en")
    page.fill("#id_username", iin)
    page.fill("#id_password", PASSWORD)
    submit(page)
    assert_page(page, "/en/accounts/cabinet/", "en")
    assert iin in page.locator("main").inner_text()

    sign_out(page, "en")
    page.goto("/en/accounts/cabinet/")
    assert_page(page, "/en/accounts/login/", "en")  # the cabinet needs signing in again


def error_links(page) -> list[str]:
    return page.locator(".govuk-error-summary__list a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_registration_errors_link_to_their_fields(page, sms_outbox):
    iin = make_iin(BIRTH, serial=4322)
    page.goto("/ru/accounts/register/")
    axe_check(page)
    title = page.title()

    # A typo in the check digit.
    typo = iin[:11] + str((int(iin[11]) + 1) % 10)
    fill_registration(page, iin=typo, birth_date=BIRTH.strftime("%d.%m.%Y"))
    submit(page)
    assert_page(page, "/ru/accounts/register/", "ru")
    assert error_links(page) == ["#id_iin"]
    assert page.title() != title and page.title().endswith(title)  # "Error: " first, in the page's language
    # The summary takes the focus (GOV.UK Frontend), so that a screen reader announces it first.
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    iin_input = page.locator("#id_iin")
    assert "govuk-input--error" in iin_input.get_attribute("class")
    described_by = iin_input.get_attribute("aria-describedby").split()
    assert any(page.locator(f"#{ref}.govuk-error-message").count() == 1 for ref in described_by)
    # What the citizen typed stays, except the passwords.
    assert iin_input.input_value() == typo
    assert page.locator("#id_last_name").input_value() == "Серикова"
    assert page.locator("#id_patronymic").input_value() == "Қайратқызы"
    assert page.locator("#id_birth_date").input_value() == BIRTH.strftime("%d.%m.%Y")
    assert page.locator("#id_phone").count() == 0  # the number comes from the persons register, never typed
    assert page.locator("#id_email").input_value() == "aigerim@example.kz"
    assert page.locator("#id_password1").input_value() == ""
    keyboard_check(page)

    # A valid IIN but a birth date that is not the one its first six digits give.
    page.fill("#id_iin", iin)
    page.fill("#id_birth_date", "16.01.1990")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    submit(page)
    assert_page(page, "/ru/accounts/register/", "ru")
    assert error_links(page) == ["#id_birth_date"]
    assert "15.01.1990" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("#id_iin").input_value() == iin
    assert page.locator("#id_first_name").input_value() == "Әйгерім"
    # The field in error has GOV.UK Frontend's red border, like every input in error.
    assert page.locator("#id_birth_date").evaluate("e => getComputedStyle(e).borderTopColor") == ERROR_RED

    # Following the summary's link puts the cursor in the field.
    page.locator('.govuk-error-summary__list a[href="#id_birth_date"]').click()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_birth_date'")
    assert sms_outbox == []  # nothing was registered


# A common phone (360 px) and the width WCAG 1.4.10 (reflow) asks content to fit without scrolling sideways.
NARROW = [{"width": 360, "height": 740}, {"width": 320, "height": 640}]


@pytest.mark.parametrize("viewport", NARROW, ids=lambda size: f"{size['width']}px")
def test_narrow_screen(page, viewport):
    for path in ("/ru/", "/ru/accounts/register/"):
        page.goto(path)
        assert_page(page, path, "ru")
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= viewport["width"], f"{path} scrolls sideways at {viewport['width']} px: {width} px wide"
