"""The demo citizens show each rule and loading them twice changes nothing."""

import io

import pytest
from django.utils import timezone

from osms.coverage import demo
from osms.coverage.models import Payment
from osms.coverage.selectors import status_answer

pytestmark = pytest.mark.django_db


def test_demo_citizens_show_each_rule_and_load_is_idempotent():
    rows = demo.load(out=io.StringIO())
    payments = Payment.objects.count()
    assert demo.load(out=io.StringIO()) == rows and Payment.objects.count() == payments
    today = timezone.localdate()
    answers = {label: status_answer(iin=iin, on=today) for label, iin, _ in rows}
    by_label = {label.split(": ")[1]: answer for label, answer in answers.items()}
    assert by_label["insured employee"].rule == "regular" and not by_label["insured employee"].debt_periods
    assert by_label["insured in the 3 grace months"].grace and by_label["insured in the 3 grace months"].debt_periods
    assert (
        not by_label["not insured, with debt"].insured
        and by_label["not insured, with debt"].recommendation == "pay_debt"
    )
    assert by_label["prepaid year"].rule == "prepaid"
    assert by_label["benefit category (disability)"].rule == "benefit"
    never = by_label["never paid"]
    assert not never.insured and never.recommendation == "prepay" and never.last_covered_period is None
