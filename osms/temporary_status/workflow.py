"""The temporary-status request's workflow, declared once (osms/core/workflow.py, docs/adr/0010):
which stage may follow which; each service checks who the actor is before it moves a request."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from osms.core.errors import DomainError
from osms.core.workflow import Move, Workflow

from .models import TemporaryStatusEvent, TemporaryStatusRequest

Status = TemporaryStatusRequest.Status


class TemporaryStatusError(DomainError):
    """The step cannot be taken; the message says why, in the user's language."""


REQUEST = Workflow(
    model=TemporaryStatusRequest,
    statuses=Status,
    event_model=TemporaryStatusEvent,
    event_record="request",
    moves=[
        Move(Status.DRAFT, Status.SUBMITTED),  # the citizen confirms with the SMS code
        Move(Status.DRAFT, Status.CANCELLED),  # the citizen gives up, or the sweep after DRAFT_KEPT_DAYS
        Move(Status.SUBMITTED, Status.APPROVED),  # a fund officer grants the month
        Move(Status.SUBMITTED, Status.REFUSED),  # a fund officer refuses with a reason
        Move(Status.APPROVED, Status.EXPIRED),  # the sweep, the morning after the last day
    ],
    error=TemporaryStatusError,
    refused_message=_("A request at the stage “%(current)s” cannot become “%(target)s”."),
)
