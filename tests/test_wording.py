"""What a Kazakh- or Russian-speaking user reads where the portal borrows another package's screens
(django-otp's back-office sign-in, Django's admin), and buttons that say what they do."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

ENGLISH_OTP = (
    "OTP Token",
    "OTP Device",
    "Get OTP Challenge",
    "Please enter your OTP token.",
    "Please select a device.",
)
SIGN_IN = {
    "kk": ("Бір реттік код:", "Бір реттік кодты енгізіңіз."),
    "ru": ("Одноразовый код:", "Введите одноразовый код."),
}


def admin_url(name: str, language: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_back_office_sign_in_speaks_the_language(client, make_user, language):
    label, token_required = SIGN_IN[language]
    page = client.get(admin_url("admin:login", language)).content.decode()
    assert label in page
    assert not [text for text in ENGLISH_OTP if text in page]
    officer = make_user(role="fund_officer")
    response = client.post(admin_url("admin:login", language), {"username": officer.iin, "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 200 and token_required in html
    assert not [text for text in ENGLISH_OTP if text in html]


def test_the_kazakh_back_office_shows_no_english_of_djangos_admin(client, make_user, staff_client):
    from osms.accounts.roles import roles_sync

    roles_sync()
    staff_client(make_user(role="administrator"))
    html = client.get(admin_url("admin:index", "kk")).content.decode()
    for english in ("Recent actions", "View site", "Skip to main content", "Toggle theme", "Start typing to filter"):
        assert english not in html, english
    assert "Соңғы әрекеттер" in html or "Менің әрекеттерім" in html


@pytest.mark.parametrize(("language", "button"), [("ru", "Зарегистрировать"), ("kk", "Тіркеу"), ("en", "Register")])
def test_the_operators_save_button_is_a_verb(client, make_user, staff_client, language, button):
    from osms.accounts.roles import roles_sync

    roles_sync()
    staff_client(make_user(role="call_centre_operator"))
    html = client.get(admin_url("admin:appeals_appeal_register", language)).content.decode()
    assert f'type="submit" class="default" value="{button}"' in html
    assert 'value="Регистрация"' not in html


@pytest.mark.parametrize(("language", "title"), [("kk", "Аудит журналы"), ("ru", "Журнал аудита")])
def test_the_audit_trail_speaks_the_language(client, make_user, staff_client, language, title):
    from osms.accounts.roles import roles_sync

    roles_sync()
    staff_client(make_user(role="administrator"))
    html = client.get(admin_url("admin:auditlog_logentry_changelist", language)).content.decode()
    assert title in html
    for english in ("Audit log", "Resource Type", "No log entries found."):
        assert english not in html, english
