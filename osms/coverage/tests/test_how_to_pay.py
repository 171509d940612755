"""How to pay, exactly: one payment per month, КНП 122, the recipient from the settings, page and PDF."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from osms.accounts.models import User
from osms.core.iin import is_valid_bin
from osms.coverage import demo
from osms.coverage.payment_plan import WAY_DEBT, WAY_PREPAY, payment_plans
from osms.coverage.periods import Period
from osms.coverage.rules import DEFAULT_MZP, PaymentFact, status_on

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
ON = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def demo_rows():
    return {label.split(": ")[1]: iin for label, iin, _ in demo.load(out=io.StringIO())}


def test_the_default_recipient_bin_is_a_valid_bin(settings):
    assert is_valid_bin(settings.PAYMENT_RECIPIENT_BIN) and settings.PAYMENT_RECIPIENT_NAME


def test_plans_follow_the_recommendation_and_price_each_month_by_its_year():
    mzp = {**DEFAULT_MZP, 2027: Decimal("100000")}
    answer = status_on(iin="991030400000", on=ON, payments=[], memberships=[], mzp=mzp)
    prepay, debt = payment_plans(answer=answer, mzp=mzp)
    assert (prepay.way, prepay.recommended, debt.way, debt.recommended) == (WAY_PREPAY, True, WAY_DEBT, False)
    assert [p.period.code for p in prepay.payments][:3] == ["112026", "122026", "012027"]
    assert {p.knp for p in prepay.payments} == {"122"} and prepay.count == 12
    # Each month at 5% of its own year's МЗП, so every payment counts as a prepaid month.
    assert prepay.payments[0].amount == Decimal("4250.00") and prepay.payments[2].amount == Decimal("5000.00")
    assert [p.period for p in debt.payments] == list(answer.debt_periods)


def test_debt_first_when_the_debt_is_cheaper_and_nothing_when_insured_without_debt():
    m0 = Period.of(ON)
    paid = [
        PaymentFact(received=(p + 1).first_day, period=p, amount=Decimal(7650), knp="121", payer_id="050440000426")
        for p in Period.range(m0 - 20, m0 - 6)
    ]
    answer = status_on(iin="791219300000", on=ON, payments=paid, memberships=[], mzp=DEFAULT_MZP)
    plans = payment_plans(answer=answer, mzp=DEFAULT_MZP)
    assert [plan.way for plan in plans] == [WAY_DEBT, WAY_PREPAY] and plans[0].count == 5
    paid_up = [*paid, *(PaymentFact(ON, p, Decimal(7650), "121", "050440000426") for p in Period.range(m0 - 5, m0))]
    insured = status_on(iin="791219300000", on=ON, payments=paid_up, memberships=[], mzp=DEFAULT_MZP)
    assert insured.insured and payment_plans(answer=insured, mzp=DEFAULT_MZP) == []


@override_settings(PAYMENT_RECIPIENT_NAME="Фонд тест", PAYMENT_RECIPIENT_BIN="160440007161")
def test_page_lists_each_payment_with_period_knp_sum_and_recipient(client, demo_rows):
    client.force_login(User.objects.get(iin=demo_rows["not insured, with debt"]))
    html = client.get(reverse("coverage:how_to_pay")).content.decode()
    assert 'id="plan-pay_debt"' in html and 'id="plan-prepay"' in html
    assert html.index('id="plan-pay_debt"') < html.index('id="plan-prepay"')  # the recommended way first
    assert html.count('data-period="') == 5 + 12
    assert 'Recipient: Фонд тест, <span class="osms-plan__nowrap">BIN 160440007161</span>' in html
    assert 'id="lump-sum-warning"' in html
    for link in ("https://kaspi.kz", "https://post.kz", "https://halykbank.kz", "https://www.bcc.kz"):
        assert f'href="{link}"' in html


def test_pdf_has_the_same_lines_as_the_page(client, demo_rows):
    client.force_login(User.objects.get(iin=demo_rows["never paid"]))
    response = client.get(reverse("coverage:how_to_pay_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "How to pay" in text and "160440007161" in text and "122" in text
    for i in range(12):
        assert (Period.of(ON) + i).code in text
    assert "4,250.00" in text or "4 250.00" in text or "4250.00" in text
    assert "one payment of the whole sum does not give the status" in " ".join(text.split())


def test_pdf_in_kazakh_keeps_the_kazakh_letters(client, demo_rows):
    client.force_login(User.objects.get(iin=demo_rows["never paid"]))
    response = client.get(reverse("coverage:how_to_pay_pdf").replace("/en/", "/kk/"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Правительство для граждан" in text and any(letter in text for letter in "әғқңөұүһі")


def test_insured_person_owes_nothing(client, demo_rows):
    client.force_login(User.objects.get(iin=demo_rows["benefit category (disability)"]))
    html = client.get(reverse("coverage:how_to_pay")).content.decode()
    assert 'id="nothing-to-pay"' in html and 'data-period="' not in html


def test_pages_need_sign_in(client):
    for name in ("coverage:how_to_pay", "coverage:how_to_pay_pdf"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]
