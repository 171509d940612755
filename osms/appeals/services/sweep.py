"""The periodic sweep: flags appeals near and past their deadline, closes answers nobody disputed, and
removes documents never attached. SKIP LOCKED, marked in the same transaction: safe to run twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce

from osms.core.querysets import in_time_q

from .. import rules
from ..models import Appeal, AppealEvent, AppealFile, Status
from ..rules import Action
from .common import move, now_or_current
from .documents import DRAFT_FILE_LIFETIME, files_delete

# --- The sweep ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    near: int = 0
    overdue: int = 0
    closed: int = 0
    drafts_removed: int = 0


def _flag_batch(*, now: dt.datetime, batch: int, overdue: bool) -> int:
    """Flag one batch with one UPDATE and one INSERT of events: a backlog of thousands (the first run
    after an outage) takes seconds, and each batch holds its row locks only that long."""
    with transaction.atomic():
        due = Appeal.objects.select_for_update(skip_locked=True).filter(status__in=rules.OPEN_STATUSES)
        if overdue:
            due = due.overdue(now).filter(overdue_flagged_at__isnull=True)
        else:
            due = due.due(now, field="warn_at").filter(in_time_q("due_at", now), near_flagged_at__isnull=True)
        rows = list(due.order_by("due_at", "id").values_list("id", "status")[:batch])
        ids = [pk for pk, _status in rows]
        flagged = Appeal.objects.filter(pk__in=ids)
        if overdue:
            flagged.update(
                overdue_flagged_at=now, near_flagged_at=Coalesce("near_flagged_at", Value(now)), updated_at=now
            )
        else:
            flagged.update(near_flagged_at=now, updated_at=now)
        kind = AppealEvent.Kind.DEADLINE_PASSED if overdue else AppealEvent.Kind.DEADLINE_NEAR
        AppealEvent.objects.bulk_create(
            AppealEvent(appeal_id=pk, kind=kind, from_status=status, to_status=status, public=overdue, at=now)
            for pk, status in rows
        )
        return len(rows)


def _close_batch(*, now: dt.datetime, batch: int) -> int:
    with transaction.atomic():
        appeals = list(
            Appeal.objects.select_for_update(skip_locked=True)
            .filter(status=Status.ANSWERED, reopen_until__lte=now)
            .order_by("reopen_until", "id")[:batch]
        )
        for appeal in appeals:
            move(appeal=appeal, action=Action.CLOSE, actor=None, now=now, closed_at=now)
        return len(appeals)


def _drafts_batch(*, now: dt.datetime, batch: int) -> int:
    with transaction.atomic():
        old = AppealFile.objects.select_for_update(skip_locked=True).filter(
            appeal=None, answer=None, created_at__lt=now - DRAFT_FILE_LIFETIME
        )
        return files_delete(list(old.order_by("id")[:batch]))


def appeals_sweep(*, now: dt.datetime | None = None, batch: int = 500) -> SweepResult:
    """Flag appeals near and past their deadline, close answered ones whose window has passed, and remove
    documents never attached. Picks rows with SKIP LOCKED and marks them, so it is safe to run twice."""
    now = now_or_current(now)
    totals = {"near": 0, "overdue": 0, "closed": 0, "drafts_removed": 0}
    steps = {
        "overdue": lambda: _flag_batch(now=now, batch=batch, overdue=True),
        "near": lambda: _flag_batch(now=now, batch=batch, overdue=False),
        "closed": lambda: _close_batch(now=now, batch=batch),
        "drafts_removed": lambda: _drafts_batch(now=now, batch=batch),
    }
    for name, step in steps.items():
        while True:
            done = step()
            totals[name] += done
            if done < batch:
                break
    return SweepResult(**totals)
