"""The citizen's pages, the public check and the back office, through the test client."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import translation

from osms.core.calendar import ALMATY
from osms.core.iin import make_iin
from osms.coverage.periods import Period

from ..models import StatementComplaint, StatementRequest
from .factories import last_code, submit

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ALMATY)


@pytest.fixture(autouse=True)
def setup(settings, tmp_path, time_machine):
    settings.NCANODE_URL = ""
    time_machine.move_to(NOW, tick=False)


def url(name, **kwargs):
    """English pages: the tests read the msgids, whatever the translators have done."""
    with translation.override("en"):
        return reverse(f"statements:{name}", kwargs=kwargs or None)


def test_the_citizen_requests_confirms_reads_and_downloads_a_statement(client, citizen):
    client.force_login(citizen)
    assert client.get(url("list")).status_code == 200

    page = client.get(url("start"))
    assert page.status_code == 200
    assert 'value="11.2025"' in page.text and 'value="11.2026"' in page.text
    assert client.post(url("start"), {"period_from": "11.2025", "period_to": "11.2026"}).url == url("language")
    assert client.post(url("language"), {"language": "kk"}).url == url("consent")
    assert client.post(url("consent"), {"consent": "yes"}).url == url("check")
    check = client.get(url("check"))
    assert "11.2025 – 11.2026" in check.text and "Қазақша" in check.text

    sent = client.post(url("check"), {"method": "sms"})
    statement = StatementRequest.objects.get(user=citizen)
    assert sent.url == f"{url('confirm', number=statement.number)}?method=sms"
    assert statement.status == StatementRequest.Status.DRAFT and statement.language == "kk"
    assert client.get(sent.url).status_code == 200

    wrong = client.post(sent.url, {"code": "000000" if last_code(citizen.phone) != "000000" else "111111"})
    assert wrong.status_code == 200 and "govuk-error-summary" in wrong.text
    done = client.post(sent.url, {"code": last_code(citizen.phone)})
    assert done.url == url("detail", number=statement.number)

    statement.refresh_from_db()
    assert statement.status == StatementRequest.Status.ISSUED
    detail = client.get(done.url)
    document = statement.document
    assert document.number in detail.text
    assert "Міндетті әлеуметтік медициналық сақтандыру жүйесінде" in detail.text  # the Kazakh form
    assert 'lang="kk"' in detail.text and "data:image/svg+xml" in detail.text

    pdf = client.get(url("pdf", number=statement.number))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert f'filename="{document.number}.pdf"' in pdf["Content-Disposition"]
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")

    with translation.override("en"):
        requests = client.get(reverse("accounts:requests"))
    assert statement.number in requests.text


def test_another_citizen_cannot_see_or_download_the_statement(
    client, citizen, make_user, django_capture_on_commit_callbacks
):
    statement = submit(citizen, django_capture_on_commit_callbacks, first=Period(2026, 1), last=Period(2026, 11))
    client.force_login(make_user())
    for name in ("detail", "pdf", "confirm", "complaint_new"):
        assert client.get(url(name, number=statement.number)).status_code == 404
    client.logout()
    assert client.get(url("detail", number=statement.number)).status_code == 302  # to sign in


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period_from": "12.2026", "period_to": "11.2026"}, "after the first month"),
        ({"period_from": "01.2026", "period_to": "12.2026"}, "after the current month"),
        ({"period_from": "10.2021", "period_to": "11.2026"}, "at most 5 years"),
        ({"period_from": "2026-01", "period_to": "11.2026"}, "month.year"),
        ({"period_from": "", "period_to": "11.2026"}, "first month of the period"),
    ],
)
def test_the_period_question_says_what_is_wrong(client, citizen, data, message):
    client.force_login(citizen)
    page = client.post(url("start"), data)
    assert page.status_code == 200 and message in page.text and "govuk-error-summary" in page.text


def test_questions_cannot_be_skipped(client, citizen):
    client.force_login(citizen)
    assert client.get(url("language")).url == url("start")
    assert client.get(url("check")).url == url("start")


def test_without_consent_the_refusal_is_shown(client, citizen):
    client.force_login(citizen)
    client.post(url("start"), {"period_from": "01.2026", "period_to": "11.2026"})
    client.post(url("language"), {"language": "ru"})
    client.post(url("consent"), {"consent": "no"})
    assert "refuse" in client.get(url("check")).text
    confirm = client.post(url("check"), {"method": "sms"}).url
    detail = client.post(confirm, {"code": last_code(citizen.phone)}).url
    page = client.get(detail)
    assert "Мотивированный отказ в оказании государственной услуги" in page.text
    assert "отсутствие согласия услугополучателя" in page.text


def test_the_public_check_confirms_number_and_iin_and_says_nothing_else(
    client, citizen, django_capture_on_commit_callbacks, settings
):
    statement = submit(citizen, django_capture_on_commit_callbacks, first=Period(2026, 1), last=Period(2026, 11))
    document = statement.document
    page = client.get(f"{url('verify')}?number={document.number}")
    assert page.status_code == 200 and f'value="{document.number}"' in page.text

    found = client.post(url("verify"), {"number": document.number.lower(), "iin": citizen.iin})
    assert "The document is authentic" in found.text or "verify-sha256" in found.text
    assert document.sha256 in found.text and "23.11.2026" in found.text
    assert citizen.last_name not in found.text and "4 250" not in found.text

    other_iin = make_iin(dt.date(1985, 5, 5), serial=4242)
    missing = client.post(url("verify"), {"number": document.number, "iin": other_iin})
    assert document.sha256 not in missing.text and "verify-not-found" in missing.text
    invalid = client.post(url("verify"), {"number": document.number, "iin": "123"})
    assert "govuk-error-summary" in invalid.text and document.sha256 not in invalid.text


def test_the_public_check_is_rate_limited(client, settings, db):
    settings.RATELIMITS = {**settings.RATELIMITS, "public_lookup": "2/m"}
    data = {"number": "P2-20261123-00000001", "iin": make_iin(dt.date(1985, 5, 5), serial=4242)}
    for _ in range(2):
        assert client.post(url("verify"), data).status_code == 200
    assert client.post(url("verify"), data).status_code == 429


def test_the_citizen_complains_and_reads_the_answer_given_in_the_back_office(
    client, citizen, make_user, staff_client, django_capture_on_commit_callbacks
):
    statement = submit(citizen, django_capture_on_commit_callbacks, first=Period(2026, 1), last=Period(2026, 11))
    client.force_login(citizen)
    assert client.get(url("complaint_new", number=statement.number)).status_code == 200
    assert "govuk-error-summary" in client.post(url("complaint_new", number=statement.number), {"text": ""}).text
    sent = client.post(url("complaint_new", number=statement.number), {"text": "В выписке нет платежа за май."})
    complaint = StatementComplaint.objects.get(request=statement)
    assert sent.url == url("complaint", number=complaint.number)
    page = client.get(sent.url)
    assert complaint.number in page.text and "govuk-panel" in page.text
    client.logout()

    officer = make_user(role="fund_officer")
    admin = staff_client(officer)
    change = reverse("admin:statements_statementcomplaint_change", args=[complaint.pk])
    assert admin.get(change).status_code == 200
    assert LogEntry.objects.filter(object_pk=str(complaint.pk), action=LogEntry.Action.ACCESS).exists()
    answered = admin.post(change, {"step": "satisfy", "reply": "Платёж за май добавлен.", "body": "", "_save": "1"})
    assert answered.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == StatementComplaint.Status.SATISFIED
    assert admin.post(change, {"step": "decision", "reply": "…", "body": "", "_save": "1"}).status_code == 403
    admin.logout()

    client.force_login(citizen)
    page = client.get(url("complaint", number=complaint.number))
    assert "Платёж за май добавлен." in page.text


def test_fund_officers_see_the_monitoring_and_the_stage_history(
    citizen, make_user, staff_client, django_capture_on_commit_callbacks
):
    statement = submit(citizen, django_capture_on_commit_callbacks, first=Period(2026, 1), last=Period(2026, 11))
    officer = make_user(role="fund_officer")
    admin = staff_client(officer)
    page = admin.get(reverse("admin:statements_statementrequest_monitoring"))
    assert page.status_code == 200
    assert page.context["data"].received == 1 and page.context["data"].issued == 1
    assert page.context["data"].median_seconds == 0.0
    changelist = admin.get(reverse("admin:statements_statementrequest_changelist"))
    assert statement.number in changelist.text
    change = admin.get(reverse("admin:statements_statementrequest_change", args=[statement.pk]))
    assert change.status_code == 200 and "processing" in change.text.lower()
    assert LogEntry.objects.filter(object_pk=str(statement.pk), action=LogEntry.Action.ACCESS).exists()
    assert admin.post(reverse("admin:statements_statementrequest_delete", args=[statement.pk])).status_code == 403


def test_other_staff_do_not_see_the_monitoring(make_user, staff_client):
    registrar_client = staff_client(make_user(role="clinic_registrar"))
    assert registrar_client.get(reverse("admin:statements_statementrequest_monitoring")).status_code == 403
