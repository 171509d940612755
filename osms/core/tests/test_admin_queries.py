"""Every back-office list runs the same number of queries whatever the number of rows on it: no
related record (a nullable author, a partner's key, a person) is fetched row by row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from model_bakery import baker

from osms.accounts.models import Role
from osms.representation import importer as representation_importer

pytestmark = pytest.mark.django_db

ADMINS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _shape(label: str, start: int, count: int) -> dict:
    """The fields a row needs to be valid for its model and to be on the admin's list (which may
    leave drafts out, or show only overdue records)."""
    later, earlier = timezone.now() + dt.timedelta(days=3), timezone.now() - dt.timedelta(days=3)
    numbers = range(start, start + count)
    shapes = {
        "core.CalendarException": {"day": iter([dt.date(2031, 1, 1) + dt.timedelta(days=n) for n in numbers])},
        "coverage.Payment": {"period": 202401},
        "coverage.BenefitCategory": {"number": iter([1000 + n for n in numbers])},  # the number is the key
        # Row 1 is made by a migration with its id given, which PostgreSQL's sequence does not know.
        "clinics.AttachmentPolicy": {"id": iter([100 + n for n in numbers])},
        "clinics.AttachmentApplication": {"status": "pending", "due_at": later},
        "clinics.OverdueApplication": {"status": "pending", "due_at": earlier},
        "representation.RepresentationImport": {"kind": representation_importer.KIND},
        "temporary_status.TemporaryStatusRequest": {"status": "submitted"},
    }
    periods = {"period_from": 202401, "period_to": 202412}
    shapes["statements.StatementRequest"] = periods
    request_periods = {"request__period_from": 202401, "request__period_to": 202412}
    shapes.update(dict.fromkeys(["statements.StatementComplaint", "statements.StatementDocument"], request_periods))
    return shapes.get(label, {})


def add_rows(model, count: int, *, start: int = 0) -> None:
    """Rows with every optional field filled in too, so that each row has its own related records."""
    fields = _shape(model._meta.label, start, count)
    rows = baker.make(model._meta.concrete_model, _quantity=count, _fill_optional=True, **fields)
    optional = [field.attname for field in model._meta.concrete_fields if field.is_relation and field.null]
    assert all(getattr(row, name) is not None for row in rows for name in optional)


def list_queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.context["cl"].result_count, [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("model", ADMINS, ids=lambda model: model._meta.label)
def test_a_list_runs_the_same_queries_for_one_row_and_for_twenty(model, staff_client, make_user):
    client = staff_client(make_user(role=Role.FUND_OFFICER, is_superuser=True, is_staff=True))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    add_rows(model, 1)
    client.get(url)  # what a first request caches (content types, the calendar, policies) is not per row
    few, one = list_queries(client, url)
    add_rows(model, 19, start=1)
    many, twenty = list_queries(client, url)
    assert many >= few + 19
    assert len(twenty) == len(one), "\n\n".join(twenty)
