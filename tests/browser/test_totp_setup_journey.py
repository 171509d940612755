"""Setting up a staff member's authenticator app in the back office, in a real browser: an
administrator opens the TOTP devices, follows the QR code link of a device, and sees the code (an
image that loads, named by its text alternative) with the warning that it holds the secret key, in
Russian. Both pages pass axe-core at 1280 and 360 px."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from osms.accounts.models import Role

from .helpers import back_office_sign_in
from .test_live_progress_journey import PHONE_SIZES, axe_only


@pytest.mark.parametrize("viewport", PHONE_SIZES, ids=["1280", "360"])
def test_an_administrator_shows_a_device_its_qr_code(page, viewport, transactional_db, make_user):
    administrator = make_user(role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True)
    back_office_sign_in(page, administrator, PASSWORD)
    page.goto("/ru/admin/otp_totp/totpdevice/")
    axe_only(page)
    page.get_by_role("link", name="Показать QR-код").first.click()
    page.wait_for_url("**/ru/admin/otp_totp/totpdevice/*/config/")
    axe_only(page)
    assert page.get_by_role("heading", name="Настройка приложения-аутентификатора").is_visible()
    assert "секретный ключ устройства" in page.locator("#content").inner_text()
    code = page.get_by_role("img", name="QR-код ключа устройства")
    code.wait_for()
    assert page.evaluate("image => image.complete && image.naturalWidth > 0", code.element_handle())
    assert page.locator("#no-qrcode").is_hidden()  # the fallback shows only when the image fails
    assert "otpauth://totp/" in page.locator("#content").inner_text()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"] + 1
