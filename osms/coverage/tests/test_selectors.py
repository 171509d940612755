"""status_answer: the stored facts of one person in one query (two through the ORM off
PostgreSQL), decided by the pure rules."""

import datetime as dt

import pytest
from django.db import connection

from osms.coverage.importers import KIND_BENEFITS, KIND_PAYMENTS
from osms.coverage.selectors import (
    _facts_postgresql,
    _membership_facts,
    _payment_facts,
    mzp_table,
    mzp_table_forget,
    status_answer,
)

from .factories import EMPLOYER_BIN, iin, load, monthly_payments, payment_line

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_mzp():
    mzp_table_forget()


def test_one_query_per_answer_on_postgresql(django_assert_num_queries):
    person = iin()
    load(KIND_PAYMENTS, monthly_payments(person, "012024", 6))
    load(KIND_BENEFITS, [f"{person};10;01.09.2020;30.06.2021"])
    mzp_table()  # the МЗП table is cached; only the person's facts are read per answer
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        status_answer(iin=person, on=dt.date(2024, 6, 15))


def test_the_postgresql_read_and_the_orm_read_find_the_same_facts():
    if connection.vendor != "postgresql":
        pytest.skip("the one-query read is PostgreSQL's")
    person = iin()
    lines = monthly_payments(person, "012024", 3)
    lines += [payment_line(person, "042024", "1500.50", knp="121", payer=EMPLOYER_BIN)]
    lines += [payment_line(person, "012024", status="ВОЗВРАТ"), payment_line(person, "052024", received="01.07.2024")]
    load(KIND_PAYMENTS, lines)
    load(KIND_BENEFITS, [f"{person};10;01.09.2020;30.06.2021", f"{person};8;01.01.2024;", f"{person};3;01.08.2024;"])
    on = dt.date(2024, 6, 15)
    payments, memberships = _facts_postgresql("default", person, on)
    by_value = lambda facts: sorted(facts, key=repr)  # noqa: E731
    assert by_value(payments) == by_value(_payment_facts(person, on)) and len(payments) == 5
    assert by_value(memberships) == by_value(_membership_facts(person, on)) and len(memberships) == 2


def test_payments_received_after_the_date_do_not_count():
    person = iin()
    lines = monthly_payments(person, "072023", 11, amount="1500.00", payer=EMPLOYER_BIN, knp="121")
    lines.append(payment_line(person, "062023", received="20.06.2024", number="late"))  # the debt, paid late
    load(KIND_PAYMENTS, lines)
    before = status_answer(iin=person, on=dt.date(2024, 6, 10))
    assert (before.insured, before.as_json_dict()["debt_periods"]) == (False, ["062023"])
    after = status_answer(iin=person, on=dt.date(2024, 6, 25))
    assert (after.insured, after.rule, after.debt_periods) == (True, "regular", ())


def test_returned_payment_and_open_ended_benefit_from_the_database():
    person = iin()
    load(KIND_PAYMENTS, [payment_line(person, "012024"), payment_line(person, "012024", status="ВОЗВРАТ")])
    assert status_answer(iin=person, on=dt.date(2024, 1, 20)).last_covered_period is None
    load(KIND_BENEFITS, [f"{person};8;01.01.2024;"])
    answer = status_answer(iin=person, on=dt.date(2024, 3, 1)).as_json_dict()
    assert (answer["rule"], answer["benefit_category"], answer["covered_until_period"]) == ("benefit", 8, None)
