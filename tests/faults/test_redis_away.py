"""Redis is a cache and a broker, never the record (docs/adr/0013): with both out of reach a citizen's
write commits, the citizen sees the usual confirmation, and the work is done once after recovery."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from conftest import PASSWORD, in_register, new_iin
from osms.accounts.models import User
from osms.core.calendar import ALMATY, business_calendar
from osms.core.models import CalendarException, Notification, SmsMessage
from osms.core.tasks import notifications_sweep
from osms.statements.models import StatementDocument, StatementRequest
from osms.statements.tasks import statements_sweep

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ALMATY)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(settings, tmp_path, time_machine):
    settings.NCANODE_URL = ""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    time_machine.move_to(NOW, tick=False)


def url(name, **kwargs):
    with translation.override("en"):
        return reverse(f"statements:{name}", kwargs=kwargs or None)


def codes_to(outbox, phone) -> list[str]:
    return [re.search(r"\b(\d{6})\b", m["text"]).group(1) for m in outbox if m["to"] == phone]


def test_a_statement_request_is_confirmed_while_redis_is_away_and_issued_once_after(
    client, citizen, sms_outbox, redis_outage, time_machine, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    # The code was sent before Redis went away (the outage of the issue: 30 s of a stopped Redis).
    client.post(url("start"), {"period_from": "11.2025", "period_to": "11.2026"})
    client.post(url("language"), {"language": "ru"})
    client.post(url("consent"), {"consent": "yes"})
    confirm = client.post(url("check"), {"method": "sms"}).url
    code = codes_to(sms_outbox, citizen.phone)[-1]

    redis_outage.begin()
    done = client.post(confirm, {"code": code})
    statement = StatementRequest.objects.get(user=citizen)
    assert done.status_code == 302 and done.url == url("detail", number=statement.number)
    page = client.get(done.url)
    assert page.status_code == 200 and statement.number in page.text
    assert statement.status == StatementRequest.Status.RECEIVED  # committed: the row is the outbox
    assert statement.due_at is not None

    redis_outage.end()
    time_machine.move_to(NOW + dt.timedelta(minutes=6), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        statements_sweep()
    with django_capture_on_commit_callbacks(execute=True):
        statements_sweep()  # a second sweep, or a late message, changes nothing
    statement.refresh_from_db()
    assert statement.status == StatementRequest.Status.ISSUED
    assert StatementDocument.objects.filter(request=statement).count() == 1
    assert Notification.objects.filter(user=citizen, url__contains=statement.number).count() == 1


def test_registration_while_redis_is_away_sends_the_code_once_after_recovery(
    client, sms_outbox, redis_outage, time_machine
):
    redis_outage.begin()
    birth = dt.date(1992, 4, 17)
    iin = new_iin(birth)
    in_register(iin, phone="+77015551234")  # the code goes only to the persons register's number
    data = {
        "iin": iin,
        "last_name": "Ахметова",
        "first_name": "Айжан",
        "patronymic": "",
        "birth_date": "17.04.1992",
        "email": "aizhan@example.kz",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    response = client.post(reverse("accounts:register"), data)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:register_verify")
    assert User.objects.filter(iin=iin, is_active=False).exists()
    message = SmsMessage.objects.get()
    assert message.status == SmsMessage.Status.PENDING and sms_outbox == []
    assert re.search(r"\d{6}", message.sealed_text) is None  # the code is not stored in clear

    redis_outage.end()
    time_machine.move_to(timezone.now() + dt.timedelta(seconds=61), tick=False)
    assert notifications_sweep() == 1
    assert notifications_sweep() == 0
    assert len(sms_outbox) == 1 and sms_outbox[0]["id"] == str(message.id)
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT and message.sealed_text == ""

    code = codes_to(sms_outbox, "+77015551234")[0]
    verified = client.post(reverse("accounts:register_verify"), {"code": code})
    assert verified.status_code == 302 and verified["Location"] == reverse("accounts:cabinet")


def test_the_business_calendar_is_read_from_the_database_while_the_cache_is_away(db, redis_outage):
    redis_outage.begin()
    CalendarException.objects.create(day=dt.date(2026, 11, 24), kind="day_off", reason="decree")
    calendar = business_calendar()
    assert not calendar.is_working_day(dt.date(2026, 11, 24))
    assert calendar.deadline_after(NOW, working_days=1).date() == dt.date(2026, 11, 25)
