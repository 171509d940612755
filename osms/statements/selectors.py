"""Reads of the statement service that the views, the admin, the worker and the sweep share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from osms.core.calendar import ALMATY
from osms.core.querysets import breached_q, overdue_q
from osms.coverage.models import Payment, Person, int_to_period

from . import rules
from .models import StatementComplaint, StatementDocument, StatementRequest

# A received request whose task was queued this long ago and never claimed lost its message (a
# broker flushed or restarted): queued again by the sweep (every 15 s), so a lost message is
# re-queued within about 75 s. A queue that is merely long gets a second message, which finds the
# request claimed or done and is skipped (the claim is a conditional UPDATE with a token).
LOST_MESSAGE = dt.timedelta(seconds=60)
# A claim is a lease: the worker renews `claimed_at` every HEARTBEAT while it builds the document
# (osms/core/leases.py), so a claim not renewed for this long belongs to a worker that died, and
# the sweep hands the request to another within STALE_CLAIM + 15 s (docs/adr/0013).
STALE_CLAIM = dt.timedelta(seconds=30)
HEARTBEAT_SECONDS = 10


# --- The statement's data --------------------------------------------------------------------------------------
def statement_payments(*, iin: str, start: dt.date, end: dt.date) -> list[rules.PaymentRow]:
    """The person's payments that reached the Fund from `start` to `end` (both included)."""
    rows = Payment.objects.filter(consumer_iin=iin, received__gte=start, received__lte=end).values_list(
        "received", "number", "knp", "amount", "period", "payer_id", "status", "refund_amount"
    )
    returned = Payment.Status.RETURNED
    return [
        rules.PaymentRow(
            received=received,
            number=number,
            knp=knp,
            amount=amount,
            period=int_to_period(period),
            payer_id=payer_id,
            returned=status == returned,
            refund_amount=refund,
        )
        for received, number, knp, amount, period, payer_id, status, refund in rows
    ]


def holder_name(*, iin: str, fallback: str) -> str:
    """The name as the persons register holds it (the Fund's data), else the account's."""
    person = Person.objects.filter(iin=iin).only("last_name", "first_name", "patronymic").first()
    return person.full_name if person else fallback


# --- The citizen's requests ----------------------------------------------------------------------------------------
def requests_of(*, user, iin: str | None = None) -> QuerySet[StatementRequest]:
    """The requests this account made about `iin` (a ward it acts for; by default the citizen's own)."""
    return (
        StatementRequest.objects.filter(user=user, iin=iin or user.iin)
        .select_related("document")
        .order_by("-created_at", "-id")
    )


def request_of(*, user, number: str, iin: str | None = None) -> StatementRequest | None:
    return (
        StatementRequest.objects.filter(user=user, iin=iin or user.iin, number=number)
        .select_related("document")
        .prefetch_related("stages", "complaints")
        .first()
    )


def complaint_of(*, user, number: str, iin: str | None = None) -> StatementComplaint | None:
    found = StatementComplaint.objects.filter(user=user, request__iin=iin or user.iin, number=number)
    return found.select_related("request").first()


def complaints_of(*, user, iin: str | None = None) -> QuerySet[StatementComplaint]:
    return StatementComplaint.objects.filter(user=user, request__iin=iin or user.iin).select_related("request")


def citizen_requests(*, user, iin: str | None = None):
    """ "My requests" (osms/accounts/cabinet.py): the citizen's statement requests that reached the system (drafts are not requests yet)."""
    from django.utils.translation import gettext_lazy as _

    from osms.accounts.selectors import CitizenRequest

    submitted = StatementRequest.objects.filter(user=user, iin=iin or user.iin, received_at__isnull=False).only(
        "number", "received_at", "status"
    )
    for request in submitted:
        yield CitizenRequest(
            service=_("Statement of payments"),
            number=request.number,
            submitted_at=request.received_at,
            stage=request.get_status_display(),
            url=reverse("statements:detail", kwargs={"number": request.number}),
        )


# --- The public check ----------------------------------------------------------------------------------------------
def document_verify(*, number: str, iin: str) -> StatementDocument | None:
    """The document with this number issued to this IIN, or None: the check says nothing else."""
    return (
        StatementDocument.objects.filter(number=number.strip().upper(), holder_iin=iin)
        .only("number", "issued_at", "sha256", "kind")
        .first()
    )


# --- The sweep's questions -------------------------------------------------------------------------------------
def requests_to_requeue(*, now: dt.datetime) -> QuerySet[StatementRequest]:
    """Requests a worker should have finished: received with their message lost, or claimed by a worker
    that died (and not queued again since, or queued again long ago)."""
    not_requeued_since = (
        Q(queued_at__isnull=True) | Q(queued_at__lte=F("claimed_at")) | Q(queued_at__lt=now - LOST_MESSAGE)
    )
    return StatementRequest.objects.filter(
        Q(status=StatementRequest.Status.RECEIVED) & (Q(queued_at__lt=now - LOST_MESSAGE) | Q(queued_at__isnull=True))
        | Q(status=StatementRequest.Status.PROCESSING, claimed_at__lt=now - STALE_CLAIM) & not_requeued_since
    ).order_by("received_at")


def requests_past_deadline(*, now: dt.datetime) -> QuerySet[StatementRequest]:
    return StatementRequest.objects.overdue(now).filter(overdue_at__isnull=True).order_by("due_at")


# --- Monitoring (fund officers) -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Monitoring:
    day: dt.date
    received: int
    issued: int
    refused: int
    open: int
    median_seconds: float | None
    p95_seconds: float | None
    breaches_today: int
    open_past_deadline: int
    stuck: list[StatementRequest] = field(default_factory=list)
    recent: list[StatementRequest] = field(default_factory=list)


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=ALMATY)
    return start, start + dt.timedelta(days=1)


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, *, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def _time_to_issue(finished: QuerySet[StatementRequest]) -> tuple[float | None, float | None]:
    """Median and 95th percentile of received → issued or refused, in seconds."""
    duration = ExpressionWrapper(F("finished_at") - F("received_at"), output_field=DurationField())
    if connection.vendor == "postgresql":
        found = finished.aggregate(
            median=PercentileCont(duration, fraction=0.5, output_field=DurationField()),
            p95=PercentileCont(duration, fraction=0.95, output_field=DurationField()),
        )
        return tuple(value.total_seconds() if value is not None else None for value in (found["median"], found["p95"]))
    durations = [
        (finished_at - received_at).total_seconds()
        for received_at, finished_at in finished.values_list("received_at", "finished_at")
    ]
    return rules.percentile(durations, 50), rules.percentile(durations, 95)


def monitoring(*, now: dt.datetime | None = None) -> Monitoring:
    """The statement service today (Almaty time): volume, time to issue, breaches, stuck requests."""
    now = now or timezone.now()
    day = now.astimezone(ALMATY).date()
    start, end = _day_bounds(day)
    today = StatementRequest.objects.filter(received_at__gte=start, received_at__lt=end)
    counts = today.aggregate(
        received=Count("pk"),
        issued=Count("pk", filter=Q(status=StatementRequest.Status.ISSUED)),
        refused=Count("pk", filter=Q(status=StatementRequest.Status.REFUSED)),
        open=Count("pk", filter=Q(status__in=[StatementRequest.Status.RECEIVED, StatementRequest.Status.PROCESSING])),
        breaches=Count("pk", filter=breached_q("due_at", now)),
    )
    finished = today.filter(finished_at__isnull=False)
    median, p95 = _time_to_issue(finished)
    open_past = StatementRequest.objects.overdue(now).count()
    stuck = list(requests_to_requeue(now=now).select_related("user")[:50])
    recent = list(StatementRequest.objects.filter(received_at__isnull=False).order_by("-received_at")[:20])
    return Monitoring(
        day=day,
        received=counts["received"],
        issued=counts["issued"],
        refused=counts["refused"],
        open=counts["open"],
        median_seconds=median,
        p95_seconds=p95,
        breaches_today=counts["breaches"],
        open_past_deadline=open_past,
        stuck=stuck,
        recent=recent,
    )


# --- Complaints for the sweep -------------------------------------------------------------------------------------------
def complaints_past_deadline(*, now: dt.datetime) -> dict[str, QuerySet[StatementComplaint]]:
    registered = StatementComplaint.Status.REGISTERED
    return {
        "forward": StatementComplaint.objects.filter(
            overdue_q("forward_due_at", now), status=registered, forward_overdue_at__isnull=True
        ),
        "answer": StatementComplaint.objects.filter(
            overdue_q("answer_due_at", now), status=registered, answer_overdue_at__isnull=True
        ),
        "review": StatementComplaint.objects.filter(
            overdue_q("review_due_at", now),
            status=StatementComplaint.Status.FORWARDED,
            review_overdue_at__isnull=True,
        ),
    }
