"""What the statement services share: the one move of a request (the kernel's conditional UPDATE),
queueing its processing on commit, and the local date."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from osms.core.calendar import ALMATY
from osms.core.outbox import enqueue_on_commit

from ..models import StatementRequest
from ..workflow import REQUEST

logger = logging.getLogger("osms.statements")

Status = StatementRequest.Status


def _local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(ALMATY).date()


def _queue(request_id: int) -> None:
    """Queue processing when the caller's transaction commits (never for a row others cannot see yet)."""
    from ..tasks import statement_process

    enqueue_on_commit(statement_process, request_id)


def _move(
    request_id: int,
    target: str,
    *,
    when: Q | None = None,
    note: str = "",
    at=None,
    actor=None,
    acting_for: str = "",
    **fields,
) -> bool:
    """Move a request to `target` if the table allows it from its current stage (and `when` holds);
    record the stage. The kernel's conditional UPDATE: of two racing callers exactly one moves it."""
    return REQUEST.transition_where(
        request_id, target, when=when, note=note[:500], at=at, actor=actor, acting_for=acting_for, fields=fields
    )


def _own(actor, request: StatementRequest) -> None:
    if request.user_id != actor.pk:
        raise PermissionDenied
