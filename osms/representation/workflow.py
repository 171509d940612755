"""The request to act for someone, declared on the workflow kernel (osms/core/workflow.py,
docs/adr/0010-workflow-kernel.md): sent → approved | refused, each decision by a fund officer who may
review such requests. `rules.MOVES` says the same table in plain data (its tests read it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from osms.core.errors import DomainError
from osms.core.workflow import Move, Workflow

from . import rules
from .models import RepresentationRequest, RepresentationRequestEvent
from .selectors import REVIEW_PERMISSION

REVIEWER = "reviewer"


class RepresentationError(DomainError):
    """A request or decision that cannot be made; the message is for the person."""

    messages = {"status": _("This request has already been decided.")}


def roles_of(request: RepresentationRequest, user) -> set[str]:
    return {REVIEWER} if user is not None and user.has_perm(REVIEW_PERMISSION) else set()


Status = RepresentationRequest.Status

REQUEST = Workflow(
    model=RepresentationRequest,
    statuses=Status,
    event_model=RepresentationRequestEvent,
    event_record="request",
    moves=[
        Move(source, target, by=frozenset({REVIEWER})) for source, targets in rules.MOVES.items() for target in targets
    ],
    error=RepresentationError,
    roles_of=roles_of,
)
