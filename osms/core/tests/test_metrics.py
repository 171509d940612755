"""/metrics: request latencies and the service-level gauges, refused to the public."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from osms.accounts.models import Role
from osms.core.models import Notification, NotificationDelivery
from osms.statements.models import StatementRequest

pytestmark = pytest.mark.django_db
TOKEN = "scrape-token-0123456789"


def _samples(body: str) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


@override_settings(METRICS_TOKEN=TOKEN)
def test_the_public_and_wrong_tokens_get_404(client, citizen):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/ru/metrics").status_code == 404  # never under a language prefix
    client.force_login(citizen)
    assert client.get("/metrics").status_code == 404


@override_settings(METRICS_TOKEN="")
def test_no_token_configured_means_no_token_opens_it(client):
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_staff_need_their_second_factor(client, make_user, staff_client):
    officer = make_user(role=Role.FUND_OFFICER)
    client.force_login(officer)
    assert client.get("/metrics").status_code == 404
    assert staff_client(officer).get("/metrics").status_code == 200


@override_settings(METRICS_TOKEN=TOKEN)
def test_latencies_and_service_level_gauges(client, citizen):
    now = timezone.now()
    StatementRequest.objects.create(
        user=citizen,
        iin=citizen.iin,
        period_from=202501,
        period_to=202512,
        language="ru",
        consent=True,
        status=StatementRequest.Status.RECEIVED,
        received_at=now - dt.timedelta(hours=2),
        due_at=now - dt.timedelta(hours=1),
    )
    notification = Notification.objects.create(user=citizen, subject="s", body="b")
    NotificationDelivery.objects.create(
        notification=notification, channel="sms", destination="+77011234567", status="failed"
    )
    client.get("/healthz")
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    samples = _samples(response.content.decode())
    assert samples[("osms_service_level_up", ())] == 1
    assert samples[("osms_service_overdue_items", (("service", "statements"),))] == 1
    assert samples[("osms_service_queue_items", (("service", "statements"),))] == 1
    for service in ("attachment", "temporary_status", "appeals"):
        assert samples[("osms_service_overdue_items", (("service", service),))] == 0
    assert samples[("osms_notification_failures_recent", (("channel", "sms"),))] == 1
    assert ("osms_task_failures_recent", (("task", "statement_processing"),)) in samples
    assert ("osms_task_failures_recent", (("task", "register_import"),)) in samples
    healthz = [
        value
        for (name, labels), value in samples.items()
        if name == "osms_http_request_duration_seconds_count" and ("view", "healthz") in labels
    ]
    assert healthz and healthz[0] >= 1
    # The label is the URL's name, never the path: an IIN in a path never becomes a label.
    assert citizen.iin not in response.content.decode()
