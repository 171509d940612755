"""Acting for a ward, the follow-ups: a notification's link that chooses the ward, the statement's
live progress polled without an audit row per poll."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from osms.coverage.periods import Period
from osms.representation.acting import SESSION_KEY
from osms.statements import services as statements

from .conftest import person, right
from .test_ward_services import act_for, subject_for

pytestmark = pytest.mark.django_db


def ward_statement(user, ward_iin):
    return statements.statement_request_create(
        actor=user,
        period_from=Period(2026, 1),
        period_to=Period(2026, 3),
        language="ru",
        consent=True,
        subject=subject_for(user, ward_iin),
    )


def test_polling_a_wards_statement_progress_writes_no_audit_row_per_poll(client, parent, child):
    statement = ward_statement(parent, child.iin)
    client.force_login(parent)
    act_for(client, child.iin)
    assert client.get(reverse("statements:detail", kwargs={"number": statement.number})).status_code == 200
    before = LogEntry.objects.count()
    progress = reverse("statements:progress", kwargs={"number": statement.number})
    for _poll in range(5):
        response = client.get(progress)
        assert response.status_code == 200 and response.json()["state"] == statement.status
    assert LogEntry.objects.count() == before


def test_polling_is_refused_once_the_right_has_ended(client, make_user):
    guardian = make_user(birth=dt.date(1970, 1, 1), last_name="Омарова", first_name="Гульнар")
    ward = person(dt.date(2015, 4, 4), first_name="Нурсултан", last_name="Омаров")
    held = right(ward, guardian.iin, ground="guardian", start=dt.date(2020, 1, 1), end=timezone.localdate())
    statement = ward_statement(guardian, ward.iin)
    client.force_login(guardian)
    act_for(client, ward.iin)
    progress = reverse("statements:progress", kwargs={"number": statement.number})
    assert client.get(progress).status_code == 200
    held.end = timezone.localdate() - dt.timedelta(days=1)
    held.save()
    response = client.get(progress)
    assert response.status_code == 403 and ward.first_name not in response.content.decode()
    assert SESSION_KEY not in client.session
    assert client.get(progress).status_code == 404  # one's own data now: the ward's request is not there
