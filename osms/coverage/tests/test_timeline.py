"""The coverage timeline: each month's state agrees with what the rules answer, for every demo citizen."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from osms.accounts.models import User
from osms.coverage import demo
from osms.coverage.periods import Period
from osms.coverage.rules import DEFAULT_MZP, RULE_NONE, MembershipFact, PaymentFact, status_on
from osms.coverage.selectors import _facts, status_answer, timeline_of
from osms.coverage.timeline import (
    AHEAD_MIN,
    PAST_MONTHS,
    STATE_BENEFIT,
    STATE_DEBT,
    STATE_GRACE,
    STATE_NONE,
    STATE_PAID,
    STATE_PREPAID,
    coverage_timeline,
    month_state,
)

TODAY = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
ON = dt.date(2026, 11, 20)
SELF = "900115300012"  # an individual payer (IIN-shaped: digit 5 is 0-3)
ORG = "050440000426"  # an organisation (BIN-shaped: digit 5 is 4-6)


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def _pay(period: Period, *, received: dt.date | None = None, amount: str = "4250", payer: str = SELF) -> PaymentFact:
    return PaymentFact(
        received=received or (period + 1).first_day,
        period=period,
        amount=Decimal(amount),
        knp="122" if payer == SELF else "121",
        payer_id=payer,
    )


def _timeline(payments=(), memberships=(), on: dt.date = ON, asked: dt.date | None = None):
    answer = status_on(iin=SELF, on=on, payments=payments, memberships=memberships, mzp=DEFAULT_MZP)
    return answer, coverage_timeline(
        answer=answer, payments=payments, memberships=memberships, mzp=DEFAULT_MZP, asked=asked
    )


def _states(months) -> dict[str, str]:
    return {m.period.code: m.state for m in months}


def test_window_is_24_months_back_and_at_least_6_ahead():
    _, months = _timeline()
    m0 = Period.of(ON)
    assert months[0].period == m0 - PAST_MONTHS and months[-1].period == m0 + AHEAD_MIN
    assert [m.current for m in months].count(True) == 1
    # Nothing ever paid: the 12 months before this one are owed, every other month is not covered.
    assert [m.period for m in months if m.state == STATE_DEBT] == list(Period.range(m0 - 12, m0 - 1))
    assert {m.state for m in months} == {STATE_DEBT, STATE_NONE}


def test_employee_paid_months_then_grace_ahead():
    m0 = Period.of(ON)
    payments = [_pay(p, payer=ORG, amount="7650") for p in Period.range(m0 - 14, m0 - 1)]
    answer, months = _timeline(payments)
    states = _states(months)
    assert all(states[p.code] == STATE_PAID for p in Period.range(m0 - 14, m0 - 1))
    assert states[(m0 - 15).code] == STATE_NONE
    # M0 and the grace after the last paid month: insured without a payment, nothing owed yet.
    assert [states[(m0 + i).code] for i in range(0, 4)] == [STATE_GRACE] * 3 + [STATE_NONE]
    assert answer.covered_until_period == m0 + 2


def test_debt_months_are_exactly_the_answers_debt():
    m0 = Period.of(ON)
    payments = [_pay(p, payer=ORG) for p in Period.range(m0 - 20, m0 - 6)]
    answer, months = _timeline(payments)
    debt = [m.period for m in months if m.state == STATE_DEBT]
    assert tuple(debt) == answer.debt_periods and len(debt) == 5
    assert all(m.price == Decimal("4250.00") for m in months if m.state == STATE_DEBT)


def test_prepaid_run_and_benefit_months():
    m0 = Period.of(ON)
    prepaid = [_pay(p, received=ON) for p in Period.range(m0, m0 + 11)]
    _, months = _timeline(prepaid)
    states = _states(months)
    assert all(states[p.code] == STATE_PREPAID for p in Period.range(m0, m0 + 11))
    assert states[(m0 + 12).code] == STATE_GRACE and states[(m0 + 15).code] == STATE_NONE

    benefit = [MembershipFact(category=10, start=dt.date(2025, 9, 1), end=dt.date(2026, 6, 15))]
    _, months = _timeline(memberships=benefit)
    states = _states(months)
    assert states["082025"] == STATE_NONE and states["092025"] == STATE_BENEFIT
    assert states["062026"] == STATE_BENEFIT  # one day of the month suffices
    assert states["072026"] == STATE_DEBT  # no grace: the year before the benefit ended was not all covered


def test_the_month_asked_about_is_marked():
    _, months = _timeline(asked=dt.date(2025, 3, 7))
    assert [m.period.code for m in months if m.asked] == ["032025"]


def test_a_lump_sum_covers_only_its_own_month():
    m0 = Period.of(ON)
    _, months = _timeline([_pay(m0, received=ON, amount="51000")])
    states = _states(months)
    assert states[m0.code] == STATE_PAID and states[(m0 + 1).code] == STATE_NONE


def _state_from_answer(answer, period: Period, *, owed: bool, covered: bool, overlap: bool) -> str:
    """The state the month must have, read from the rules' own status answer on the judged day."""
    if overlap or answer.rule == "benefit":
        return STATE_BENEFIT
    if answer.rule == "prepaid":
        return STATE_PREPAID
    if covered:
        return STATE_PAID
    if owed:
        return STATE_DEBT
    return STATE_NONE if answer.rule == RULE_NONE else STATE_GRACE


@pytest.mark.django_db
def test_every_demo_citizen_agrees_with_the_rules_month_by_month(frozen):
    rows = demo.load(out=io.StringIO())
    today = timezone.localdate()
    m0 = Period.of(today)
    for label, iin, _ in rows:
        answer = status_answer(iin=iin, on=today)
        months = timeline_of(answer=answer)
        payments, memberships = _facts(iin, today)
        assert {m.state for m in months} - {STATE_NONE}, label
        for month in months:
            # The rules' answer for the day the month is judged on, with the facts known today
            # (every demo payment is received by today, so nothing later is dropped).
            then = status_on(iin=iin, on=month.judged_on, payments=payments, memberships=memberships, mzp=DEFAULT_MZP)
            if month.period >= m0:
                assert then.rule == month.rule, (label, month.period)
                assert month.insured == then.insured, (label, month.period)
            owed = month.period in answer.debt_periods
            assert (month.state == STATE_DEBT) == (owed and month.state not in (STATE_PAID, STATE_BENEFIT)), label
            if month.period == m0:
                assert month.rule == answer.rule, label
        insured_ahead = [m.period for m in months if m.period >= m0 and m.insured]
        if answer.covered_until_period is not None:
            assert insured_ahead[-1] == answer.covered_until_period, label
        elif not answer.insured:
            assert insured_ahead == [], label


def test_month_state_order():
    from osms.coverage.rules import MonthDecision

    unpaid = MonthDecision(Period(2026, 1), dt.date(2026, 1, 31), RULE_NONE, covered=False, benefit_category=None)
    assert month_state(unpaid, owed=True) == STATE_DEBT and month_state(unpaid, owed=False) == STATE_NONE
    grace = MonthDecision(Period(2026, 1), dt.date(2026, 1, 31), "regular", covered=False, benefit_category=None)
    assert month_state(grace, owed=True) == STATE_DEBT and month_state(grace, owed=False) == STATE_GRACE
    benefit = MonthDecision(Period(2026, 1), dt.date(2026, 1, 31), RULE_NONE, covered=True, benefit_category=8)
    assert month_state(benefit, owed=False) == STATE_BENEFIT


@pytest.mark.django_db
def test_my_status_shows_strip_legend_table_and_answers_a_past_date(client, frozen):
    rows = demo.load(out=io.StringIO())
    iin = {label: iin for label, iin, _ in rows}["Citizen: not insured, with debt"]
    client.force_login(User.objects.get(iin=iin))
    response = client.get(reverse("coverage:my_status"), {"on": "2026-03-10"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="timeline-strip"' in html and 'id="timeline-legend"' in html
    assert html.count('<tr class="govuk-table__row" data-period=') == PAST_MONTHS + 1 + AHEAD_MIN
    assert 'id="insured-on-answer"' in html and "On 10.03.2026 you were insured." in html
    assert "the three grace months after the last paid month (February 2026)" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2027-01-01", "Enter a date that has passed"),
        ("31.02.2025", "Enter a real date"),
        ("1999-12-31", "Enter a date from 2000 on."),
    ],
)
def test_insured_on_refuses_bad_dates_clearly(client, frozen, value, message):
    rows = demo.load(out=io.StringIO())
    client.force_login(User.objects.get(iin=rows[0][1]))
    html = client.get(reverse("coverage:my_status"), {"on": value}).content.decode()
    assert message in html and 'id="insured-on-answer"' not in html and 'aria-invalid="true"' in html
    assert f'value="{value}"' in html  # what was typed is kept


@pytest.mark.django_db
def test_a_representative_sees_the_wards_timeline_and_payments(client, make_user, frozen):
    from osms.coverage.importers import KIND_BENEFITS
    from osms.coverage.models import Person
    from osms.representation.models import Representation

    from .factories import load

    parent = make_user(birth=dt.date(1988, 3, 27))
    from conftest import new_iin

    ward = Person.objects.create(
        iin=new_iin(dt.date(2018, 6, 1), female=True),
        last_name="Серикова",
        first_name="Айлин",
        birth_date=dt.date(2018, 6, 1),
    )
    Representation.objects.create(
        ward=ward, representative_iin=parent.iin, ground="parent", start=ward.birth_date, source="register"
    )
    load(KIND_BENEFITS, [f"{ward.iin};1;01.06.2018;"])  # children under 18: the state pays
    client.force_login(parent)
    client.post(reverse("representation:switch"), {"ward": ward.iin})
    html = client.get(reverse("coverage:my_status"), {"on": "2025-01-15"}).content.decode()
    assert html.count('data-state="benefit"') == 2 * (PAST_MONTHS + 1 + AHEAD_MIN)  # strip and table
    assert "On 15.01.2025 Айлин was insured." in html and "you were insured" not in html  # the ward, named
    pay = client.get(reverse("coverage:how_to_pay")).content.decode()
    assert ward.iin in pay and 'id="nothing-to-pay"' in pay
