"""The statement service's two workflows, declared once (osms/core/workflow.py, docs/adr/0010).

A request is moved by `transition_where`, the kernel's conditional UPDATE: workers, redeliveries and
the sweep race for it, and of two racing callers exactly one moves it (so a request is never issued
twice). A complaint is moved by fund officers, one at a time, with `transition`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from osms.core.errors import DomainError
from osms.core.workflow import SYSTEM, Move, Workflow

from .models import StatementComplaint, StatementComplaintEvent, StatementRequest, StatementStage

Status = StatementRequest.Status
ComplaintStatus = StatementComplaint.Status


class StatementError(DomainError):
    """The action is not possible now; the message says why, in the user's language."""


FUND_OFFICER = "fund_officer"  # the role that may refuse an open request on a ground of Приложение 1 item 9
REFUSE = "refuse"  # the officer's refusal (the worker's automatic one is the move to "refused")


def request_roles(request, user) -> set[str]:
    """Who `user` is to a request: the workers and sweeps are the system; a fund officer may refuse."""
    if user is None:
        return {SYSTEM}
    return {FUND_OFFICER} if user.is_active and user.is_staff and user.has_role(FUND_OFFICER) else set()


REQUEST = Workflow(
    model=StatementRequest,
    statuses=Status,
    event_model=StatementStage,
    event_record="request",
    moves=[
        Move(Status.DRAFT, Status.RECEIVED),  # signed: it reaches the system
        Move(Status.RECEIVED, Status.PROCESSING),  # a worker claims it
        Move(Status.PROCESSING, Status.PROCESSING),  # a claim left by a dead worker taken over
        Move(Status.PROCESSING, Status.RECEIVED),  # a failed attempt released
        Move(Status.PROCESSING, Status.ISSUED),
        Move(Status.PROCESSING, Status.REFUSED),
        # A fund officer refuses an open request on a ground the system cannot know (docs/adr/0205).
        Move(Status.RECEIVED, Status.REFUSED, by=frozenset({FUND_OFFICER}), action=REFUSE),
        Move(Status.PROCESSING, Status.REFUSED, by=frozenset({FUND_OFFICER}), action=REFUSE),
    ],
    error=StatementError,
    roles_of=request_roles,
    event_kinds={REFUSE: StatementStage.Stage.REFUSED},
    refused_message=_("This request has already been sent."),
)

COMPLAINT = Workflow(
    model=StatementComplaint,
    statuses=ComplaintStatus,
    event_model=StatementComplaintEvent,
    event_record="complaint",
    moves=[
        Move(ComplaintStatus.REGISTERED, ComplaintStatus.SATISFIED),  # the Fund satisfies it in full
        Move(ComplaintStatus.REGISTERED, ComplaintStatus.FORWARDED),  # sent with the case to the reviewing body
        Move(ComplaintStatus.FORWARDED, ComplaintStatus.ANSWERED),  # the body's decision recorded
    ],
    error=StatementError,
    refused_message=_("The complaint is “%(current)s”: this step is not possible."),
)
