"""The fund officers' queue in the back office: oldest first with the deadline, read-only records
(an audited read), approve and refuse through the services; other staff kept out."""

import datetime as dt

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse

from osms.accounts.models import Role
from osms.core.calendar import ALMATY
from osms.coverage.selectors import status_answer
from osms.temporary_status.models import TemporaryStatusRequest

from .factories import draft, submitted

Status = TemporaryStatusRequest.Status
CHANGELIST = "admin:temporary_status_temporarystatusrequest_changelist"


def change_url(item) -> str:
    return reverse("admin:temporary_status_temporarystatusrequest_change", args=[item.pk])


@pytest.fixture
def queue(make_user, sms_outbox):
    """Three sent requests, sent on three days, and one draft."""
    sent = []
    for day in (20, 18, 19):
        citizen = make_user(phone=f"+770100000{day}")
        sent.append(submitted(citizen, sms_outbox, now=dt.datetime(2026, 11, day, 10, 0, tzinfo=ALMATY)))
    draft(make_user(phone="+77010000099"))
    return sent


def test_the_queue_is_oldest_first_with_the_deadline_and_no_drafts(officer_client, queue):
    # The officer looks on 24 November at noon: the request sent on the 18th (due the 23rd, 10:00)
    # is past its deadline, the one sent on the 20th (due the 25th, 10:00) is not.
    with time_machine.travel(dt.datetime(2026, 11, 24, 12, 0, tzinfo=ALMATY), tick=False):
        page = officer_client.get(reverse(CHANGELIST)).content.decode()
        overdue = officer_client.get(reverse(CHANGELIST) + "?stage=overdue").content.decode()
    positions = [page.index(item.number) for item in sorted(queue, key=lambda item: item.submitted_at)]
    assert positions == sorted(positions)
    assert "Draft" not in page.split("<table", 1)[1].split("</table>", 1)[0]
    assert "past the deadline" in page
    assert queue[1].number in overdue and queue[0].number not in overdue


def test_opening_a_request_is_an_audited_read_showing_documents_and_status(officer_client, officer, queue):
    item = queue[0]
    page = officer_client.get(change_url(item)).content.decode()
    assert item.number in page and "?inline=1" in page and "not insured" in page
    assert reverse("admin:temporary_status_temporarystatusrequest_approve", args=[item.pk]) in page
    assert LogEntry.objects.get_for_object(item).filter(action=LogEntry.Action.ACCESS, actor=officer).exists()


def test_approve_from_the_back_office(officer_client, queue):
    item = queue[0]
    confirm = officer_client.get(reverse("admin:temporary_status_temporarystatusrequest_approve", args=[item.pk]))
    assert confirm.status_code == 200 and item.number in confirm.content.decode()
    response = officer_client.post(reverse("admin:temporary_status_temporarystatusrequest_approve", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.APPROVED
    assert status_answer(iin=item.iin, on=item.status_from).insured


def test_refuse_from_the_back_office_needs_a_reason_and_a_text(officer_client, queue):
    item = queue[0]
    refuse = reverse("admin:temporary_status_temporarystatusrequest_refuse", args=[item.pk])
    page = officer_client.post(refuse, {"reason": "", "text": ""}).content.decode()
    assert "Choose the reason for the refusal." in page and "Explain the refusal to the citizen." in page
    officer_client.post(refuse, {"reason": "not_confirming", "text": "Нужна справка с места учёбы, а не зачётка"})
    item.refresh_from_db()
    assert item.status == Status.REFUSED and item.refusal_reason == "not_confirming"


def test_a_clinic_registrar_sees_no_queue(staff_client, make_user, queue):
    client = staff_client(make_user(role=Role.CLINIC_REGISTRAR))
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(change_url(queue[0])).status_code == 403
    assert (
        client.post(reverse("admin:temporary_status_temporarystatusrequest_approve", args=[queue[0].pk])).status_code
        == 403
    )
    queue[0].refresh_from_db()
    assert queue[0].status == Status.SUBMITTED


def test_nobody_adds_edits_or_deletes_requests_in_the_back_office(officer_client, queue):
    assert officer_client.get(reverse("admin:temporary_status_temporarystatusrequest_add")).status_code == 403
    assert officer_client.post(change_url(queue[0]), {"status": "approved"}).status_code == 403
    assert (
        officer_client.get(
            reverse("admin:temporary_status_temporarystatusrequest_delete", args=[queue[0].pk])
        ).status_code
        == 403
    )
