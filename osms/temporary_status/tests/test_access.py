"""Documents are served only to their owner and to fund officers (signed in with the second factor)."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from osms.accounts.models import Role
from osms.temporary_status.models import TemporaryStatusEvent

from .factories import draft, submitted


@pytest.fixture
def document(student, sms_outbox):
    return submitted(student, sms_outbox).documents.get()


def url(document) -> str:
    return reverse("temporary_status:document_file", args=[document.pk])


def test_the_owner_downloads_as_an_attachment(client, student, document):
    client.force_login(student)
    response = client.get(url(document))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    # Asking for inline changes nothing for the owner.
    assert client.get(url(document) + "?inline=1")["Content-Disposition"].startswith("attachment;")


def test_an_anonymous_visitor_is_refused(client, document):
    response = client.get(url(document))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_another_citizen_is_refused(client, make_user, document):
    client.force_login(make_user())
    assert client.get(url(document)).status_code == 404


def test_a_clinic_registrar_is_refused_even_with_the_second_factor(staff_client, make_user, document):
    registrar = make_user(role=Role.CLINIC_REGISTRAR)
    assert staff_client(registrar).get(url(document)).status_code == 404


def test_a_fund_officer_without_the_second_factor_is_refused(client, officer, document):
    client.force_login(officer)
    assert client.get(url(document)).status_code == 404


def test_a_fund_officer_opens_it_inline_and_the_reading_is_recorded(officer_client, officer, document):
    response = officer_client.get(url(document) + "?inline=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert document.request.events.filter(kind=TemporaryStatusEvent.Kind.DOCUMENT_OPENED, actor=officer).exists()
    assert LogEntry.objects.get_for_object(document).filter(action=LogEntry.Action.ACCESS, actor=officer).exists()


def test_a_fund_officer_cannot_read_a_draft(officer_client, student):
    unsent = draft(student).documents.get()
    assert officer_client.get(url(unsent)).status_code == 404


def test_a_document_that_does_not_exist(client, student):
    client.force_login(student)
    assert client.get(reverse("temporary_status:document_file", args=[999999])).status_code == 404
