import io

from django.test import TestCase

from osms.temporary_status import demo
from osms.temporary_status.models import TemporaryStatusRequest
from osms.temporary_status.selectors import eligibility_of


def test_demo_data_is_idempotent_and_gives_the_officer_a_request_to_review(db):
    with TestCase.captureOnCommitCallbacks(execute=True):
        rows = demo.load(out=io.StringIO())
        again = demo.load(out=io.StringIO())
    assert rows == again and len(rows) == 2
    waiting = TemporaryStatusRequest.objects.get()
    assert waiting.status == TemporaryStatusRequest.Status.SUBMITTED and waiting.documents.count() == 1
    from osms.accounts.models import User

    student = User.objects.get(iin=rows[0][1])
    assert eligibility_of(user=student).eligibility.allowed
