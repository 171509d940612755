"""The back office's TOTP devices in the staff member's language (osms/core/totp_labels.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from osms.accounts.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "section", "model", "field", "fieldset"),
    [
        ("ru", "Двухфакторная аутентификация", "Устройства TOTP", "Название", "Настройки"),
        ("kk", "Екі факторлы аутентификация", "TOTP құрылғылары", "Атауы", "Баптаулар"),
        ("en", "Two-factor authentication", "TOTP devices", "Name", "Configuration"),
    ],
)
def test_the_totp_device_pages_speak_the_staff_members_language(
    language, section, model, field, fieldset, staff_client, make_user
):
    user = make_user(role=Role.ADMINISTRATOR, is_superuser=True)
    client = staff_client(user)
    device = TOTPDevice.objects.get(user=user)
    with translation.override(language):
        index, change = reverse("admin:index"), reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    assert section in client.get(index).content.decode()
    page = client.get(change).content.decode()
    assert model.lower() in page.lower() and field in page and fieldset in page


def test_the_models_english_is_django_otps_own():
    """What the migrations and the English pages see is unchanged: no migration for django-otp."""
    meta = TOTPDevice._meta
    with translation.override(None):
        assert str(meta.verbose_name_plural) == "TOTP devices"
        assert [str(field.verbose_name) for field in meta.fields][1:4] == ["user", "name", "confirmed"]


@pytest.mark.parametrize(
    ("language", "column", "link", "heading"),
    [
        ("ru", "QR-код", "Показать QR-код", "Настройка приложения-аутентификатора"),
        ("kk", "QR-код", "QR-кодты көрсету", "Аутентификатор қосымшасын баптау"),
        ("en", "QR code", "Show the QR code", "Set up the authenticator app"),
    ],
)
def test_the_totp_devices_qr_code_and_its_set_up_page_speak_the_staff_members_language(
    language, column, link, heading, staff_client, make_user
):
    user = make_user(role=Role.ADMINISTRATOR, is_superuser=True)
    client = staff_client(user)
    device = TOTPDevice.objects.get(user=user)
    with translation.override(language):
        listing = reverse("admin:otp_totp_totpdevice_changelist")
        config = reverse("admin:otp_totp_totpdevice_config", args=[device.pk])
    page = client.get(listing).content.decode()
    assert column in page and f'href="{config}"' in page and link in page and "qrcode</a>" not in page
    page = client.get(config).content.decode()
    assert heading in page and "Install <a" not in page
    assert device.config_url.replace("&", "&amp;") in page  # the address for an app that cannot scan


def test_showing_a_devices_secret_key_is_a_read_in_the_audit_trail(staff_client, make_user):
    from django.contrib.contenttypes.models import ContentType

    from osms.core.audit import LogEntry

    user = make_user(role=Role.ADMINISTRATOR, is_superuser=True)
    client = staff_client(user)
    device = TOTPDevice.objects.get(user=user)
    for name in ("admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode"):
        assert client.get(reverse(name, args=[device.pk])).status_code == 200
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(TOTPDevice),
        action=LogEntry.Action.ACCESS,
        actor=user,
        object_pk=str(device.pk),
    )
    assert entries.count() == 2  # the page and its image, two requests


def test_a_device_no_longer_there_is_not_found(staff_client, make_user):
    user = make_user(role=Role.ADMINISTRATOR, is_superuser=True)
    client = staff_client(user)
    for name in ("admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode"):
        assert client.get(reverse(name, args=[999999])).status_code == 404
