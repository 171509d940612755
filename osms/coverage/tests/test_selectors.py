"""status_answer: the stored facts of one person in two queries, decided by the pure rules."""

import datetime as dt

import pytest

from osms.coverage.importers import KIND_BENEFITS, KIND_PAYMENTS
from osms.coverage.selectors import mzp_table, mzp_table_forget, status_answer

from .factories import EMPLOYER_BIN, iin, load, monthly_payments, payment_line

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_mzp():
    mzp_table_forget()


def test_two_queries_per_answer(django_assert_num_queries):
    person = iin()
    load(KIND_PAYMENTS, monthly_payments(person, "012024", 6))
    load(KIND_BENEFITS, [f"{person};10;01.09.2020;30.06.2021"])
    mzp_table()  # the МЗП table is cached; only the person's facts are read per answer
    with django_assert_num_queries(2):
        status_answer(iin=person, on=dt.date(2024, 6, 15))


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
