"""Every read of the appeals register that the citizen's pages, the public check and the back office share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osms.accounts.models import User
from osms.accounts.selectors import CitizenRequest
from osms.clinics.models import Region
from osms.core.querysets import due_q, in_time_q, overdue_q

from . import rules
from .models import Appeal, AppealAnswer, AppealEvent, AppealFile, Status, Topic


def appeals_of_citizen(*, user: User, iin: str | None = None) -> QuerySet[Appeal]:
    """The citizen's appeals (or, `iin`, those of the ward the account acts for), whichever channel
    brought them (known by IIN), newest first. For a ward, only those this account filed: an appeal
    another representative filed carries that person's own contact details."""
    appeals = Appeal.objects.filter(applicant_iin=iin or user.iin)
    if iin and iin != user.iin:
        appeals = appeals.filter(applicant=user)
    return appeals.select_related("clinic").order_by("-registered_at", "-id")


def appeal_of_citizen(*, user: User, number: str, iin: str | None = None) -> Appeal | None:
    """One of the citizen's appeals with its answers and documents, or None (also for another person's)."""
    return (
        appeals_of_citizen(user=user, iin=iin)
        .filter(number=number)
        .prefetch_related(
            Prefetch("answers", queryset=AppealAnswer.objects.prefetch_related("files")),
            Prefetch("files", queryset=AppealFile.objects.filter(answer=None)),
        )
        .first()
    )


def appeal_timeline(*, appeal: Appeal, public_only: bool = True) -> list[AppealEvent]:
    events = appeal.events.select_related("actor")
    if public_only:
        events = events.filter(public=True)
    return list(events.order_by("at", "id"))


def citizen_file(*, user: User, file_id: int, iin: str | None = None) -> AppealFile | None:
    """A document of one of the citizen's appeals (their own or the Fund's answer), or None."""
    return (
        AppealFile.objects.filter(pk=file_id, appeal__in=appeals_of_citizen(user=user, iin=iin))
        .select_related("appeal")
        .first()
    )


def staff_file(*, file_id: int) -> AppealFile | None:
    return AppealFile.objects.filter(pk=file_id, appeal__isnull=False).select_related("appeal").first()


@dataclass(frozen=True)
class PublicAppealStatus:
    """All that the public check shows: the number, the status and the dates. Nothing about the person,
    the topic, the organisation or the answer."""

    number: str
    status: str
    status_label: str
    registered_at: dt.datetime
    due_at: dt.datetime
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None


def appeal_public_status(*, number: str, iin: str) -> PublicAppealStatus | None:
    """The status of the appeal with this number *and* this applicant's IIN; None for either mismatch
    (one query, one answer: a wrong IIN cannot be told from a wrong number)."""
    normalised = rules.normalise_number(number)
    if normalised is None:
        return None
    row = (
        Appeal.objects.filter(number=normalised, applicant_iin=iin)
        .values("number", "status", "registered_at", "due_at", "answered_at", "closed_at")
        .first()
    )
    if row is None:
        return None
    return PublicAppealStatus(status_label=str(Status(row["status"]).label), **row)


def deadline_state(*, appeal: Appeal, now: dt.datetime | None = None) -> str:
    return rules.deadline_state(
        status=appeal.status, due_at=appeal.due_at, warn_at=appeal.warn_at, now=now or timezone.now()
    )


def citizen_requests(*, user: User, iin: str | None = None) -> list[CitizenRequest]:
    """The citizen's appeals as lines of "My requests" (osms/accounts/cabinet.py)."""
    return [
        CitizenRequest(
            service=_("Appeal"),
            number=appeal.number,
            submitted_at=appeal.registered_at,
            stage=appeal.get_status_display(),
            url=reverse("appeals:detail", kwargs={"number": appeal.number}),
        )
        for appeal in appeals_of_citizen(user=user, iin=iin)
        .select_related(None)
        .only("number", "registered_at", "status")
    ]


@dataclass(frozen=True)
class QueueLine:
    key: str
    label: str
    open: int
    near: int
    overdue: int


def officer_queues(*, now: dt.datetime | None = None) -> dict[str, list[QueueLine]]:
    """Open appeals counted by region and by topic, with how many are near and past their deadline."""
    now = now or timezone.now()
    open_appeals = Appeal.objects.filter(status__in=rules.OPEN_STATUSES)
    result = {}
    for dimension, choices in (("region", Region.choices), ("topic", Topic.choices)):
        labels = dict(choices)
        rows = (
            open_appeals.order_by()
            .values(dimension)
            .annotate(
                open=Count("id"),
                near=Count("id", filter=due_q("warn_at", now) & in_time_q("due_at", now)),
                overdue=Count("id", filter=overdue_q("due_at", now)),
            )
        )
        lines = [
            QueueLine(
                key=row[dimension],
                label=str(labels.get(row[dimension], row[dimension])),
                open=row["open"],
                near=row["near"],
                overdue=row["overdue"],
            )
            for row in rows
        ]
        result[dimension] = sorted(lines, key=lambda line: (-line.overdue, -line.near, -line.open, line.label))
    return result
