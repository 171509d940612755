"""The public check by number and IIN: status and dates only, "not found" alike for a wrong IIN and a
wrong number, and a rate limit per address."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from osms.appeals import selectors, services
from osms.core.calendar import ALMATY

from .factories import appeal_file

pytestmark = pytest.mark.django_db

URL = reverse("appeals:public_check")
SUBSTANCE = "Врач потребовал оплату за приём по ОСМС."


@pytest.fixture
def appeal(make_user, officer):
    citizen = make_user(last_name="Нұрланова", first_name="Жанар", patronymic="Серікқызы")
    appeal = appeal_file(citizen=citizen, substance=SUBSTANCE, now=dt.datetime(2026, 3, 19, 10, 0, tzinfo=ALMATY))
    services.appeal_assign(actor=officer, appeal=appeal, officer=officer)
    return appeal


def main_text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def test_the_check_shows_the_status_and_the_dates(client, appeal):
    response = client.post(URL, {"number": appeal.number, "iin": appeal.applicant_iin})
    assert response.status_code == 200
    text = main_text(response)
    assert appeal.number in text
    assert "19.03.2026" in text and "14.04.2026" in text  # registered, answer due
    assert 'id="appeal-status"' in text


def test_the_check_shows_nothing_else(client, appeal, officer):
    text = main_text(
        client.post(URL, {"number": f" № {appeal.year} - {appeal.sequence} ", "iin": appeal.applicant_iin})
    )
    assert 'id="appeal-status"' in text
    for secret in (
        appeal.applicant_iin,  # not even echoed back
        "Нұрланова",
        "Жанар",
        SUBSTANCE[:20],
        str(appeal.get_topic_display()),
        str(appeal.get_region_display()),
        officer.last_name,
    ):
        assert secret not in text


def test_the_selector_returns_only_status_and_dates(appeal):
    found = selectors.appeal_public_status(number=appeal.number, iin=appeal.applicant_iin)
    assert set(found.__dataclass_fields__) == {
        "number",
        "status",
        "status_label",
        "registered_at",
        "due_at",
        "answered_at",
        "closed_at",
    }


def test_a_wrong_iin_and_a_wrong_number_get_the_same_answer(client, appeal, make_user):
    other = make_user(birth=dt.date(1977, 7, 7))
    wrong_iin = main_text(client.post(URL, {"number": appeal.number, "iin": other.iin}))
    wrong_number = main_text(client.post(URL, {"number": "2026-000999", "iin": appeal.applicant_iin}))
    both_wrong = main_text(client.post(URL, {"number": "2025-000001", "iin": other.iin}))
    assert 'id="appeal-not-found"' in wrong_iin
    assert wrong_iin == wrong_number == both_wrong
    assert appeal.applicant_iin not in wrong_number and other.iin not in wrong_iin


def test_input_is_checked(client):
    response = client.post(URL, {"number": "123", "iin": "12345"})
    text = main_text(response)
    assert 'href="#id_number"' in text and 'href="#id_iin"' in text


def test_no_sign_in_is_needed(client):
    assert client.get(URL).status_code == 200


def test_the_check_is_rate_limited(client, appeal, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "public_appeal_check": "3/m"}
    for _ in range(3):
        assert client.post(URL, {"number": appeal.number, "iin": appeal.applicant_iin}).status_code == 200
    blocked = client.post(URL, {"number": appeal.number, "iin": appeal.applicant_iin})
    assert blocked.status_code == 429
    assert appeal.number not in blocked.content.decode()
    assert client.get(URL).status_code == 200  # reading the form is not counted


def test_the_default_rate_is_ten_a_minute(client, appeal, settings):
    settings.RATELIMITS = {key: value for key, value in settings.RATELIMITS.items() if key != "public_appeal_check"}
    codes = [client.post(URL, {"number": "2026-000999", "iin": appeal.applicant_iin}).status_code for _ in range(11)]
    assert codes == [200] * 10 + [429]
