"""The sweep: queue again what a lost message or a dead worker left behind, flag what is past its deadline."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..models import StatementRequest, StatementStage
from ..workflow import REQUEST
from .common import Status, _queue, logger
from .complaints import complaints_sweep


# --- The sweep ------------------------------------------------------------------------------------------------------
def statements_sweep(*, now: dt.datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Queue again what is stuck, flag what is past its deadline (requests and complaints). Safe to run
    twice at once: rows are taken with SKIP LOCKED and each change is conditional."""
    now = now or timezone.now()
    requeued = 0
    with transaction.atomic():
        candidates = selectors.requests_to_requeue(now=now).select_for_update(skip_locked=True)[:limit]
        for request in candidates:
            reason = (
                _("the worker that claimed it stopped")
                if request.status == Status.PROCESSING
                else _("its message was lost")
            )
            StatementRequest.objects.filter(pk=request.pk).update(queued_at=now)
            REQUEST.record_event(request, kind=StatementStage.Stage.REQUEUED, at=now, note=reason)
            _queue(request.pk)
            requeued += 1
    overdue = 0
    with transaction.atomic():
        for request in selectors.requests_past_deadline(now=now).select_for_update(skip_locked=True)[:limit]:
            StatementRequest.objects.filter(pk=request.pk).update(overdue_at=now)
            REQUEST.record_event(request, kind=StatementStage.Stage.OVERDUE, at=now)
            logger.error("statement request %s is past its deadline %s", request.number, request.due_at.isoformat())
            overdue += 1
    return {"requeued": requeued, "overdue": overdue, **complaints_sweep(now=now)}
