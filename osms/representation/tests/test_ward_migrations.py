"""The migrations of the services for a ward keep every row (docs/adr/0702-services-for-a-ward.md):
the four requests gain a blank `representative_iin`, and the requests to act for someone made before
the kernel get their story as kernel events (SQLite by default, PostgreSQL with DATABASE_URL)."""

import pytest

from osms.core.tests.test_workflow_migrations import MOMENT, _make, _migrate

BEFORE = [
    ("statements", "0002_events_in_the_workflow_kernel_shape"),
    ("clinics", "0007_events_in_the_workflow_kernel_shape"),
    ("temporary_status", "0003_events_in_the_workflow_kernel_shape"),
    ("appeals", "0002_events_in_the_workflow_kernel_shape"),
    ("representation", "0001_representation_and_requests"),
]
AFTER = [
    ("statements", "0003_representative_iin"),
    ("clinics", "0008_representative_iin"),
    ("temporary_status", "0005_wwii_veteran_answer"),
    ("appeals", "0003_representative_iin"),
    ("representation", "0002_request_on_the_workflow_kernel"),
]
MODELS = [
    ("statements", "StatementRequest"),
    ("clinics", "AttachmentApplication"),
    ("temporary_status", "TemporaryStatusRequest"),
    ("appeals", "Appeal"),
]


@pytest.mark.django_db(transaction=True)
def test_every_row_is_kept_and_old_requests_get_their_story():
    old = _migrate(BEFORE)
    made = {}
    rows = {}
    for app, name in MODELS:
        person = {"applicant_iin": "123456789012"} if name == "Appeal" else {"iin": "123456789012"}
        rows[name] = _make(old.get_model(app, name), made, **person)
    Request = old.get_model("representation", "RepresentationRequest")
    refused = _make(
        Request, made, status="refused", submitted_at=MOMENT, decided_at=MOMENT, refusal_reason="Другая мать"
    )
    waiting = _make(Request, made, status="submitted", submitted_at=MOMENT)

    new = _migrate(AFTER)
    for app, name in MODELS:
        row = new.get_model(app, name).objects.get(pk=rows[name].pk)
        assert row.representative_iin == ""
    assert (
        new.get_model("temporary_status", "TemporaryStatusRequest")
        .objects.get(pk=rows["TemporaryStatusRequest"].pk)
        .wwii_veteran
        is None
    )
    Event = new.get_model("representation", "RepresentationRequestEvent")
    assert list(
        Event.objects.filter(request_id=refused.pk).order_by("id").values_list("kind", "to_status", "note")
    ) == [
        ("submitted", "submitted", ""),
        ("refused", "refused", "Другая мать"),
    ]
    assert list(Event.objects.filter(request_id=waiting.pk).values_list("kind", flat=True)) == ["submitted"]
    assert new.get_model("representation", "RepresentationRequest").objects.count() == 2
