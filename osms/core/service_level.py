"""The service level of the Fund's services at a glance (docs/adr/0015): per service and per day or week,
the share answered within the term, the queue, and the oldest waiting item.

Each service names the stored columns it already keeps (when its clock starts, its deadline computed on
the business calendar, when it was answered); the figures come from those columns and the kernel's
deadline rules (osms/core/querysets.py), one aggregate query per service and kind of period, however many
periods are shown. A period's share in time counts the items that reached the service in it: answered
before their deadline against those answered at or after it or still open past it (`breached_q`). Its
queue and oldest waiting item are taken at the period's end (now, for the current one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, Min, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .calendar import ALMATY
from .querysets import breached_q, overdue_q

DAYS = "days"
WEEKS = "weeks"
PERIODS = {DAYS: 14, WEEKS: 8}  # how many of each are shown


@dataclass(frozen=True)
class Service:
    key: str
    label: Any
    model: str  # app_label.ModelName
    start: str  # when the service's clock starts
    deadline: str  # the stored deadline
    answered: str  # when the answer was given
    term: Any  # the term, as people say it

    def queryset(self) -> QuerySet:
        return apps.get_model(self.model).objects.all()


SERVICES = (
    Service(
        "statements",
        _("Statement of payments"),
        "statements.StatementRequest",
        "received_at",
        "due_at",
        "finished_at",
        _("15 working minutes"),
    ),
    Service(
        "attachment",
        _("Attachment to a clinic"),
        "clinics.AttachmentApplication",
        "submitted_at",
        "due_at",
        "answered_at",
        _("1 working day"),
    ),
    Service(
        "temporary_status",
        _("Temporary status"),
        "temporary_status.TemporaryStatusRequest",
        "submitted_at",
        "review_due_at",
        "decided_at",
        _("3 working days"),
    ),
    Service(
        "appeals", _("Appeals"), "appeals.Appeal", "registered_at", "due_at", "answered_at", _("by the appeal's term")
    ),
)
SERVICE = {service.key: service for service in SERVICES}


@dataclass(frozen=True)
class Point:
    """One period of one service."""

    start: dt.datetime
    end: dt.datetime  # the period's end, or now for the current one
    received: int  # reached the service in the period
    in_time: int  # of those, answered before the deadline
    late: int  # of those, answered at or after the deadline, or open past it
    queue: int  # waiting at the period's end
    oldest_since: dt.datetime | None  # when the oldest item waiting at the period's end arrived

    @property
    def share_in_time(self) -> float | None:
        judged = self.in_time + self.late
        return None if judged == 0 else self.in_time / judged

    @property
    def oldest_waiting(self) -> dt.timedelta | None:
        return None if self.oldest_since is None else self.end - self.oldest_since


def periods(*, kind: str, now: dt.datetime, count: int | None = None) -> list[tuple[dt.datetime, dt.datetime]]:
    """The last `count` days or weeks (Monday to Sunday) in Almaty time, oldest first, the current one
    ending now."""
    count = count or PERIODS[kind]
    today = now.astimezone(ALMATY).date()
    length = dt.timedelta(days=1 if kind == DAYS else 7)
    first = today if kind == DAYS else today - dt.timedelta(days=today.weekday())
    starts = [first - length * back for back in range(count - 1, -1, -1)]
    bounds = []
    for day in starts:
        start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=ALMATY)
        bounds.append((start, min(start + length, now)))
    return bounds


@dataclass(frozen=True)
class Figures:
    """A service's periods, oldest first, and what waits now past its deadline."""

    points: list[Point]
    past_deadline: int  # waiting now with the deadline reached: the kernel's overdue list

    @property
    def current(self) -> Point:
        return self.points[-1]


def _aggregates(service: Service, bounds, now: dt.datetime) -> dict[str, Any]:
    start, deadline, answered = service.start, service.deadline, service.answered
    late = breached_q(deadline, now, finished=answered)
    # DeadlineQuerySet.overdue's question, asked inside the same aggregate.
    open_statuses = list(apps.get_model(service.model).OPEN_STATUSES)
    named: dict[str, Any] = {
        "past_deadline": Count("pk", filter=overdue_q(deadline, now) & Q(status__in=open_statuses)),
    }
    for i, (begin, end) in enumerate(bounds):
        arrived = Q(**{f"{start}__gte": begin, f"{start}__lt": end})
        waiting = Q(**{f"{start}__lt": end}) & (Q(**{f"{answered}__isnull": True}) | Q(**{f"{answered}__gte": end}))
        named[f"received_{i}"] = Count("pk", filter=arrived)
        named[f"in_time_{i}"] = Count("pk", filter=arrived & ~late & Q(**{f"{answered}__isnull": False}))
        named[f"late_{i}"] = Count("pk", filter=arrived & late)
        named[f"queue_{i}"] = Count("pk", filter=waiting)
        named[f"oldest_{i}"] = Min(start, filter=waiting)
    return named


def _figures(row: dict[str, Any], bounds) -> Figures:
    points = [
        Point(
            start=begin,
            end=end,
            received=row[f"received_{i}"] or 0,
            in_time=row[f"in_time_{i}"] or 0,
            late=row[f"late_{i}"] or 0,
            queue=row[f"queue_{i}"] or 0,
            oldest_since=row[f"oldest_{i}"],
        )
        for i, (begin, end) in enumerate(bounds)
    ]
    return Figures(points=points, past_deadline=row["past_deadline"] or 0)


def _relevant(service: Service, queryset: QuerySet, first: dt.datetime) -> QuerySet:
    """Items that can count in the periods shown: arrived since the first, or still waiting at its start."""
    start, answered = service.start, service.answered
    return queryset.filter(
        Q(**{f"{start}__isnull": False})
        & (Q(**{f"{start}__gte": first}) | Q(**{f"{answered}__isnull": True}) | Q(**{f"{answered}__gte": first}))
    )


def service_figures(service: Service, *, kind: str, now: dt.datetime, queryset: QuerySet | None = None) -> Figures:
    """The service's days or weeks: one aggregate query."""
    bounds = periods(kind=kind, now=now)
    queryset = _relevant(service, service.queryset() if queryset is None else queryset, bounds[0][0])
    return _figures(queryset.aggregate(**_aggregates(service, bounds, now)), bounds)


def service_figures_by(
    service: Service, *, group: str, kind: str, now: dt.datetime, queryset: QuerySet | None = None
) -> dict[Any, Figures]:
    """The same per value of `group` (a clinic, a region): one grouped aggregate query."""
    bounds = periods(kind=kind, now=now)
    queryset = _relevant(service, service.queryset() if queryset is None else queryset, bounds[0][0])
    rows = queryset.order_by().values(group).annotate(**_aggregates(service, bounds, now))
    return {row[group]: _figures(row, bounds) for row in rows}
