"""The other citizen-facing writes with Redis (cache and broker) out of reach (docs/adr/0013): the clinic
attachment application, a temporary-status request and an appeal each commit through the views, the
citizen sees the usual confirmation page, and the SMS the write owes is sent once after recovery.

What a write queues on commit is run here (`django_capture_on_commit_callbacks(execute=True)`), so
the broker is really asked and really unreachable; the sweeps are run by hand, as beat would run them.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from osms.appeals.models import AnswerBy, Appeal, Topic
from osms.clinics.models import AttachmentApplication, Region
from osms.core.models import SmsMessage
from osms.core.tasks import notifications_sweep
from osms.temporary_status.models import TemporaryStatusRequest
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_private(english, private_media):
    """Pages in English, uploads in this test's own folder (the root fixtures)."""


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """A request whose on-commit work (the queueing of its SMS) runs as a real commit would."""

    def post(client, path, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data or {})

    return post


def texts_to(outbox, phone) -> list[str]:
    return [message["text"] for message in outbox if message["to"] == phone]


def code_in(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


def recover(time_machine, redis_outage) -> None:
    """Redis is back; a minute on, the notifications sweep (every 15 s in production) finds what the
    broker never took. A second sweep finds nothing more."""
    redis_outage.end()
    time_machine.move_to(timezone.now() + dt.timedelta(seconds=61), tick=False)
    assert notifications_sweep() >= 1
    assert notifications_sweep() == 0


def code_after_recovery(outbox, phone, time_machine, redis_outage) -> str:
    """The code the citizen asked for while Redis was away: it waits in its table (not in clear), and
    reaches the phone once after recovery."""
    waiting = SmsMessage.objects.get(status=SmsMessage.Status.PENDING)
    assert texts_to(outbox, phone) == [] and re.search(r"\d{6}", waiting.sealed_text) is None
    recover(time_machine, redis_outage)
    assert len(texts_to(outbox, phone)) == 1
    return code_in(texts_to(outbox, phone)[0])


def test_a_clinic_attachment_is_applied_for_and_signed_while_redis_is_away(
    client, citizen, sms_outbox, redis_outage, run_on_commit, time_machine
):
    from osms.clinics.tests.factories import make_clinic
    from osms.clinics.tests.test_views import walk_to_check

    clinic = make_clinic()
    client.force_login(citizen)
    redis_outage.begin()
    walk_to_check(client, clinic)
    response = run_on_commit(client, reverse("clinics:apply_check"))
    assert response["Location"] == reverse("clinics:apply_confirm")
    application = AttachmentApplication.objects.get(iin=citizen.iin)
    assert application.status == AttachmentApplication.Status.UNCONFIRMED
    code = code_after_recovery(sms_outbox, citizen.phone, time_machine, redis_outage)

    redis_outage.begin()  # away again while the citizen signs
    response = run_on_commit(client, reverse("clinics:apply_confirm"), {"code": code})
    assert response["Location"] == reverse("clinics:application_sent", args=[application.number])
    page = client.get(response["Location"])
    assert page.status_code == 200 and application.number in page.text
    application.refresh_from_db()
    assert application.status == AttachmentApplication.Status.PENDING and application.due_at is not None

    redis_outage.end()
    assert notifications_sweep() == 0  # nothing owed: the code was sent once, nothing twice
    assert len(texts_to(sms_outbox, citizen.phone)) == 1


def test_a_temporary_status_request_is_sent_with_its_documents_while_redis_is_away(
    client, make_user, sms_outbox, redis_outage, run_on_commit, time_machine
):
    from conftest import new_iin

    birth = dt.date(2004, 5, 6)
    student = make_user(iin=new_iin(birth, female=True), birth=birth, last_name="Ахметова", first_name="Дана")
    client.force_login(student)
    redis_outage.begin()
    run_on_commit(client, reverse("temporary_status:start"), {"category": "10"})
    request = TemporaryStatusRequest.objects.get(user=student)
    for slot, _kind in enumerate(request.required_documents, start=1):  # each scanned by the test clamd
        upload = SimpleUploadedFile(f"справка-{slot}.pdf", pdf_bytes(), content_type="application/pdf")
        run_on_commit(
            client, reverse("temporary_status:document", args=[request.pk, slot]), {f"document_{slot}": upload}
        )
    assert request.documents.count() == len(request.required_documents)
    response = run_on_commit(client, reverse("temporary_status:check", args=[request.pk]))
    assert response["Location"] == reverse("temporary_status:confirm", args=[request.pk])
    code = code_after_recovery(sms_outbox, student.phone, time_machine, redis_outage)

    redis_outage.begin()
    response = run_on_commit(client, reverse("temporary_status:confirm", args=[request.pk]), {"code": code})
    assert response["Location"] == reverse("temporary_status:sent", args=[request.pk])
    request.refresh_from_db()
    assert request.status == TemporaryStatusRequest.Status.SUBMITTED and request.review_due_at is not None
    panel = client.get(response["Location"]).text
    assert "govuk-panel--confirmation" in panel and request.number in panel
    assert not any(request.number in text for text in texts_to(sms_outbox, student.phone))

    recover(time_machine, redis_outage)
    assert len([text for text in texts_to(sms_outbox, student.phone) if request.number in text]) == 1


def test_an_appeal_is_filed_while_redis_is_away_and_its_sms_sent_once_after(
    client, citizen, sms_outbox, redis_outage, run_on_commit, time_machine
):
    from osms.appeals.tests.factories import clinic_make, pdf_upload

    clinic = clinic_make(region=Region.ALMATY_CITY)
    client.force_login(citizen)
    redis_outage.begin()
    steps = [
        ("new_topic", {"topic": Topic.SERVICE_REFUSAL}),
        ("new_region", {"region": Region.ALMATY_CITY}),
        ("new_clinic", {"clinic": clinic.pk}),
        ("new_substance", {"substance": "Отказали в МРТ по направлению."}),
        ("new_documents", {"files": [pdf_upload("направление.pdf")]}),
        ("new_answer", {"answer_by": AnswerBy.CABINET}),
    ]
    for name, data in steps:
        assert run_on_commit(client, reverse(f"appeals:{name}"), data).status_code == 302, name
    response = run_on_commit(client, reverse("appeals:new_check"))
    appeal = Appeal.objects.get()
    assert response["Location"] == reverse("appeals:done", kwargs={"number": appeal.number})
    done = client.get(response["Location"]).text
    assert "govuk-panel--confirmation" in done and appeal.number in done
    assert appeal.files.count() == 1 and appeal.due_at is not None
    assert not any(appeal.number in text for text in texts_to(sms_outbox, citizen.phone))

    recover(time_machine, redis_outage)
    assert len([text for text in texts_to(sms_outbox, citizen.phone) if appeal.number in text]) == 1
