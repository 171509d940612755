"""The periodic sweep: overdue reviews, the notice before the month ends, the closing after it."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osms.accounts.models import Role, User
from osms.core.notifications import notification_create
from osms.core.querysets import due_q

from ..models import TemporaryStatusRequest
from .drafts import draft_discard
from .moves import (
    Event,
    Status,
    event_record,
    logger,
    move,
    notify,
)

# --- the sweep ------------------------------------------------------------------------------------------

SWEEP_BATCH = 200


@dataclass
class SweepReport:
    overdue: int = 0
    noticed: int = 0
    expired: int = 0
    drafts_deleted: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _batches(queryset, act, *, now: dt.datetime) -> int:
    """Act on each row the query finds, in small transactions; rows another sweep holds are skipped
    (select_for_update(skip_locked=True)), and a row acted on no longer matches, so a second run
    finds nothing to do."""
    done = 0
    while True:
        with transaction.atomic():
            rows = list(
                queryset.select_for_update(skip_locked=True, of=("self",)).select_related("user", "category")[
                    :SWEEP_BATCH
                ]
            )
            for row in rows:
                act(row, now)
        done += len(rows)
        if len(rows) < SWEEP_BATCH:
            return done


def _flag_overdue(request: TemporaryStatusRequest, now: dt.datetime) -> None:
    request.overdue_at = now
    request.save(update_fields=["overdue_at"])
    event_record(request, Event.REVIEW_OVERDUE, at=now)
    notify(
        request,
        subject=gettext_lazy("Your request is taking longer than it should"),
        body=gettext_lazy(
            "The Fund has not answered request %(number)s within 3 working days. The officers have been "
            "reminded; you will get the answer by SMS and in your cabinet."
        ),
    )


def _send_expiry_notice(request: TemporaryStatusRequest, now: dt.datetime) -> None:
    request.expiry_notice_sent_at = now
    request.save(update_fields=["expiry_notice_sent_at"])
    event_record(request, Event.EXPIRY_NOTICE, at=now)
    notify(
        request,
        subject=gettext_lazy("Your temporary status ends soon"),
        body=gettext_lazy(
            "Your temporary status (request %(number)s) ends on %(end)s. If your benefit is still not in the "
            "Fund's database then, you may send a new request."
        ),
    )


def _close(request: TemporaryStatusRequest, now: dt.datetime) -> None:
    request.ended_at = now
    move(request, Status.EXPIRED, actor=None, event=Event.EXPIRED, at=now)
    notify(
        request,
        subject=gettext_lazy("Your temporary status has ended"),
        body=gettext_lazy(
            "Your temporary status (request %(number)s) ended on %(end)s. Check your status in the cabinet; "
            "if you are not insured, you may send a new request."
        ),
    )


def _delete_draft(request: TemporaryStatusRequest, now: dt.datetime) -> None:
    draft_discard(request, actor=None, at=now, note="not sent in time")
    notify(
        request,
        subject=gettext_lazy("Your unsent request for temporary status was deleted"),
        body=gettext_lazy(
            "You started a request for temporary status but did not send it. After 30 days it was deleted "
            "together with the documents you uploaded. You may start a new request."
        ),
        sms=False,
    )


def _tell_officers(count: int) -> None:
    """One message to each fund officer per sweep that found requests newly past their deadline."""
    officers = User.objects.filter(groups__name=Role.FUND_OFFICER, is_active=True).distinct()
    for officer in officers:
        with translation.override(officer.language):
            url = reverse("admin:temporary_status_temporarystatusrequest_changelist") + "?stage=overdue"
            notification_create(
                user=officer,
                subject=_("Temporary-status requests past their deadline"),
                body=_("%(count)d more request(s) for temporary status were not answered within 3 working days.")
                % {"count": count},
                url=url,
                sms=False,
            )


def temporary_status_sweep(*, now: dt.datetime | None = None) -> SweepReport:
    """The periodic sweep (every 15 minutes; `now` lets tests and the worker test move time):

    1. reviews past their 3-working-day deadline are flagged, the citizen told, the officers reminded;
    2. a few days before the month of status ends, the citizen is told;
    3. after the last day, the request is closed and the citizen told (the membership's end date has
       already ended the status: the status answer needs no sweep);
    4. a draft never sent is deleted with its documents after 30 days."""
    now = now or timezone.now()
    report = SweepReport()
    report.overdue = _batches(
        TemporaryStatusRequest.objects.overdue(now).filter(overdue_at__isnull=True).order_by("review_due_at"),
        _flag_overdue,
        now=now,
    )
    if report.overdue:
        _tell_officers(report.overdue)
        logger.warning("temporary status: %d request(s) newly past the review deadline", report.overdue)
    report.noticed = _batches(
        TemporaryStatusRequest.objects.filter(
            Q(ends_at__gt=now),
            due_q("expiry_notice_due_at", now),
            status=Status.APPROVED,
            expiry_notice_sent_at__isnull=True,
        ).order_by("expiry_notice_due_at"),
        _send_expiry_notice,
        now=now,
    )
    report.expired = _batches(
        TemporaryStatusRequest.objects.filter(status=Status.APPROVED).due(now, field="ends_at").order_by("ends_at"),
        _close,
        now=now,
    )
    report.drafts_deleted = _batches(
        TemporaryStatusRequest.objects.filter(status=Status.DRAFT)
        .due(now, field="draft_expires_at")
        .order_by("draft_expires_at"),
        _delete_draft,
        now=now,
    )
    return report
