"""The back office: register upload with progress and report, the МЗП table, partners' keys."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from osms.accounts.models import Role
from osms.accounts.roles import roles_sync
from osms.coverage import services
from osms.coverage.importers.parsing import PAYMENTS_HEADER
from osms.coverage.models import ImportJob, MinimumWage, PartnerApiKey, Payment, Person
from osms.coverage.rules import monthly_contribution
from osms.coverage.selectors import mzp_table, mzp_table_forget

from .factories import iin, payment_line, register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    mzp_table_forget()
    yield
    mzp_table_forget()


@pytest.fixture
def officer_client(make_user, staff_client):
    roles_sync()
    return staff_client(make_user(role=Role.FUND_OFFICER))


def test_fund_officer_uploads_a_register_and_downloads_the_report(officer_client, django_capture_on_commit_callbacks):
    person = iin()
    content = register(PAYMENTS_HEADER, [payment_line(person, "012024"), payment_line(person, "022024", knp="999")])
    upload = SimpleUploadedFile("payments.csv", content, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(reverse("admin:coverage_importjob_add"), {"kind": "payments", "file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and job.created_by is not None
    assert (job.rows_read, job.rows_added, job.rows_rejected, job.progress_percent) == (2, 1, 1, 100)
    assert Payment.objects.filter(consumer_iin=person).count() == 1
    listing = officer_client.get(reverse("admin:coverage_importjob_changelist")).content.decode()
    assert "100%" in listing and "rejected rows (CSV)" in listing
    report = officer_client.get(reverse("admin:coverage_importjob_report", args=[job.pk]))
    body = b"".join(report.streaming_content).decode()
    assert report.status_code == 200 and body.splitlines()[1].startswith('3,"КНП: unknown code')
    assert str(job.file.path).startswith(str(job.file.storage.location))


def test_an_unreadable_upload_fails_with_the_reason(officer_client, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("bad.csv", "Дата;Сумма\n".encode("cp1251"))
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse("admin:coverage_importjob_add"), {"kind": "payments", "file": upload})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and "UTF-8" in job.error


def test_a_redelivered_task_does_not_import_twice(officer_client, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("p.csv", register(PAYMENTS_HEADER, [payment_line(iin(), "012024")]))
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse("admin:coverage_importjob_add"), {"kind": "payments", "file": upload})
    job = ImportJob.objects.get()
    assert services.import_job_run(job_id=job.pk).rows_added == 1  # done: left alone


def test_fund_officer_edits_the_minimum_wage_and_the_rules_see_it(officer_client):
    assert monthly_contribution(mzp=mzp_table(), year=2027) == Decimal("4250.00")  # falls back to 2026
    response = officer_client.post(reverse("admin:coverage_minimumwage_add"), {"year": "2027", "amount": "95000"})
    assert response.status_code == 302
    assert MinimumWage.objects.get(year=2027).amount == Decimal("95000")
    assert monthly_contribution(mzp=mzp_table(), year=2027) == Decimal("4750.00")
    assert LogEntry.objects.filter(object_pk="2027").exists()


def test_fund_officer_issues_an_api_key_shown_once(officer_client):
    response = officer_client.post(reverse("admin:coverage_partnerapikey_add"), {"name": "Halyk"}, follow=True)
    key = PartnerApiKey.objects.get()
    messages = [str(m) for m in response.context["messages"]]
    shown = next(m for m in messages if "osms_" in m)
    raw = shown.split(" is ")[1].split(". ")[0]
    assert services.api_key_check(raw) == key and key.created_by is not None
    page = officer_client.get(reverse("admin:coverage_partnerapikey_change", args=[key.pk])).content.decode()
    assert raw not in page


def test_opening_a_person_is_an_audited_read(officer_client):
    person = Person.objects.create(iin=iin(), last_name="Сериков", first_name="Арман", birth_date=dt.date(1990, 1, 15))
    response = officer_client.get(reverse("admin:coverage_person_change", args=[person.pk]))
    assert response.status_code == 200
    assert LogEntry.objects.filter(object_pk=person.pk, action=LogEntry.Action.ACCESS).exists()


def test_payments_cannot_be_added_or_deleted_in_the_admin(officer_client):
    assert officer_client.get(reverse("admin:coverage_payment_add")).status_code == 403
    assert officer_client.get(reverse("admin:coverage_payment_changelist")).status_code == 200
