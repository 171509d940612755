import datetime as dt

import pytest

from conftest import new_iin
from osms.accounts.models import Role


@pytest.fixture(autouse=True)
def _in_english_with_private_media(english, private_media):
    """Every temporary-status test runs in English with its own private folder (the root fixtures)."""


@pytest.fixture
def make_user(make_user):
    """The root fixture, with an IIN no other user of the test has: `make_iin` skips a serial with no
    check digit, so the shared counter can hand out the same IIN twice."""
    from osms.accounts.models import User

    def make(**fields):
        if "iin" not in fields:
            birth = fields.get("birth", dt.date(1990, 1, 15))
            iin = new_iin(birth)
            while User.objects.filter(iin=iin).exists():
                iin = new_iin(birth)
            fields["iin"] = iin
        return make_user(**fields)

    return make


@pytest.fixture
def student(make_user):
    """A citizen of category 10 (a full-time student) whose status is "not insured"."""
    birth = dt.date(2004, 5, 6)
    return make_user(
        iin=new_iin(birth, female=True), birth=birth, last_name="Ахметова", first_name="Дана", language="en"
    )


@pytest.fixture
def officer(make_user):
    return make_user(role=Role.FUND_OFFICER, last_name="Фондов", first_name="Ерлан", phone="+77010000009")


@pytest.fixture
def officer_client(staff_client, officer):
    return staff_client(officer)
