"""The pages: the public status check, "My status" in the cabinet, the contribution calculator."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from osms.coverage.importers import KIND_BENEFITS, KIND_PAYMENTS, KIND_PERSONS
from osms.coverage.models import StatusLookup

from .factories import EMPLOYER_BIN, iin, load, monthly_payments, payment_line

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2024, 11, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def check(client, value: str):
    return client.post(reverse("coverage:status_check"), {"iin": value}, REMOTE_ADDR="10.1.2.3")


def test_public_check_insured_shows_only_status_and_month(client):
    person = iin()
    load(KIND_PERSONS, [f"{person};Сериков;Арман;Болатович;15.01.1990;+77012345678"])
    load(KIND_PAYMENTS, monthly_payments(person, "112023", 13, payer_name="Сериков Арман"))
    response = check(client, person)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="status-result"' in html and "govuk-panel--confirmation" in html
    assert "2025" in html  # November 2024 paid: grace through February 2025
    for secret in ("Сериков", "Арман", "4250", "+7701", person, "regular", "12.2023"):
        assert secret not in html
    lookup = StatusLookup.objects.get()
    assert (lookup.channel, lookup.iin, lookup.insured, lookup.client) == ("public", person, True, "10.1.2.3")


def test_public_check_not_insured_and_unknown_iin_look_alike(client):
    with_debt = iin()
    load(KIND_PAYMENTS, monthly_payments(with_debt, "012024", 3))
    first = check(client, with_debt).content.decode()
    second = check(client, iin()).content.decode()
    assert "govuk-notification-banner" in first and "govuk-notification-banner" in second
    for page in (first, second):
        assert "debt" not in page.lower() and "4250" not in page and "8" + "500" not in page
    assert StatusLookup.objects.filter(insured=False).count() == 2


def test_public_check_invalid_iin_says_what_is_wrong_and_is_not_answered(client):
    response = check(client, "12345")
    assert response.status_code == 200
    assert "12 digits" in response.content.decode()
    assert StatusLookup.objects.count() == 0


@override_settings(RATELIMITS={"public_lookup": "3/m", "login": "20/m", "code_request": "5/h", "api_key": "5/m"})
def test_public_check_is_rate_limited_per_client(client):
    person = iin()
    for _ in range(3):
        assert check(client, person).status_code == 200
    assert check(client, person).status_code == 429
    other = client.post(reverse("coverage:status_check"), {"iin": person}, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200


def test_public_check_answers_and_errors_are_not_mixed_up_by_the_page_cache(client):
    insured = iin()
    load(KIND_PAYMENTS, monthly_payments(insured, "112023", 13))
    with_debt = iin()
    load(KIND_PAYMENTS, monthly_payments(with_debt, "012024", 3))
    for _ in range(2):
        assert "govuk-panel--confirmation" in check(client, insured).content.decode()
        not_insured = check(client, with_debt).content.decode()
        assert "govuk-panel--confirmation" not in not_insured and "govuk-notification-banner" in not_insured
        invalid = check(client, "12345").content.decode()
        assert "govuk-error-message" in invalid and 'aria-invalid="true"' in invalid and 'value="12345"' in invalid
        empty = client.get(reverse("coverage:status_check")).content.decode()
        assert "govuk-error-message" not in empty and "aria-invalid" not in empty and 'value="12345"' not in empty
    english = client.post("/en/status/", {"iin": insured}, REMOTE_ADDR="10.1.2.3").content.decode()
    assert "Insured" in english and "February 2025" in english


def test_public_check_get_shows_the_form(client):
    response = client.get(reverse("coverage:status_check"))
    assert response.status_code == 200 and 'name="iin"' in response.content.decode()


# --- My status ------------------------------------------------------------------------------------


def test_my_status_requires_sign_in(client):
    response = client.get(reverse("coverage:my_status"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_my_status_with_debt_explains_both_ways_back(client, make_user):
    user = make_user()
    # Paid Dec 2023 - Jun 2024 by the employer, then nothing: not insured on 20.11.2024.
    lines = monthly_payments(
        user.iin, "122023", 7, amount="1500.00", payer=EMPLOYER_BIN, knp="121", payer_name='ТОО "Ромашка"'
    )
    lines.append(payment_line(user.iin, "012024", "100.00", knp="124", received="05.02.2024", number="P1"))
    lines.append(payment_line(user.iin, "052024", status="ВОЗВРАТ", received="10.05.2024", number="R1"))
    load(KIND_PAYMENTS, lines)
    client.force_login(user)
    html = client.get(reverse("coverage:my_status")).content.decode()
    assert "You are not insured" in html
    # Debt: Nov 2023 and Jul-Oct 2024 = 5 months; Nov 2023 at 3 500, 2024 at 4 250 -> 20 500.
    assert 'id="debt-table"' in html
    assert "5 months, 20,500.00 tenge" in html and "3,500.00" in html
    # Both ways, exact sums, the seed-001 instruction.
    assert 'id="way-debt"' in html and 'id="way-prepay"' in html
    assert "Make 12 separate payments of 4,250.00 tenge" in html and "51,000.00 tenge in all" in html
    assert "pay the current month (November 2024) first, then the 11 months that follow" in html
    assert 'id="recommendation"' in html
    # The payments of the last 12 months, with kind, period and payer.
    assert "ТОО &quot;Ромашка&quot;" in html and EMPLOYER_BIN in html
    assert "06.2024" in html and "12.2023" in html
    assert "govuk-tag--red" in html  # the returned payment is marked
    assert "We recommend paying the debt." in html


def test_my_status_benefit_and_prepaid_and_grace(client, make_user):
    benefit, prepaid, grace = make_user(), make_user(), make_user()
    load(KIND_BENEFITS, [f"{benefit.iin};8;01.01.2024;"])
    load(KIND_PAYMENTS, monthly_payments(prepaid.iin, "112024", 12, received="01.11.2024"))
    load(KIND_PAYMENTS, monthly_payments(grace.iin, "102023", 12))  # Oct 2023 - Sep 2024
    client.force_login(benefit)
    html = client.get(reverse("coverage:my_status")).content.decode()
    assert "You are insured" in html and "benefit category 8" in html and "Persons with disability" in html
    client.force_login(prepaid)
    html = client.get(reverse("coverage:my_status")).content.decode()
    assert "You are insured" in html and "each month with its own payment" in html
    # the same account as the information pages: the run to its last month, then three months with debt
    assert "covers you up to its last month" in html and "debt accrues for those months" in html
    client.force_login(grace)
    html = client.get(reverse("coverage:my_status")).content.decode()
    assert "You are insured" in html and "three months after the last paid month" in html
    assert 'id="debt-table"' in html  # October 2024 is unpaid: debt accrues in the grace months


def test_my_status_never_paid_recommends_prepayment(client, citizen):
    client.force_login(citizen)
    html = client.get(reverse("coverage:my_status")).content.decode()
    assert "You are not insured" in html and "We recommend prepaying 12 months." in html
    assert "Nothing was paid in the last twelve months" in html
    assert "No payments reached the Fund for you" in html


# --- calculator ------------------------------------------------------------------------------------


def calc(client, **params):
    return client.get(reverse("coverage:calculator"), params).content.decode()


def test_calculator_form_and_each_payer_type(client):
    assert 'name="payer_type"' in calc(client)
    html = calc(client, payer_type="self_payer", year="2024")
    assert 'id="calculation-result"' in html and "4,250.00" in html
    html = calc(client, payer_type="entrepreneur", year="2024")
    assert "5,950.00" in html
    html = calc(client, payer_type="employer", year="2024", income="1000000")
    assert "25,500.00" in html and 'id="calculation-steps"' in html
    html = calc(client, payer_type="employee", year="2024", income="600000", second_income="400000")
    assert "17,000.00" in html
    html = calc(client, payer_type="employee", year="2024", income="300000")
    assert "6,000.00" in html


def test_calculator_needs_income_for_employers_and_employees(client):
    html = calc(client, payer_type="employer", year="2024")
    assert "govuk-error-summary" in html and 'id="calculation-result"' not in html
    html = calc(client, payer_type="employee", year="2024", income="-5")
    assert "govuk-error-summary" in html
