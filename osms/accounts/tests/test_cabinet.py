"""The cabinet composed in osms/accounts/cabinet.py: "My requests" shows a line of every service."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import new_iin
from osms.accounts.cabinet import TILES, my_requests
from osms.appeals.tests.factories import appeal_file
from osms.clinics.tests.factories import make_clinic
from osms.clinics.tests.factories import submitted as clinic_application
from osms.coverage.periods import Period
from osms.statements.tests.factories import submit as statement_request
from osms.temporary_status.tests.factories import categories_ensure
from osms.temporary_status.tests.factories import submitted as temporary_status_request

pytestmark = pytest.mark.usefixtures("english", "private_media")


def test_my_requests_shows_the_requests_of_every_service(
    client, make_user, sms_outbox, django_capture_on_commit_callbacks
):
    categories_ensure()
    birth = dt.date(2004, 5, 6)  # a full-time student (category 10), not insured: may ask for temporary status
    citizen = make_user(iin=new_iin(birth, female=True), birth=birth, language="en")
    statement = statement_request(
        citizen, django_capture_on_commit_callbacks, first=Period(2026, 1), last=Period(2026, 2)
    )
    application = clinic_application(citizen, make_clinic())
    temporary = temporary_status_request(citizen, sms_outbox)
    appeal = appeal_file(citizen=citizen)
    numbers = {statement.number, application.number, temporary.number, appeal.number}

    assert {line.number for line in my_requests(user=citizen)} == numbers
    client.force_login(citizen)
    page = client.get(reverse("accounts:requests")).content.decode()
    assert "You have not made any requests yet" not in page
    for number in numbers:
        assert number in page


def test_the_cabinet_shows_every_tile(client, citizen):
    client.force_login(citizen)
    sections = client.get(reverse("accounts:cabinet")).context["sections"]
    assert [str(section.title) for section in sections] == [str(title) for title, _text, _url in TILES]


def test_my_requests_of_a_citizen_without_requests_says_so(client, citizen):
    assert list(my_requests(user=citizen)) == []
    client.force_login(citizen)
    page = client.get(reverse("accounts:requests")).content.decode()
    assert "You have not made any requests yet." in page
