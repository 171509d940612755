"""The demo data: the demo citizen has one answered appeal and one in progress; loading twice changes nothing."""

import io

import pytest

from osms.accounts import demo as accounts_demo
from osms.appeals import demo
from osms.appeals.models import Appeal, Status
from osms.clinics import demo as clinics_demo

pytestmark = pytest.mark.django_db


def test_demo_appeals_load_once():
    out = io.StringIO()
    accounts_demo.load(out=out)
    clinics_demo.load(out=out)
    rows = demo.load(out=out)
    again = demo.load(out=out)
    assert Appeal.objects.count() == 2
    assert sorted(Appeal.objects.values_list("status", flat=True)) == [Status.ANSWERED, Status.IN_PROGRESS]
    answered = Appeal.objects.get(status=Status.ANSWERED)
    assert answered.answers.count() == 1 and answered.contacts.count() == 1
    assert rows == again and rows[0][1] == answered.applicant_iin
