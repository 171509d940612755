"""What the services of the appeals register share: who the actor is, the one function that moves an
appeal (`move`), the stored terms, and notifying the applicant."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from osms.accounts.models import Role, User
from osms.core.calendar import ALMATY, deadline_after
from osms.core.notifications import notification_create

from .. import rules
from ..models import Appeal, AppealEvent
from ..rules import Action, Actor

EVENT_OF_ACTION = {
    Action.ASSIGN: AppealEvent.Kind.ASSIGNED,
    Action.START: AppealEvent.Kind.STARTED,
    Action.ANSWER: AppealEvent.Kind.ANSWERED,
    Action.ACCEPT: AppealEvent.Kind.ACCEPTED,
    Action.REOPEN: AppealEvent.Kind.REOPENED,
    Action.CLOSE: AppealEvent.Kind.CLOSED,
}


def now_or_current(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def is_officer(user: User | None) -> bool:
    return user is not None and user.is_active and user.has_role(Role.FUND_OFFICER)


def actor_kinds(*, appeal: Appeal, user: User | None) -> set[str]:
    """Who `user` is to this appeal, in the terms of `rules.MOVES`."""
    if user is None:
        return {Actor.SYSTEM}
    kinds = set()
    if user.is_active and user.iin == appeal.applicant_iin:
        kinds.add(Actor.APPLICANT)
    if is_officer(user):
        kinds.add(Actor.FUND_OFFICER)
        if appeal.assigned_to_id == user.pk:
            kinds.add(Actor.ASSIGNEE)
    return kinds


def locked(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().get(pk=appeal.pk)


def event_add(appeal: Appeal, kind: str, *, actor: User | None, now: dt.datetime, public: bool = True, note: str = ""):
    return AppealEvent.objects.create(
        appeal=appeal,
        kind=kind,
        status_from=appeal.status,
        status_to=appeal.status,
        actor=actor,
        note=note,
        public=public,
        created_at=now,
    )


def move(*, appeal: Appeal, action: str, actor: User | None, now: dt.datetime, note: str = "", **fields) -> Appeal:
    """The one place an appeal's status changes: checks the move and who makes it, records the event."""
    target = rules.move_target(status=appeal.status, action=action, actors=actor_kinds(appeal=appeal, user=actor))
    source = appeal.status
    appeal.status = target
    for name, value in fields.items():
        setattr(appeal, name, value)
    appeal.save(update_fields=["status", "updated_at", *fields])
    AppealEvent.objects.create(
        appeal=appeal,
        kind=EVENT_OF_ACTION[action],
        status_from=source,
        status_to=target,
        actor=actor,
        note=note,
        public=True,
        created_at=now,
    )
    return appeal


def deadlines(*, start: dt.datetime, topic: str) -> dict:
    term = rules.term_working_days(topic)
    return {
        "term_working_days": term,
        "due_at": deadline_after(start, working_days=term),
        "warn_at": deadline_after(start, working_days=rules.warn_after_working_days(term)),
        "near_flagged_at": None,
        "overdue_flagged_at": None,
    }


def applicant_account(iin: str) -> User | None:
    return User.objects.filter(iin=iin, is_active=True).first()


def local_date(moment: dt.datetime) -> str:
    return date_format(moment.astimezone(ALMATY), "SHORT_DATE_FORMAT")


def notify(appeal: Appeal, subject, body, *, extra: str = "", sms: bool = True) -> None:
    """Tell the applicant's account, if there is one, in its language; sent on commit."""
    user = appeal.applicant if appeal.applicant_id and appeal.applicant.is_active else None
    user = user or applicant_account(appeal.applicant_iin)
    if user is None:
        return  # a caller without an account: the officer answers by the channel the appeal came from
    with translation.override(user.language):
        params = {
            "number": appeal.number,
            "due": local_date(appeal.due_at),
            "until": local_date(appeal.reopen_until) if appeal.reopen_until else "",
        }
        subject_text = str(subject) % params
        body_text = str(body) % params
        if extra:
            body_text = f"{body_text}\n\n{extra}"
        url = reverse("appeals:detail", kwargs={"number": appeal.number})
    notification_create(
        user=user, subject=subject_text, body=body_text, url=url, sms=sms, email_to=appeal.contact_email or ""
    )
