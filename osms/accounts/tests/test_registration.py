"""Citizen registration: IIN, names, birth date agreeing with the IIN, and the IIN proved by a code sent to the
number the persons register holds for it (DOMAIN §14)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from conftest import PASSWORD, in_register, new_iin
from osms.accounts.models import OneTimeCode, User

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    birth = dt.date(1992, 4, 17)
    iin = overrides.get("iin") or new_iin(birth)
    if overrides.pop("registered", True):
        in_register(iin, phone="+77015551234", birth=birth)
    data = {
        "iin": iin,
        "last_name": "Ахметова",
        "first_name": "Айжан",
        "patronymic": "",
        "birth_date": "17.04.1992",
        "email": "aizhan@example.kz",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def code_from(sms: dict) -> str:
    return re.search(r"\b(\d{6})\b", sms["text"]).group(1)


def test_registration_sends_a_code_and_the_code_activates_the_account(client, sms_outbox):
    data = form_data()
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:register_verify")

    user = User.objects.get(iin=data["iin"])
    assert not user.is_active and user.phone == "+77015551234"
    assert [sms["to"] for sms in sms_outbox] == ["+77015551234"]

    response = client.post(reverse("accounts:register_verify"), {"code": code_from(sms_outbox[0])})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:cabinet")
    user.refresh_from_db()
    assert user.is_active and user.phone_verified_at is not None
    assert user.groups.filter(name="citizen").exists()
    assert client.get(reverse("accounts:cabinet")).status_code == 200


def test_code_is_stored_hashed_never_in_clear(client, sms_outbox):
    client.post(reverse("accounts:register"), form_data())
    code = code_from(sms_outbox[0])
    stored = OneTimeCode.objects.get()
    assert code not in stored.code_hash and len(stored.code_hash) == 64


def test_wrong_code_is_refused_and_counted(client, sms_outbox):
    client.post(reverse("accounts:register"), form_data())
    wrong = "000000" if code_from(sms_outbox[0]) != "000000" else "111111"
    response = client.post(reverse("accounts:register_verify"), {"code": wrong})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert OneTimeCode.objects.get().attempts == 1


def test_code_is_refused_after_five_wrong_tries_even_if_then_right(client, sms_outbox):
    client.post(reverse("accounts:register"), form_data())
    right = code_from(sms_outbox[0])
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        client.post(reverse("accounts:register_verify"), {"code": wrong})
    response = client.post(reverse("accounts:register_verify"), {"code": right})
    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert not User.objects.get().is_active


def test_code_expires(client, sms_outbox, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC))
    client.post(reverse("accounts:register"), form_data())
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 6, tzinfo=dt.UTC))
    response = client.post(reverse("accounts:register_verify"), {"code": code_from(sms_outbox[0])})
    assert "code" in response.context["form"].errors
    assert not User.objects.get().is_active


def test_a_new_code_voids_the_previous_one(client, sms_outbox):
    client.post(reverse("accounts:register"), form_data())
    first = code_from(sms_outbox[0])
    client.post(reverse("accounts:register_resend"))
    second = code_from(sms_outbox[1])
    if first != second:
        response = client.post(reverse("accounts:register_verify"), {"code": first})
        assert "code" in response.context["form"].errors
    client.post(reverse("accounts:register_verify"), {"code": second})
    assert User.objects.get().is_active


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"birth_date": "18.04.1992"}, "birth_date", "birth_mismatch"),
        ({"iin": "920417300018"}, "iin", "iin_check_digit"),
        ({"iin": "9204173"}, "iin", "iin_length"),
        ({"last_name": ""}, "last_name", "required"),
        ({"email": "not-an-address"}, "email", "invalid"),
        ({"password2": "Something-else-99"}, "password2", "password_mismatch"),
        ({"password1": "1234567890123", "password2": "1234567890123"}, "password1", "password_entirely_numeric"),
        ({"birth_date": "32.13.1992"}, "birth_date", "invalid"),
    ],
)
def test_bad_input_gets_a_precise_message_and_keeps_what_was_entered(client, overrides, field, code):
    data = form_data(**overrides)
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert code in [error.code for error in form.errors.as_data()[field]]
    html = response.content.decode()
    assert data["first_name"] in html and data["birth_date"] in html  # nothing entered is lost
    assert 'class="govuk-error-summary"' in html and f'href="#id_{field}"' in html
    assert not User.objects.exists()


def test_an_iin_with_an_account_gets_the_same_answer_and_nothing_is_created(client, citizen, sms_outbox):
    response = client.post(
        reverse("accounts:register"),
        form_data(iin=citizen.iin, registered=False, birth_date=citizen.birth_date.strftime("%d.%m.%Y")),
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:register_verify")
    assert User.objects.filter(iin=citizen.iin).count() == 1
    # The owner of the register's number is told, with no code in the message.
    assert [sms["to"] for sms in sms_outbox] == [citizen.phone]
    assert not re.search(r"\b\d{6}\b", sms_outbox[0]["text"])


def test_an_unfinished_registration_started_again_still_sends_the_code_to_the_register(client, sms_outbox):
    data = form_data()
    client.post(reverse("accounts:register"), data)
    client.post(reverse("accounts:register"), {**data, "first_name": "Другое"})
    assert User.objects.count() == 1
    assert User.objects.get().first_name == "Другое"
    assert [sms["to"] for sms in sms_outbox] == ["+77015551234", "+77015551234"]


def test_code_requests_are_rate_limited(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "code_request": "3/h"}
    for _ in range(3):
        client.post(reverse("accounts:register"), form_data())
    response = client.post(reverse("accounts:register"), form_data())
    assert response.status_code == 429
