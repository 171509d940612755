"""The appeal's workflow, declared once: the moves of `rules.MOVES` with who may make each, the event
of each action, and who a user is to an appeal (osms/core/workflow.py, docs/adr/0010)."""

from __future__ import annotations

from osms.accounts.models import Role, User
from osms.core.workflow import Move, Workflow

from .models import Appeal, AppealEvent, Status
from .rules import MOVES, Action, Actor, MoveRefused


def is_officer(user: User | None) -> bool:
    return user is not None and user.is_active and user.has_role(Role.FUND_OFFICER)


def actor_kinds(*, appeal: Appeal, user: User | None) -> set[str]:
    """Who `user` is to this appeal, in the terms of `rules.MOVES`."""
    if user is None:
        return {Actor.SYSTEM}
    kinds = set()
    if user.is_active and (user.iin == appeal.applicant_iin or _represents(user, appeal)):
        kinds.add(Actor.APPLICANT)
    if is_officer(user):
        kinds.add(Actor.FUND_OFFICER)
        if appeal.assigned_to_id == user.pk:
            kinds.add(Actor.ASSIGNEE)
    return kinds


def _represents(user: User, appeal: Appeal) -> bool:
    """The user acts for the applicant (a parent for a child) by a right in force today: the representative
    who filed it, or another holding a right (docs/adr/0702-services-for-a-ward.md)."""
    if not user.iin or user.has_role(Role.FUND_OFFICER):
        return False
    from django.utils import timezone

    from osms.representation.selectors import representation_for

    return representation_for(user=user, ward_iin=appeal.applicant_iin, on=timezone.localdate()) is not None


APPEAL = Workflow(
    model=Appeal,
    statuses=Status,
    event_model=AppealEvent,
    event_record="appeal",
    moves=[Move(source, target, by=who, action=action) for (source, action), (target, who) in MOVES.items()],
    error=MoveRefused,
    roles_of=lambda appeal, user: actor_kinds(appeal=appeal, user=user),
    event_kinds={
        Action.ASSIGN: AppealEvent.Kind.ASSIGNED,
        Action.START: AppealEvent.Kind.STARTED,
        Action.ANSWER: AppealEvent.Kind.ANSWERED,
        Action.ACCEPT: AppealEvent.Kind.ACCEPTED,
        Action.REOPEN: AppealEvent.Kind.REOPENED,
        Action.CLOSE: AppealEvent.Kind.CLOSED,
    },
)


def actions_allowed(*, appeal: Appeal, user: User | None) -> set[str]:
    """The actions this user may take on the appeal now (the buttons to show)."""
    return APPEAL.actions_allowed(appeal.status, actor_kinds(appeal=appeal, user=user))
