"""The citizen's request where the register lacks the link, and the fund officer's decision."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from osms.core.calendar import deadline_after
from osms.core.models import Notification
from osms.representation import services
from osms.representation.models import Representation, RepresentationRequest

from .conftest import pdf, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def baby():
    return person(timezone.localdate() - dt.timedelta(days=120), first_name="Нұрай")


@pytest.fixture
def parent_client(parent):
    from django.test import Client

    citizen = Client()
    citizen.force_login(parent)
    return citizen


def send(client, ward_iin, ground="parent", document=None):
    return client.post(
        reverse("representation:request"),
        {"ward_iin": ward_iin, "ground": ground, "document": document or pdf()},
    )


def test_a_parent_asks_with_the_birth_certificate_and_the_officer_approves(
    parent_client, parent, baby, officer, officer_client
):
    response = send(parent_client, baby.iin)
    assert response.status_code == 302
    request = RepresentationRequest.objects.get()
    assert (request.ward_iin, request.representative_iin, request.status) == (baby.iin, parent.iin, "submitted")
    assert request.review_due_at == deadline_after(request.submitted_at, working_days=3)
    assert request.document_name == "свидетельство.pdf"

    page = officer_client.get(reverse("admin:representation_representationrequest_change", args=[request.pk]))
    assert page.status_code == 200 and baby.full_name in page.content.decode()
    document = officer_client.get(reverse("admin:representation_representationrequest_document", args=[request.pk]))
    assert document.status_code == 200 and document["X-Content-Type-Options"] == "nosniff"
    officer_client.post(
        reverse("admin:representation_representationrequest_change", args=[request.pk]),
        {"decision": "approve", "reason": ""},
    )
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == officer
    right = Representation.objects.get(ward=baby)
    assert (right.source, right.request, right.representative_iin) == ("request", request, parent.iin)
    assert Notification.objects.filter(user=parent, url__endswith="/representation/").count() == 1
    assert baby.first_name in parent_client.get(reverse("representation:wards")).content.decode()


def test_a_refusal_needs_a_reason_and_the_citizen_reads_it(parent_client, parent, baby, officer, officer_client):
    send(parent_client, baby.iin)
    request = RepresentationRequest.objects.get()
    url = reverse("admin:representation_representationrequest_change", args=[request.pk])
    page = officer_client.post(url, {"decision": "refuse", "reason": ""})
    assert page.status_code == 200 and "Write the reason" in page.content.decode()
    officer_client.post(url, {"decision": "refuse", "reason": "The certificate names another mother"})
    request.refresh_from_db()
    assert request.status == "refused"
    assert not Representation.objects.exists()
    assert "The certificate names another mother" in parent_client.get(reverse("representation:wards")).content.decode()
    with pytest.raises(services.RepresentationError):
        services.request_approve(actor=officer, request=request)


def test_a_bad_upload_is_refused_with_a_message_and_the_iin_stays_in_the_form(parent_client, parent, baby):
    fake = SimpleUploadedFile("свидетельство.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = send(parent_client, baby.iin, document=fake)
    assert response.status_code == 200
    page = response.content.decode()
    assert "must be a PDF, JPEG or PNG" in page and baby.iin in page
    assert not RepresentationRequest.objects.exists()


def test_an_adult_cannot_be_asked_for_as_a_child(parent_client, parent):
    grown = person(dt.date(1999, 5, 5), first_name="Ерлан")
    response = send(parent_client, grown.iin)
    assert "only for a child under 18" in response.content.decode()
    assert not RepresentationRequest.objects.exists()


def test_a_bad_iin_gets_a_clear_message(parent_client, parent):
    response = send(parent_client, "123456789012")
    assert response.status_code == 200 and "IIN" in response.content.decode()
    assert not RepresentationRequest.objects.exists()


def test_a_citizen_cannot_decide_or_open_the_back_office(parent_client, parent, baby):
    send(parent_client, baby.iin)
    request = RepresentationRequest.objects.get()
    with pytest.raises(services.PermissionDenied):
        services.request_approve(actor=parent, request=request)
    response = parent_client.get(reverse("admin:representation_representationrequest_document", args=[request.pk]))
    assert response.status_code == 302  # to the back office's sign-in


def test_the_sweep_flags_overdue_requests_once_and_tells_the_officers(parent_client, parent, baby, officer):
    send(parent_client, baby.iin)
    request = RepresentationRequest.objects.get()
    assert services.requests_sweep(now=request.review_due_at - dt.timedelta(minutes=1)) == 0
    assert services.requests_sweep(now=request.review_due_at) == 1
    assert services.requests_sweep(now=request.review_due_at + dt.timedelta(hours=1)) == 0
    request.refresh_from_db()
    assert request.overdue_at == request.review_due_at
    assert Notification.objects.filter(user=officer, url__contains="stage=overdue").count() == 1


def test_officers_see_overdue_requests_through_a_filter(parent_client, parent, baby, officer_client):
    send(parent_client, baby.iin)
    request = RepresentationRequest.objects.get()
    changelist = reverse("admin:representation_representationrequest_changelist")
    assert request.number not in officer_client.get(changelist + "?stage=overdue").content.decode()
    RepresentationRequest.objects.filter(pk=request.pk).update(review_due_at=timezone.now() - dt.timedelta(hours=1))
    assert request.number in officer_client.get(changelist + "?stage=overdue").content.decode()


def test_the_officer_uploads_the_register_in_the_back_office(
    officer_client, parent, django_capture_on_commit_callbacks
):
    kid = person(dt.date(2019, 1, 1), first_name="Санжар")
    text = (
        "ИИН подопечного;ИИН представителя;Основание;Начало;Окончание\n"
        f"{kid.iin};{parent.iin};родитель;01.01.2019;\n"
        f"{kid.iin};{parent.iin};сосед;01.01.2019;\n"
    )
    upload = SimpleUploadedFile("representations.csv", text.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(reverse("admin:representation_representationimport_add"), {"file": upload})
    assert response.status_code == 302
    from osms.representation.models import RepresentationImport

    job = RepresentationImport.objects.get()
    assert (job.status, job.rows_added, job.rows_rejected) == ("done", 1, 1)
    assert "3," in job.report.open("rb").read().decode()
    assert Representation.objects.filter(ward=kid, representative_iin=parent.iin).exists()


def test_the_request_and_the_right_name_both_in_the_audit_trail_and_my_requests_lists_it(
    parent_client, parent, baby, officer
):
    from auditlog.models import LogEntry

    send(parent_client, baby.iin)
    request = RepresentationRequest.objects.get()
    services.request_approve(actor=officer, request=request)
    right = Representation.objects.get(ward=baby)
    for instance in (request, right):
        entry = LogEntry.objects.get_for_object(instance).filter(action=LogEntry.Action.CREATE).get()
        assert entry.additional_data == {"ward_iin": baby.iin, "representative_iin": parent.iin}
    assert request.number in parent_client.get(reverse("accounts:requests")).content.decode()


def test_the_request_moves_on_the_workflow_kernel_and_tells_its_story(parent, baby, officer):
    """Sent, then decided: each step an event of the kernel; a stage changed outside it is refused."""
    from osms.core.workflow import StatusChangedOutsideTransition

    request = services.request_submit(actor=parent, ward_iin=baby.iin, ground="parent", document=pdf())
    with pytest.raises(StatusChangedOutsideTransition):
        request.status = RepresentationRequest.Status.APPROVED
        request.save()
    request.refresh_from_db()
    services.request_refuse(actor=officer, request=request, reason="Another mother")
    story = [(e.kind, e.from_status, e.to_status, e.actor, e.note) for e in request.events.all()]
    assert story == [
        ("submitted", "submitted", "submitted", parent, ""),
        ("refused", "submitted", "refused", officer, "Another mother"),
    ]
    with pytest.raises(services.RepresentationError, match="already been decided"):
        services.request_approve(actor=officer, request=request)


def test_a_user_without_the_review_permission_cannot_move_a_request(parent, baby, make_user):
    from django.core.exceptions import PermissionDenied

    request = services.request_submit(actor=parent, ward_iin=baby.iin, ground="parent", document=pdf())
    with pytest.raises(PermissionDenied):
        services.request_approve(actor=make_user(birth=dt.date(1970, 1, 1)), request=request)
    assert RepresentationRequest.objects.get().status == "submitted"


@pytest.mark.parametrize("spacer", [" ", "\u00a0", "\u202f"])
def test_the_wards_iin_may_be_typed_in_groups_as_on_the_certificate(parent_client, parent, baby, spacer):
    typed = spacer.join([baby.iin[:6], baby.iin[6:9], baby.iin[9:]])
    response = send(parent_client, f" {typed} ")
    assert response.status_code == 302
    assert RepresentationRequest.objects.get().ward_iin == baby.iin


def test_the_wards_iin_is_not_offered_the_parents_own_as_autocomplete(parent_client):
    from osms.representation.forms import RequestForm

    attrs = RequestForm()["ward_iin"].field.widget.attrs
    assert attrs["autocomplete"] == "off" and attrs["inputmode"] == "numeric"
    assert 'autocomplete="username"' not in parent_client.get(reverse("representation:request")).content.decode()
