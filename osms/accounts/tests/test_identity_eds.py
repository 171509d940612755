"""Identity proof by an EDS (DOMAIN §14): NCALayer's detached CMS over a server-issued challenge, checked
by NCANode — here the stand-in speaking NCANode's /cms/verify, trusting the test chain."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.urls import reverse

from conftest import PASSWORD, in_register, new_iin
from osms.accounts.models import EdsChallenge, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


BIRTH = dt.date(1985, 6, 9)


def challenge(client, purpose: str) -> dict:
    response = client.post(reverse("accounts:eds_challenge"), {"purpose": purpose})
    assert response.status_code == 200
    return response.json()


def signed(pki, issued: dict, *, iin: str, kind: str = "valid", data: bytes | None = None) -> dict:
    data = base64.b64decode(issued["data"]) if data is None else data
    return {"eds_token": issued["token"], "eds_cms": pki.sign(data, iin=iin, kind=kind)}


def start_registration(client, iin: str) -> None:
    client.post(
        reverse("accounts:register"),
        {
            "iin": iin,
            "last_name": "Жанова",
            "first_name": "Дана",
            "patronymic": "",
            "birth_date": BIRTH.strftime("%d.%m.%Y"),
            "email": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


@pytest.fixture
def no_number_iin():
    iin = new_iin(BIRTH, female=True)
    in_register(iin, phone="")
    return iin


def test_eds_is_offered_only_when_ncanode_is_configured(client, settings):
    settings.NCANODE_URL = ""
    assert "identity-eds.mjs" not in client.get(reverse("accounts:login")).content.decode()
    settings.NCANODE_URL = "http://127.0.0.1:9"
    assert "identity-eds.mjs" in client.get(reverse("accounts:login")).content.decode()


def test_a_person_with_no_number_in_the_register_registers_with_an_eds(client, ncanode_standin, no_number_iin):
    start_registration(client, no_number_iin)
    response = client.post(
        reverse("accounts:register_eds"), signed(ncanode_standin, challenge(client, "register"), iin=no_number_iin)
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:cabinet")
    user = User.objects.get(iin=no_number_iin)
    assert user.is_active and user.identity_proof == "eds" and user.phone == ""
    assert client.get(reverse("accounts:cabinet")).status_code == 200


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("another-iin", "belongs to another person"),
        ("expired", "has expired"),
        ("revoked", "has been revoked"),
        ("self-signed", "НУЦ РК"),
        ("other-text", "not over the text"),
    ],
)
def test_a_bad_eds_is_refused_with_a_clear_message_and_nothing_is_created(
    client, ncanode_standin, no_number_iin, kind, message
):
    start_registration(client, no_number_iin)
    issued = challenge(client, "register")
    if kind == "another-iin":
        proof = signed(ncanode_standin, issued, iin=new_iin(BIRTH))
    elif kind == "other-text":
        proof = signed(ncanode_standin, issued, iin=no_number_iin, data=b"OSMS portal register - other")
    else:
        proof = signed(ncanode_standin, issued, iin=no_number_iin, kind=kind)
    response = client.post(reverse("accounts:register_eds"), proof)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(iin=no_number_iin, is_active=True).exists()
    assert client.get(reverse("accounts:cabinet")).status_code == 302


def test_the_refusal_is_in_the_users_language(client, ncanode_standin, no_number_iin):
    start_registration(client, no_number_iin)
    proof = signed(ncanode_standin, challenge(client, "register"), iin=no_number_iin, kind="expired")
    response = client.post(reverse("accounts:register_eds").replace("/en/", "/kk/"), proof)
    assert response.status_code == 400
    page = response.content.decode()
    assert "has expired" not in page and "мерзімі өткен" in page


def test_a_reused_challenge_is_refused(client, ncanode_standin, citizen):
    proof = signed(ncanode_standin, challenge(client, "login"), iin=citizen.iin)
    assert client.post(reverse("accounts:login_eds"), proof).status_code == 302
    client.post(reverse("accounts:logout"))
    response = client.post(reverse("accounts:login_eds"), proof)
    assert response.status_code == 400 and "already used" in response.content.decode()


def test_a_challenge_from_another_session_or_for_another_purpose_is_refused(client, ncanode_standin, citizen):
    from django.test import Client

    other = Client()
    issued = challenge(other, "login")
    response = client.post(reverse("accounts:login_eds"), signed(ncanode_standin, issued, iin=citizen.iin))
    assert response.status_code == 400 and "already used" in response.content.decode()
    # A reset's challenge needs a reset under way in this session (its IIN is taken from there).
    assert client.post(reverse("accounts:eds_challenge"), {"purpose": "reset"}).status_code == 400


def test_a_challenge_expires(client, ncanode_standin, citizen, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC))
    issued = challenge(client, "login")
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 6, tzinfo=dt.UTC))
    response = client.post(reverse("accounts:login_eds"), signed(ncanode_standin, issued, iin=citizen.iin))
    assert response.status_code == 400 and "expired" in response.content.decode()


def test_a_challenge_is_bound_to_the_pending_iin(client, ncanode_standin, no_number_iin):
    assert client.post(reverse("accounts:eds_challenge"), {"purpose": "register"}).status_code == 400
    start_registration(client, no_number_iin)
    challenge(client, "register")
    assert EdsChallenge.objects.get().iin == no_number_iin


def test_sign_in_with_an_eds(client, ncanode_standin, citizen):
    response = client.post(
        reverse("accounts:login_eds"), signed(ncanode_standin, challenge(client, "login"), iin=citizen.iin)
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:cabinet")).status_code == 200


def test_sign_in_with_an_eds_of_an_iin_without_an_account(client, ncanode_standin):
    iin = new_iin(BIRTH)
    response = client.post(reverse("accounts:login_eds"), signed(ncanode_standin, challenge(client, "login"), iin=iin))
    assert response.status_code == 400 and "no account" in response.content.decode()
    assert client.get(reverse("accounts:cabinet")).status_code == 302


def test_a_locked_out_iin_cannot_sign_in_with_an_eds_either(client, ncanode_standin, citizen, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": citizen.iin, "password": "wrong-password-1"})
    response = client.post(
        reverse("accounts:login_eds"), signed(ncanode_standin, challenge(client, "login"), iin=citizen.iin)
    )
    assert response.status_code == 429
    assert client.get(reverse("accounts:cabinet")).status_code == 302


def test_staff_signed_in_with_an_eds_still_need_totp_for_the_back_office(client, ncanode_standin, make_user):
    officer = make_user(role="fund_officer")
    client.post(reverse("accounts:login_eds"), signed(ncanode_standin, challenge(client, "login"), iin=officer.iin))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_eds_sign_in_proves_a_legacy_account(client, ncanode_standin, make_user):
    legacy = make_user(registered=False, identity_proof_required=True)
    client.post(reverse("accounts:login_eds"), signed(ncanode_standin, challenge(client, "login"), iin=legacy.iin))
    legacy.refresh_from_db()
    assert not legacy.identity_proof_required and legacy.identity_proof == "eds"


def test_a_legacy_account_proves_identity_with_an_eds(client, ncanode_standin, make_user):
    legacy = make_user(registered=False, identity_proof_required=True)
    client.force_login(legacy)
    assert client.get(reverse("accounts:cabinet"))["Location"] == reverse("accounts:identity_prove")
    wrong = signed(ncanode_standin, challenge(client, "reprove"), iin=new_iin())
    assert client.post(reverse("accounts:identity_prove_eds"), wrong).status_code == 400
    right = signed(ncanode_standin, challenge(client, "reprove"), iin=legacy.iin)
    assert client.post(reverse("accounts:identity_prove_eds"), right)["Location"] == reverse("accounts:cabinet")
    assert client.get(reverse("accounts:cabinet")).status_code == 200


def test_password_reset_with_an_eds(client, ncanode_standin, make_user):
    user = make_user(registered=False)  # no number in the register: only the EDS can reset
    client.post(reverse("accounts:password_reset"), {"iin": user.iin})
    proof = signed(ncanode_standin, challenge(client, "reset"), iin=user.iin)
    new = "Another-Horse-88-Battery"
    response = client.post(reverse("accounts:password_reset_finish"), {**proof, "password1": new, "password2": new})
    assert response["Location"] == reverse("accounts:login")
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_with_the_eds_of_another_iin_is_refused(client, ncanode_standin, make_user):
    user = make_user(registered=False)
    client.post(reverse("accounts:password_reset"), {"iin": user.iin})
    proof = signed(ncanode_standin, challenge(client, "reset"), iin=new_iin())
    new = "Another-Horse-88-Battery"
    response = client.post(reverse("accounts:password_reset_finish"), {**proof, "password1": new, "password2": new})
    assert response.status_code == 200 and "another person" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
