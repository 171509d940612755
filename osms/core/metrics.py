"""Operations metrics for Prometheus (docs/adr/0014-operations-metrics.md).

- Request latencies: a histogram kept by `RequestMetricsMiddleware`, labelled by the URL name
  (never the raw path: an IIN in a path must not become a label), method and status class.
- Service-level gauges, computed at scrape time by a few cheap counts on indexed status and
  deadline columns. Every query against another area's tables is in `_service_level` below and
  nowhere else, so a renamed column or status is adjusted in one place.
- `/metrics` (no language prefix) answers only a bearer token equal to settings.METRICS_TOKEN, or a
  signed-in staff member; everyone else gets 404, as if there were nothing there.

With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (an empty folder at start, e.g. a tmpfs):
each worker writes its samples there and a scrape of any worker reads them all.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric

logger = logging.getLogger("osms.core.metrics")

_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
if _MULTIPROC_DIR:
    os.makedirs(_MULTIPROC_DIR, exist_ok=True)

REQUEST_LATENCY = Histogram(
    "osms_http_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
RECENT = dt.timedelta(hours=24)  # failures are counted over the last day


class RequestMetricsMiddleware:
    """Outermost middleware: observes every response's time under its URL name."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "unnamed") if match is not None else "unresolved"
        method = request.method if request.method in _METHODS else "other"
        REQUEST_LATENCY.labels(view, method, f"{response.status_code // 100}xx").observe(time.perf_counter() - started)
        return response


# --- the service level: every query on another area's tables is here ---------------------------------------


def _service_level(now: dt.datetime) -> dict[str, dict[str, int]]:
    """Counts by measure and service. Each is a COUNT on an indexed status/deadline filter."""
    from osms.appeals.models import Appeal
    from osms.appeals.models import Status as AppealStatus
    from osms.clinics.models import AttachmentApplication
    from osms.core.models import NotificationDelivery
    from osms.core.querysets import overdue_q
    from osms.coverage.models import ImportJob
    from osms.statements.models import StatementRequest, StatementStage
    from osms.temporary_status.models import TemporaryStatusRequest

    statement_open = StatementRequest.objects.filter(
        status__in=[StatementRequest.Status.RECEIVED, StatementRequest.Status.PROCESSING]
    )
    attachment_open = AttachmentApplication.objects.filter(status=AttachmentApplication.Status.PENDING)
    temporary_open = TemporaryStatusRequest.objects.filter(status=TemporaryStatusRequest.Status.SUBMITTED)
    appeal_open = Appeal.objects.exclude(status__in=[AppealStatus.ANSWERED, AppealStatus.CLOSED])
    since = now - RECENT
    return {
        "queue": {
            "statements": statement_open.count(),
            "attachment": attachment_open.count(),
            "temporary_status": temporary_open.count(),
            "appeals": appeal_open.count(),
        },
        "overdue": {
            # Past 15 working minutes / 1 working day / the review term / 15 working days: the
            # deadlines are stored columns computed on the business calendar when the record was made.
            "statements": statement_open.filter(overdue_q("due_at", now)).count(),
            "attachment": attachment_open.filter(overdue_q("due_at", now)).count(),
            "temporary_status": temporary_open.filter(overdue_q("review_due_at", now)).count(),
            "appeals": appeal_open.filter(overdue_q("due_at", now)).count(),
        },
        "task_failures": {
            "statement_processing": StatementStage.objects.filter(
                kind=StatementStage.Stage.RETRY, at__gte=since
            ).count(),
            "register_import": ImportJob.objects.filter(status=ImportJob.Status.FAILED, created_at__gte=since).count(),
        },
        "notification_failures": {
            channel: NotificationDelivery.objects.filter(
                channel=channel, status=NotificationDelivery.Status.FAILED, created_at__gte=since
            ).count()
            for channel in (NotificationDelivery.Channel.SMS, NotificationDelivery.Channel.EMAIL)
        },
    }


_FAMILIES = {
    "queue": ("osms_service_queue_items", "Items waiting for an answer, by service.", "service"),
    "overdue": ("osms_service_overdue_items", "Items still open past their stored deadline, by service.", "service"),
    "task_failures": ("osms_task_failures_recent", "Background task failures in the last 24 hours.", "task"),
    "notification_failures": (
        "osms_notification_failures_recent",
        "Notifications given up after the last retry in the last 24 hours, by channel (sms, email).",
        "channel",
    ),
}


class ServiceLevelCollector:
    """Computes the gauges when Prometheus scrapes; `osms_service_level_up` is 0 if the database fails."""

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("osms_service_level_up", "1 when the service-level counts could be read.")
        try:
            counts = _service_level(timezone.now())
        except DatabaseError:
            logger.exception("service-level metrics could not be read")
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        for measure, (name, documentation, label) in _FAMILIES.items():
            family = GaugeMetricFamily(name, documentation, labels=[label])
            for key, value in counts[measure].items():
                family.add_metric([str(key)], value)
            yield family


_SERVICE_REGISTRY = CollectorRegistry(auto_describe=False)
_SERVICE_REGISTRY.register(ServiceLevelCollector())


def _process_registry() -> CollectorRegistry:
    if not _MULTIPROC_DIR:
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


def _allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header.removeprefix("Bearer ").strip().encode(), token.encode())
    user = getattr(request, "user", None)
    if user is None or not (user.is_authenticated and user.is_staff and user.is_active):
        return False
    # Staff sign in to the back office with a second factor: a session without it is not enough.
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """The Prometheus exposition; 404 for anyone but the scraper's token or staff."""
    if not _allowed(request):
        raise Http404
    body = generate_latest(_process_registry()) + generate_latest(_SERVICE_REGISTRY)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
