"""Sign-in by IIN and password, lockout, password reset by SMS code, idle sessions, the staff second factor."""

import re

import pytest
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, iin, password=PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": iin, "password": password, **extra})


def test_sign_in_by_iin_and_password(client, citizen):
    response = sign_in(client, citizen.iin)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:cabinet")
    assert client.get(reverse("accounts:cabinet")).context["user"] == citizen


def test_wrong_password_says_so_without_telling_which_part(client, citizen):
    response = sign_in(client, citizen.iin, "wrong-password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not response.wsgi_request.user.is_authenticated


def test_next_parameter_is_followed_only_within_the_site(client, citizen):
    response = sign_in(client, citizen.iin, next="https://evil.example.com/")
    assert response["Location"] == reverse("accounts:cabinet")
    client.logout()
    response = sign_in(client, citizen.iin, next=reverse("accounts:profile"))
    assert response["Location"] == reverse("accounts:profile")


def test_five_failed_sign_ins_lock_the_iin_even_with_the_right_password(client, citizen):
    for _ in range(5):
        sign_in(client, citizen.iin, "wrong-password")
    response = sign_in(client, citizen.iin)
    assert response.status_code == 429
    assert response.context["locked_out"]
    assert not response.wsgi_request.user.is_authenticated


def test_lockout_ends_after_the_cool_off(client, citizen, time_machine):
    time_machine.move_to("2026-11-23 10:00:00+05:00")
    for _ in range(5):
        sign_in(client, citizen.iin, "wrong-password")
    time_machine.move_to("2026-11-23 10:16:00+05:00")
    assert sign_in(client, citizen.iin).status_code == 302


def test_sign_out_needs_a_post(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:cabinet")).status_code == 302


def test_an_idle_session_ends(client, citizen, time_machine):
    time_machine.move_to("2026-11-23 10:00:00+05:00", tick=False)
    sign_in(client, citizen.iin)
    assert client.get(reverse("accounts:cabinet")).status_code == 200
    time_machine.move_to("2026-11-23 10:20:00+05:00", tick=False)
    assert client.get(reverse("accounts:cabinet")).status_code == 200  # activity resets the clock
    time_machine.move_to("2026-11-23 10:51:00+05:00", tick=False)
    response = client.get(reverse("accounts:cabinet"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")


def test_password_reset_by_sms_code(client, citizen, sms_outbox):
    response = client.post(reverse("accounts:password_reset"), {"iin": citizen.iin})
    assert response["Location"] == reverse("accounts:password_reset_finish")
    assert sms_outbox[-1]["to"] == citizen.phone
    code = re.search(r"\b(\d{6})\b", sms_outbox[-1]["text"]).group(1)
    new_password = "Brand-New-Password-77"
    response = client.post(
        reverse("accounts:password_reset_finish"),
        {"code": code, "password1": new_password, "password2": new_password},
    )
    assert response["Location"] == reverse("accounts:login")
    assert sign_in(client, citizen.iin, new_password).status_code == 302


def test_password_reset_for_an_unknown_iin_looks_the_same_and_sends_nothing(client, sms_outbox):
    from conftest import new_iin

    response = client.post(reverse("accounts:password_reset"), {"iin": new_iin()})
    assert response["Location"] == reverse("accounts:password_reset_finish")
    assert sms_outbox == []
    response = client.post(
        reverse("accounts:password_reset_finish"),
        {"code": "123456", "password1": "Brand-New-Password-77", "password2": "Brand-New-Password-77"},
    )
    assert "code" in response.context["form"].errors


def test_reset_code_is_single_use(client, citizen, sms_outbox):
    client.post(reverse("accounts:password_reset"), {"iin": citizen.iin})
    code = re.search(r"\b(\d{6})\b", sms_outbox[-1]["text"]).group(1)
    data = {"code": code, "password1": "Brand-New-Password-77", "password2": "Brand-New-Password-77"}
    client.post(reverse("accounts:password_reset_finish"), data)
    client.post(reverse("accounts:password_reset"), {"iin": citizen.iin})
    response = client.post(
        reverse("accounts:password_reset_finish"),
        {**data, "password1": "Another-Password-88", "password2": "Another-Password-88"},
    )
    if re.search(r"\b(\d{6})\b", sms_outbox[-1]["text"]).group(1) != code:
        assert "code" in response.context["form"].errors


def test_staff_need_a_second_factor_for_the_back_office(client, make_user):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    officer = make_user(role="fund_officer")
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    login_url = reverse("admin:login")
    response = client.post(login_url, {"username": officer.iin, "password": PASSWORD, "next": reverse("admin:index")})
    assert response.status_code == 200  # no token: refused
    assert client.get(reverse("admin:index")).status_code == 302

    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post(
        login_url,
        {
            "username": officer.iin,
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": token,
            "next": reverse("admin:index"),
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_staff_sign_in_on_one_page_with_their_one_device(client, make_user, language):
    """IIN, password and code in one round: the only device is chosen for the officer (issue 15, item 15)."""
    from django.utils import translation
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    officer = make_user(role="fund_officer")
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    with translation.override(language):
        login_url, index = reverse("admin:login"), reverse("admin:index")
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    data = {"username": officer.iin, "password": PASSWORD, "otp_token": token, "next": index}
    response = client.post(login_url, data)
    assert response.status_code == 302 and response["Location"] == index
    assert client.get(index).status_code == 200
    client.logout()
    wrong = client.post(login_url, {**data, "otp_token": "000000" if token != "000000" else "111111"})
    codes = [error.code for error in wrong.context["form"].non_field_errors().as_data()]
    assert wrong.status_code == 200 and codes == ["invalid_token"]  # the code was checked, not "select a device"


def test_with_two_devices_the_officer_chooses_one(client, make_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    officer = make_user(role="fund_officer")
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=officer, name="tablet", confirmed=True)
    login_url = reverse("admin:login")
    response = client.post(login_url, {"username": officer.iin, "password": PASSWORD, "otp_token": "123456"})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["device_required"]
    assert 'id="id_otp_device"' in response.content.decode()


def test_a_signed_in_citizen_without_verified_second_factor_cannot_use_the_admin(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_clinic_registrar_must_be_bound_to_a_clinic(staff_client, make_user):
    from django.contrib.auth.models import Group

    from osms.clinics.models import Clinic

    admin_user = make_user(role="administrator", is_superuser=True)
    registrar = make_user(role="fund_officer")
    client = staff_client(admin_user)
    url = reverse("admin:accounts_user_change", args=[registrar.pk])
    data = {
        "iin": registrar.iin,
        "last_name": registrar.last_name,
        "first_name": registrar.first_name,
        "phone": registrar.phone,
        "language": "ru",
        "is_active": "on",
        "is_staff": "on",
        "groups": [Group.objects.get_or_create(name="clinic_registrar")[0].pk],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "clinic" in response.context["adminform"].form.errors
    clinic = Clinic.objects.create(
        code="PMSP-1", name_kk="Емхана", name_ru="Поликлиника", region="astana", city="Астана", address="пр. Абая, 1"
    )
    response = client.post(url, {**data, "clinic": clinic.pk})
    assert response.status_code == 302
    registrar.refresh_from_db()
    assert registrar.clinic == clinic and registrar.has_role("clinic_registrar")


def test_my_requests_lists_every_service_without_error(client, citizen):
    client.force_login(citizen)
    response = client.get(reverse("accounts:requests"))
    assert response.status_code == 200


def test_the_cabinet_links_every_installed_service(client, citizen):
    client.force_login(citizen)
    urls = [section.url for section in client.get(reverse("accounts:cabinet")).context["sections"]]
    for name in (
        "coverage:my_status",
        "statements:list",
        "clinics:my_attachment",
        "temporary_status:list",
        "appeals:list",
    ):
        assert reverse(name) in urls
