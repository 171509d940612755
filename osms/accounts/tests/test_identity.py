"""Identity proof by a code to the persons register's number (DOMAIN §14): registration, password
reset, accounts made before the proof, and the number following the register."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from conftest import PASSWORD, in_register, new_iin
from osms.accounts.identity import mask_phone, masked_register_phone
from osms.accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


BIRTH = dt.date(1992, 4, 17)


def registration(iin: str, **overrides) -> dict:
    data = {
        "iin": iin,
        "last_name": "Ахметова",
        "first_name": "Айжан",
        "patronymic": "",
        "birth_date": BIRTH.strftime("%d.%m.%Y"),
        "email": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return data | overrides


def code_in(sms: dict) -> str:
    return re.search(r"\b(\d{6})\b", sms["text"]).group(1)


def test_the_form_never_asks_for_a_phone(client):
    html = client.get(reverse("accounts:register")).content.decode()
    assert 'name="phone"' not in html and 'type="tel"' not in html


def test_the_code_goes_to_the_registers_number_shown_masked(client, sms_outbox):
    iin = new_iin(BIRTH)
    in_register(iin, phone="+77051234512")
    client.post(reverse("accounts:register"), registration(iin, phone="+77009998877"))  # a smuggled field is ignored
    assert [sms["to"] for sms in sms_outbox] == ["+77051234512"]
    page = client.get(reverse("accounts:register_verify")).content.decode()
    assert "+7 7•• ••• •• 12" in page and "1234512" not in page
    assert mask_phone("+77051234512") == "+7 7•• ••• •• 12"


def test_someone_registering_an_iin_not_theirs_never_gets_in(client, sms_outbox):
    iin = new_iin(BIRTH)
    in_register(iin, phone="+77051234512")  # the owner's number
    client.post(reverse("accounts:register"), registration(iin))
    for guess in ("000000", "123456", "111111", "999999", "654321"):
        client.post(reverse("accounts:register_verify"), {"code": guess})
    right = code_in(sms_outbox[0])  # even the right code is useless after five wrong tries
    client.post(reverse("accounts:register_verify"), {"code": right})
    assert not User.objects.get(iin=iin).is_active
    assert client.get(reverse("accounts:cabinet")).status_code == 302
    assert {sms["to"] for sms in sms_outbox} == {"+77051234512"}


@pytest.mark.parametrize("phone", ["", None], ids=["no-number", "not-in-register"])
def test_an_iin_without_a_number_in_the_register_cannot_register_by_sms(client, sms_outbox, phone):
    iin = new_iin(BIRTH)
    if phone is not None:
        in_register(iin, phone=phone)
    response = client.post(reverse("accounts:register"), registration(iin))
    assert response["Location"] == reverse("accounts:register_verify")
    assert sms_outbox == []
    response = client.post(reverse("accounts:register_verify"), {"code": "123456"})
    assert "code" in response.context["form"].errors
    assert not User.objects.filter(iin=iin, is_active=True).exists()
    page = response.content.decode()
    assert "eGov" in page and "ЦОН" in page  # what to do: register the number, or get an EDS


def same_for_everyone(page: str) -> str:
    """The page less what differs on every request (CSRF token, CSP nonce) and the masked number."""
    page = re.sub(r"\+7 7•• ••• •• \d\d", "+7 MASK", page)
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r'nonce="[^"]+"', "", page)


def _answer(client, iin: str) -> tuple[int, str, str]:
    response = client.post(reverse("accounts:register"), registration(iin))
    page = client.get(reverse("accounts:register_verify"))
    return response.status_code, response["Location"], same_for_everyone(page.content.decode())


def test_registration_answers_read_the_same_whoever_the_iin_is(client, make_user):
    with_account = make_user(birth=BIRTH).iin
    in_register_with_number = new_iin(BIRTH)
    in_register(in_register_with_number, phone="+77051234512")
    without_number = new_iin(BIRTH)
    in_register(without_number, phone="")
    unknown = new_iin(BIRTH)
    answers = {iin: _answer(client, iin) for iin in (with_account, in_register_with_number, without_number, unknown)}
    assert len(set(answers.values())) == 1
    # The masked number of an IIN without one is made up, but always the same for that IIN.
    assert masked_register_phone(unknown) == masked_register_phone(unknown)


def test_the_sms_is_queued_on_commit_never_sent_in_the_request(client, django_capture_on_commit_callbacks):
    from osms.accounts import services

    iin = new_iin(BIRTH)
    in_register(iin, phone="+77051234512")
    with django_capture_on_commit_callbacks() as callbacks:
        services.citizen_register(
            iin=iin,
            last_name="А",
            first_name="Б",
            patronymic="",
            birth_date=BIRTH,
            email="",
            password=PASSWORD,
            language="ru",
        )
    assert len(callbacks) == 1  # the Celery task, queued for after the commit


def test_password_reset_answers_read_the_same_and_the_code_goes_to_the_register(client, citizen, sms_outbox):
    def answer(iin):
        response = client.post(reverse("accounts:password_reset"), {"iin": iin})
        page = client.get(reverse("accounts:password_reset_finish")).content.decode()
        return response["Location"], same_for_everyone(page)

    unknown = new_iin()
    assert answer(citizen.iin) == answer(unknown)
    assert [sms["to"] for sms in sms_outbox] == [citizen.phone]


def test_password_reset_uses_the_registers_number_not_the_accounts(client, make_user, sms_outbox):
    user = make_user(phone="+77010000099", registered=False)
    in_register(user.iin, phone="+77470000011")
    client.post(reverse("accounts:password_reset"), {"iin": user.iin})
    assert [sms["to"] for sms in sms_outbox] == ["+77470000011"]
    client.post(
        reverse("accounts:password_reset_finish"),
        {"code": code_in(sms_outbox[0]), "password1": "New-Horse-77-Battery", "password2": "New-Horse-77-Battery"},
    )
    user.refresh_from_db()
    assert user.check_password("New-Horse-77-Battery") and user.phone == "+77470000011"


# --- accounts made before the proof ------------------------------------------------------------------------------
@pytest.fixture
def legacy(make_user):
    user = make_user(phone="+77010000099", registered=False, identity_proof_required=True)
    in_register(user.iin, phone="+77470000011")
    return user


PERSONAL = ["accounts:cabinet", "accounts:profile", "accounts:requests", "coverage:my_status", "appeals:list"]


def test_a_legacy_account_sees_no_personal_data_until_it_proves_identity(client, legacy, sms_outbox):
    client.force_login(legacy)
    for name in PERSONAL:
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("accounts:identity_prove"), name
    page = client.get(reverse("accounts:identity_prove")).content.decode()
    assert "+7 7•• ••• •• 11" in page and "confirm once that the IIN is yours" in page
    client.post(reverse("accounts:identity_code_send"))
    assert [sms["to"] for sms in sms_outbox] == ["+77470000011"]
    client.post(reverse("accounts:identity_prove"), {"code": code_in(sms_outbox[0])})
    legacy.refresh_from_db()
    assert not legacy.identity_proof_required and legacy.phone == "+77470000011" and legacy.identity_proof == "sms"
    assert client.get(reverse("accounts:cabinet")).status_code == 200


def test_staff_are_not_held_by_the_re_proof(staff_client, make_user):
    officer = make_user(role="fund_officer", registered=False, identity_proof_required=True)
    client = staff_client(officer)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_migration_marks_citizens_whose_phone_is_not_the_registers(make_user):
    from importlib import import_module

    from django.apps import apps

    same = make_user()
    differs = make_user(registered=False, phone="+77010000099")
    in_register(differs.iin, phone="+77470000011")
    absent = make_user(registered=False)
    staff = make_user(role="fund_officer", registered=False)
    import_module("osms.accounts.migrations.0004_mark_accounts_to_prove_identity").mark(apps, None)
    flagged = set(User.objects.filter(identity_proof_required=True).values_list("iin", flat=True))
    assert flagged == {differs.iin, absent.iin}
    assert same.iin not in flagged and staff.iin not in flagged


# --- the number follows the register -----------------------------------------------------------------------------
def test_a_register_import_that_changes_the_number_moves_the_account_and_tells_both(
    citizen, sms_outbox, django_capture_on_commit_callbacks
):
    from osms.coverage.importers import parsing, writers

    row = parsing.PersonRow(1, citizen.iin, "Сериков", "Арман", "", citizen.birth_date, "+77479990011")
    with django_capture_on_commit_callbacks(execute=True):
        writers.persons_write([row])
    citizen.refresh_from_db()
    assert citizen.phone == "+77479990011"
    assert sorted(sms["to"] for sms in sms_outbox) == sorted(["+77011234567", "+77479990011"])
    assert citizen.notifications.count() == 1


def test_registering_the_iin_of_a_switched_off_account_does_not_bring_it_back(client, make_user, sms_outbox):
    user = make_user(birth=BIRTH, is_active=False)
    client.post(reverse("accounts:register"), registration(user.iin))
    assert [sms["to"] for sms in sms_outbox] == [user.phone] and not re.search(r"\b\d{6}\b", sms_outbox[0]["text"])
    client.post(reverse("accounts:register_verify"), {"code": "123456"})
    user.refresh_from_db()
    assert not user.is_active and user.first_name == "Арман"


def test_a_register_import_that_drops_the_number_makes_the_citizen_prove_again(
    citizen, sms_outbox, django_capture_on_commit_callbacks
):
    from osms.coverage.importers import parsing, writers

    row = parsing.PersonRow(1, citizen.iin, "Сериков", "Арман", "", citizen.birth_date, "")
    with django_capture_on_commit_callbacks(execute=True):
        writers.persons_write([row])
    citizen.refresh_from_db()
    assert citizen.phone == "" and citizen.identity_proof_required
    assert [sms["to"] for sms in sms_outbox] == ["+77011234567"]  # the old number is told


def test_an_unchanged_register_row_tells_nobody(citizen, sms_outbox, django_capture_on_commit_callbacks):
    from osms.coverage.importers import parsing, writers

    row = parsing.PersonRow(1, citizen.iin, "Сериков", "Арман", "", citizen.birth_date, citizen.phone)
    with django_capture_on_commit_callbacks(execute=True):
        writers.persons_write([row])
    assert sms_outbox == [] and citizen.notifications.count() == 0
