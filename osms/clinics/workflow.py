"""The attachment application's workflow, declared once (osms/core/workflow.py, docs/adr/0010):
which status may follow which, and the event each move records. Who may answer (a registrar of the
application's own clinic) and who may withdraw (its citizen) the services check before they move it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from osms.core.errors import DomainError
from osms.core.workflow import Move, Workflow

from .models import ApplicationEvent, AttachmentApplication

Status = AttachmentApplication.Status
Event = ApplicationEvent.Kind


class AttachmentError(DomainError):
    """The application cannot be made or changed; the message says why, in the user's language."""


APPLICATION = Workflow(
    model=AttachmentApplication,
    statuses=Status,
    event_model=ApplicationEvent,
    event_record="application",
    moves=[
        Move(Status.UNCONFIRMED, Status.PENDING),  # signed with the SMS code
        Move(Status.UNCONFIRMED, Status.ABANDONED),  # not signed in time, or replaced at the clinic
        Move(Status.PENDING, Status.APPROVED),  # the clinic attached the person
        Move(Status.PENDING, Status.REFUSED),  # a motivated refusal
        Move(Status.PENDING, Status.WITHDRAWN),  # the citizen withdrew it
    ],
    error=AttachmentError,
    refused_message=_("This application is already “%(current)s”; it cannot be changed."),
    event_kinds={
        Status.PENDING: Event.SUBMITTED,
        Status.APPROVED: Event.APPROVED,
        Status.REFUSED: Event.REFUSED,
        Status.WITHDRAWN: Event.WITHDRAWN,
        Status.ABANDONED: Event.ABANDONED,
    },
)
