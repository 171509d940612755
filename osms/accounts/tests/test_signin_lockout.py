"""One lockout for every way of signing in (django-axes, per IIN and address): a refused EDS counts as a
wrong password does, against the IIN its certificate names, and a locked-out IIN is refused the same
429 page by the password, the EDS and the registration's last step alike."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, in_register, new_iin
from osms.accounts.models import User

from .test_identity_eds import BIRTH, challenge, signed, start_registration

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def no_number_iin():
    iin = new_iin(BIRTH, female=True)
    in_register(iin, phone="")
    return iin


def _bad_eds_sign_in(client, pki, iin: str, kind: str = "revoked"):
    proof = signed(pki, challenge(client, "login"), iin=iin, kind=kind)
    return client.post(reverse("accounts:login_eds"), proof)


def test_failed_eds_sign_ins_count_towards_the_lockout_of_the_iin(client, ncanode_standin, citizen, settings):
    for kind in ("revoked", "expired", "self-signed", "revoked"):
        assert _bad_eds_sign_in(client, ncanode_standin, citizen.iin, kind).status_code == 400
    attempt = AccessAttempt.objects.get(username=citizen.iin)
    assert attempt.failures_since_start == 4
    assert "eds_cms=****" in attempt.post_data and "MII" not in attempt.post_data  # the CMS is not kept
    # The fifth failure, by EDS, locks the IIN for this address on every path, the password too.
    assert _bad_eds_sign_in(client, ncanode_standin, citizen.iin).status_code == 429
    response = client.post(reverse("accounts:login"), {"username": citizen.iin, "password": PASSWORD})
    assert response.status_code == 429 and response.context["locked_out"]
    assert client.get(reverse("accounts:cabinet")).status_code == 302


def test_password_and_eds_failures_add_up(client, ncanode_standin, citizen, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("accounts:login"), {"username": citizen.iin, "password": "wrong-password-1"})
    response = client.post(
        reverse("accounts:login_eds"),
        signed(ncanode_standin, challenge(client, "login"), iin=citizen.iin, data=b"OSMS portal login - other"),
    )
    assert response.status_code == 429 and response.context["locked_out"]
    good = signed(ncanode_standin, challenge(client, "login"), iin=citizen.iin)
    assert client.post(reverse("accounts:login_eds"), good).status_code == 429
    assert client.get(reverse("accounts:cabinet")).status_code == 302


def test_a_locked_out_iin_gets_the_lockout_page_for_a_bad_eds_as_well(client, ncanode_standin, citizen, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": citizen.iin, "password": "wrong-password-1"})
    response = _bad_eds_sign_in(client, ncanode_standin, citizen.iin)
    assert response.status_code == 429 and response.context["locked_out"]


def test_the_lockout_of_one_iin_leaves_another_iins_eds_alone(client, ncanode_standin, citizen, make_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _bad_eds_sign_in(client, ncanode_standin, citizen.iin)
    other = make_user()
    good = signed(ncanode_standin, challenge(client, "login"), iin=other.iin)
    assert client.post(reverse("accounts:login_eds"), good).status_code == 302


def test_a_signature_over_another_sessions_challenge_counts_against_the_iin_it_names(client, ncanode_standin, citizen):
    issued = challenge(Client(), "login")
    response = client.post(reverse("accounts:login_eds"), signed(ncanode_standin, issued, iin=citizen.iin))
    assert response.status_code == 400 and "already used" in response.content.decode()
    assert AccessAttempt.objects.get(username=citizen.iin).failures_since_start == 1


def test_a_signature_that_names_no_one_locks_no_one(client, ncanode_standin, citizen, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        issued = challenge(client, "login")
        response = client.post(reverse("accounts:login_eds"), {"eds_token": issued["token"], "eds_cms": "TUlJQg=="})
        assert response.status_code == 400
    assert not AccessFailureLog.objects.exists()
    good = signed(ncanode_standin, challenge(client, "login"), iin=citizen.iin)
    assert client.post(reverse("accounts:login_eds"), good).status_code == 302


def test_ncanode_down_is_not_a_failed_sign_in(client, ncanode_standin, citizen, settings):
    issued = challenge(client, "login")
    settings.NCANODE_URL = "http://127.0.0.1:9"  # nothing listens there
    response = client.post(reverse("accounts:login_eds"), signed(ncanode_standin, issued, iin=citizen.iin))
    assert response.status_code == 400 and "does not answer" in response.content.decode()
    assert not AccessFailureLog.objects.exists()


def test_a_locked_out_iin_cannot_finish_registration_by_eds(client, ncanode_standin, no_number_iin, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": no_number_iin, "password": "wrong-password-1"})
    start_registration(client, no_number_iin)
    proof = signed(ncanode_standin, challenge(client, "register"), iin=no_number_iin)
    response = client.post(reverse("accounts:register_eds"), proof)
    assert response.status_code == 429 and response.context["locked_out"]
    assert client.get(reverse("accounts:cabinet")).status_code == 302


def test_a_locked_out_iin_cannot_finish_registration_by_sms_code(client, settings):
    iin = new_iin(BIRTH, female=True)
    in_register(iin, phone="+77011234567")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": iin, "password": "wrong-password-1"})
    start_registration(client, iin)
    response = client.post(reverse("accounts:register_verify"), {"code": "000000"})  # the lockout comes first
    assert response.status_code == 429 and response.context["locked_out"]
    assert not User.objects.filter(iin=iin, is_active=True).exists()


def test_failed_eds_registrations_count_towards_the_lockout_of_the_pending_iin(
    client, ncanode_standin, no_number_iin, settings
):
    start_registration(client, no_number_iin)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        proof = signed(ncanode_standin, challenge(client, "register"), iin=new_iin(BIRTH))
        assert client.post(reverse("accounts:register_eds"), proof).status_code == 400
    proof = signed(ncanode_standin, challenge(client, "register"), iin=new_iin(BIRTH))
    assert client.post(reverse("accounts:register_eds"), proof).status_code == 429
    right = signed(ncanode_standin, challenge(client, "register"), iin=no_number_iin)
    assert client.post(reverse("accounts:register_eds"), right).status_code == 429


def test_an_eds_sign_in_clears_the_failures_as_a_password_sign_in_does(client, ncanode_standin, citizen, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _bad_eds_sign_in(client, ncanode_standin, citizen.iin)
    good = signed(ncanode_standin, challenge(client, "login"), iin=citizen.iin)
    assert client.post(reverse("accounts:login_eds"), good).status_code == 302
    client.post(reverse("accounts:logout"))
    assert not AccessAttempt.objects.filter(username=citizen.iin).exists()
    assert _bad_eds_sign_in(client, ncanode_standin, citizen.iin).status_code == 400
