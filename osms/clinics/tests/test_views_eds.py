"""The online application signed with an EDS where NCANode is configured, the SMS code otherwise: the
same choice as the statement request, checked by the shared NCANode client (osms/core/eds.py) against
the NCANode stand-in that trusts the test chain (osms/core/testing/)."""

import pytest
from django.utils import translation

from osms.clinics import services
from osms.clinics.models import AttachmentApplication
from osms.core.eds import EdsRejected

from .test_views import clinic, signed_in, url, walk_to_check  # noqa: F401 (fixtures and the walk)

pytestmark = pytest.mark.django_db
Status = AttachmentApplication.Status


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_without_ncanode_only_the_code_is_offered(signed_in, clinic, settings, sms_outbox):  # noqa: F811
    settings.NCANODE_URL = ""
    walk_to_check(signed_in, clinic)
    page = signed_in.get(url("apply_check")).content.decode()
    assert 'value="ncanode"' not in page and "Send the code" in page
    assert services.signing_methods() == ["sms"]
    assert signed_in.post(url("apply_check"), {"method": "ncanode"}).status_code == 200  # refused, not a redirect
    assert not AttachmentApplication.objects.exists()


def test_the_citizen_signs_with_an_eds(signed_in, citizen, clinic, ncanode_standin, sms_outbox):  # noqa: F811
    walk_to_check(signed_in, clinic)
    check = signed_in.get(url("apply_check")).content.decode()
    assert 'value="ncanode"' in check and 'value="sms"' in check
    sent = signed_in.post(url("apply_check"), {"method": "ncanode"})
    assert sent["Location"] == url("apply_confirm") + "?method=ncanode"
    assert not sms_outbox  # no code for an EDS signature
    application = AttachmentApplication.objects.get()
    page = signed_in.get(sent["Location"]).content.decode()
    data = services.application_data_to_sign(application)
    assert application.number in page and "statement-sign-button" in page

    someone = ncanode_standin.sign(data.encode(), iin="880327400777")
    refused = signed_in.post(sent["Location"], {"signature": someone})
    assert refused.status_code == 200 and "another person" in refused.content.decode()
    expired = signed_in.post(
        sent["Location"], {"signature": ncanode_standin.sign(data.encode(), iin=citizen.iin, kind="expired")}
    )
    assert expired.status_code == 200 and "govuk-error-summary" in expired.content.decode()
    application.refresh_from_db()
    assert application.status == Status.UNCONFIRMED

    done = signed_in.post(sent["Location"], {"signature": ncanode_standin.sign(data.encode(), iin=citizen.iin)})
    assert done["Location"] == url("application_sent", application.number)
    application.refresh_from_db()
    assert application.status == Status.PENDING and application.due_at is not None
    assert application.events.filter(to_status=Status.PENDING, note="Signed with an EDS").exists()


def test_a_signature_of_another_application_does_not_sign_this_one(citizen, clinic, ncanode_standin):  # noqa: F811
    application = services.application_create(
        actor=citizen, clinic=clinic, reason="first", locality="Астана", street="пр. Абая", house="1", flat="",
        phone="+77015554433", method=services.SIGN_BY_EDS,
    )  # fmt: skip
    other = services.application_data_to_sign(application).replace(application.number, "CA-2026-999999")
    with pytest.raises(EdsRejected, match="not valid"):
        services.application_submit(
            actor=citizen,
            application=application,
            method=services.SIGN_BY_EDS,
            signature=ncanode_standin.sign(other.encode(), iin=citizen.iin),
        )
    application.refresh_from_db()
    assert application.status == Status.UNCONFIRMED
