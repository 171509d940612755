"""Every staff read of a person's data in the back office is in the audit trail: change pages,
lists searched or filtered by a person, downloads and exports — and no admin that shows a person
is left without it."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from osms.accounts.models import Role, User
from osms.core.admin_audit import PERSON_FIELDS, AuditedReadMixin
from osms.core.csv_safe import neutralise
from osms.core.models import Notification
from osms.coverage.importers import KIND_BENEFITS, KIND_PAYMENTS
from osms.coverage.models import BenefitMembership, ImportJob, Payment, Person, StatusLookup
from osms.coverage.tests.factories import iin, load, monthly_payments

pytestmark = pytest.mark.django_db

# Registered admins that show a person's data and are knowingly not audited, with the reason.
NOT_AUDITED = {
    "auditlog.LogEntry": "the audit trail itself: administrators only, and reading it is not a read of a record",
    "clinics.Clinic": "its phone is the clinic's public reception number, not a person's",
}


def _shows_a_person(model) -> bool:
    return any(field.concrete and field.name in PERSON_FIELDS for field in model._meta.get_fields())


def test_every_admin_that_shows_a_person_audits_its_reads():
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if _shows_a_person(model)
        and model._meta.label not in NOT_AUDITED
        and not isinstance(model_admin, AuditedReadMixin)
    ]
    assert unaudited == []
    registered = {model._meta.label for model in admin.site._registry}
    assert set(NOT_AUDITED) <= registered  # the exceptions name real admins


def test_the_walk_sees_the_admins_of_the_issue():
    personal = {model._meta.label for model in admin.site._registry if _shows_a_person(model)}
    for label in ("coverage.Payment", "coverage.BenefitMembership", "core.Notification", "coverage.Person"):
        assert label in personal
    assert "accounts.User" in personal and "axes.AccessAttempt" in personal


@pytest.fixture
def officer(staff_client, make_user):
    user = make_user(role=Role.FUND_OFFICER, is_superuser=True)
    return user, staff_client(user)


def reads(model, actor=None) -> list[LogEntry]:
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), action=LogEntry.Action.ACCESS
    )
    if actor is not None:
        entries = entries.filter(actor=actor)
    return list(entries)


def test_opening_a_payment_is_a_read_with_who_and_from_where(officer, settings):
    settings.PROXY_COUNT = 1
    user, client = officer
    person = iin()
    load(KIND_PAYMENTS, monthly_payments(person, "012024", 2))
    payment = Payment.objects.filter(consumer_iin=person).first()
    url = reverse("admin:coverage_payment_change", args=[payment.pk])
    assert client.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.4").status_code == 200
    [entry] = reads(Payment, user)
    assert entry.object_pk == str(payment.pk) and entry.remote_addr == "198.51.100.4"


def test_a_payment_list_searched_by_iin_records_each_row_shown_and_a_plain_list_does_not(officer):
    user, client = officer
    person, other = iin(), iin()
    load(KIND_PAYMENTS, monthly_payments(person, "012024", 3) + monthly_payments(other, "012024", 2))
    assert client.get(reverse("admin:coverage_payment_changelist")).status_code == 200
    assert reads(Payment) == []
    assert client.get(reverse("admin:coverage_payment_changelist"), {"q": person}).status_code == 200
    shown = set(Payment.objects.filter(consumer_iin=person).values_list("pk", flat=True))
    assert {int(entry.object_pk) for entry in reads(Payment, user)} == shown


def test_benefit_memberships_filtered_by_iin_are_reads(officer):
    user, client = officer
    person = iin()
    load(KIND_BENEFITS, [f"{person};1;01.01.2010;"])
    membership = BenefitMembership.objects.get(iin=person)
    client.get(reverse("admin:coverage_benefitmembership_changelist"), {"iin": person})
    assert [entry.object_pk for entry in reads(BenefitMembership, user)] == [str(membership.pk)]


def test_a_notification_and_a_person_opened_are_reads(officer, citizen):
    user, client = officer
    notification = Notification.objects.create(user=citizen, subject="Статус", body="Вы застрахованы")
    client.get(reverse("admin:core_notification_change", args=[notification.pk]))
    person = Person.objects.create(iin=iin(), last_name="Ахметова", first_name="Дана", birth_date="1990-01-15")
    client.get(reverse("admin:coverage_person_change", args=[person.pk]))
    assert len(reads(Notification, user)) == 1 and len(reads(Person, user)) == 1


def test_a_user_opened_once_is_one_entry_though_two_layers_record_it(officer, citizen):
    user, client = officer
    client.get(reverse("admin:accounts_user_change", args=[citizen.pk]))
    assert [entry.object_pk for entry in reads(User, user)] == [str(citizen.pk)]
    client.get(reverse("admin:accounts_user_changelist"), {"q": citizen.iin})
    assert len(reads(User, user)) == 2  # the list searched by the IIN is a second read


def test_status_lookups_searched_by_iin_are_reads(officer, client):
    user, staff = officer
    person = iin()
    client.post(reverse("coverage:status_check"), {"iin": person})
    staff.get(reverse("admin:coverage_statuslookup_changelist"), {"q": person})
    assert len(reads(StatusLookup, user)) == 1


def test_the_rejected_rows_download_is_a_read_and_starts_no_formula(officer, tmp_path, settings):
    from django.core.files.base import ContentFile

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    user, client = officer
    job = ImportJob.objects.create(kind="payments", created_by=user, status=ImportJob.Status.DONE)
    job.report.save("r.csv", ContentFile(b'line,reason,text\r\n3,bad,"=HYPERLINK(""http://evil"")"\r\n'))
    response = client.get(reverse("admin:coverage_importjob_report", args=[job.pk]))
    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200 and "'=HYPERLINK" in body and ',"=' not in body
    assert [entry.object_pk for entry in reads(ImportJob, user)] == [str(job.pk)]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+77011234567", "'+77011234567"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1", "'\r=1"),
        ("КНП: unknown code", "КНП: unknown code"),
        (3, 3),
        ("'=1", "'=1"),
    ],
)
def test_csv_cells_that_would_start_a_formula_are_neutralised(cell, written):
    assert neutralise(cell) == written
