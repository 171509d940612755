import io

from django.test import TestCase

from osms.temporary_status import demo
from osms.temporary_status.models import TemporaryStatusRequest
from osms.temporary_status.selectors import eligibility_of


def test_demo_data_is_idempotent_and_gives_the_officer_a_request_to_review(db):
    with TestCase.captureOnCommitCallbacks(execute=True):
        rows = demo.load(out=io.StringIO())
        again = demo.load(out=io.StringIO())
    assert rows == again and len(rows) == 3
    waiting = TemporaryStatusRequest.objects.get()
    assert waiting.status == TemporaryStatusRequest.Status.SUBMITTED and waiting.documents.count() == 1
    from osms.accounts.models import User

    student = User.objects.get(iin=rows[0][1])
    assert eligibility_of(user=student).eligibility.allowed


def test_the_demo_pensioner_who_is_no_veteran_may_send_a_request_with_the_identity_document(db):
    from osms.accounts.models import User
    from osms.temporary_status import services
    from osms.temporary_status.tests.factories import pdf

    with TestCase.captureOnCommitCallbacks(execute=True):
        rows = demo.load(out=io.StringIO())
    pensioner = User.objects.get(iin=rows[2][1])
    assert eligibility_of(user=pensioner).eligibility.allowed
    draft = services.temporary_status_start(actor=pensioner, category=9, wwii_veteran=False)
    assert draft.required_documents == ["Identity document"]
    services.temporary_status_document_upload(actor=pensioner, request=draft, kind="Identity document", file=pdf())
    sent = services._submit_confirmed(actor=pensioner, request=draft)
    assert sent.status == TemporaryStatusRequest.Status.SUBMITTED
