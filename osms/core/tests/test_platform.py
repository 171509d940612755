"""The platform: health check, request ids and JSON logs, security headers, audit trail, languages."""

import json
import logging

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from osms.core.logging import JsonFormatter, RequestIdFilter
from osms.core.models import CalendarException

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_names_the_failing_dependency(client, monkeypatch):
    from osms.core import views

    def broken():
        raise ConnectionError("broker down")

    monkeypatch.setattr(views, "_check_broker", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "unavailable"}


def test_every_response_carries_a_request_id(client):
    response = client.get("/ru/")
    assert len(response["X-Request-ID"]) == 32
    assert client.get("/ru/", headers={"X-Request-ID": "proxy-given-id-123"})["X-Request-ID"] == "proxy-given-id-123"
    assert client.get("/ru/", headers={"X-Request-ID": "bad id\nwith newline"})["X-Request-ID"] != "bad id"


def test_logs_are_json_lines_with_the_request_id():
    from osms.core.logging import request_id_var

    token = request_id_var.set("req-42")
    try:
        record = logging.LogRecord("osms.test", logging.INFO, __file__, 1, "hello %s", ("world",), None)
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["message"] == "hello world" and line["request_id"] == "req-42" and line["level"] == "INFO"


def test_content_security_policy_allows_no_inline_code(client):
    csp = client.get("/ru/")["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp


def test_root_redirects_to_the_russian_home_page(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/ru/"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_language_has_its_home_page(client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()


def test_language_links_keep_the_current_page(client):
    html = client.get("/ru/accounts/login/").content.decode()
    assert 'href="/kk/accounts/login/"' in html and 'href="/en/accounts/login/"' in html


def test_kazakh_dates_are_day_month_year():
    import datetime as dt

    from django.utils import formats, translation

    with translation.override("kk"):
        assert formats.date_format(dt.date(2026, 3, 22), "SHORT_DATE_FORMAT") == "22.03.2026"
        assert formats.number_format(1234567.5, 2, use_l10n=True, force_grouping=True) == "1\xa0234\xa0567,50"


def test_state_changes_are_audited_with_actor_and_address(client, staff_client, make_user):
    admin_user = make_user(role="administrator", is_superuser=True)
    signed_in = staff_client(admin_user)
    signed_in.post(
        reverse("admin:core_calendarexception_add"),
        {"day": "2026-03-07", "kind": "working_day", "reason": "Постановление №1"},
        REMOTE_ADDR="10.1.2.3",
    )
    exception = CalendarException.objects.get()
    entry = LogEntry.objects.get_for_object(exception).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == admin_user and entry.remote_addr == "10.1.2.3"


def test_staff_reading_a_citizens_record_is_audited(staff_client, make_user, citizen):
    admin_user = make_user(role="administrator", is_superuser=True)
    staff_client(admin_user).get(reverse("admin:accounts_user_change", args=[citizen.pk]))
    entry = LogEntry.objects.get_for_object(citizen).filter(action=LogEntry.Action.ACCESS).get()
    assert entry.actor == admin_user


def test_audit_trail_is_read_only_and_for_administrators_only(staff_client, make_user, citizen):
    admin_user = make_user(role="administrator", is_superuser=True)
    client = staff_client(admin_user)
    client.get(reverse("admin:accounts_user_change", args=[citizen.pk]))
    entry = LogEntry.objects.first()
    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 200
    assert client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()

    officer = make_user(role="fund_officer")
    client.logout()
    assert staff_client(officer).get(reverse("admin:auditlog_logentry_changelist")).status_code == 403


def test_english_dates_are_day_month_year_as_in_kazakhstan():
    import datetime as dt

    from django.utils import formats, translation

    with translation.override("en"):
        assert formats.date_format(dt.date(2026, 12, 22), "SHORT_DATE_FORMAT") == "22.12.2026"
