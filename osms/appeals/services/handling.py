"""The officers' handling (assign, start, contacts, answer) and the applicant's reply (accept, disagree)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from osms.accounts.models import User
from osms.clinics.models import Clinic
from osms.core.calendar import deadline_after
from osms.core.uploads import CheckedUpload

from .. import rules
from ..models import AnswerBy, Appeal, AppealAnswer, AppealContact, AppealEvent, Status
from ..rules import Action, Actor, MoveRefused
from ..workflow import APPEAL
from .common import actor_kinds, deadlines, event_add, is_officer, locked, move, notify, now_or_current
from .documents import file_create

# --- Handling by fund officers ------------------------------------------------------------------------------


def appeal_assign(*, actor: User, appeal: Appeal, officer: User, now: dt.datetime | None = None) -> Appeal:
    """Make `officer` responsible for the appeal (also to hand it over); only a fund officer may."""
    now = now_or_current(now)
    with transaction.atomic():
        appeal = locked(appeal)
        if not is_officer(officer) or officer.iin == appeal.applicant_iin:
            raise MoveRefused(code="assignee")
        if appeal.assigned_to_id == officer.pk and appeal.status == Status.ASSIGNED:
            raise MoveRefused(code="same_assignee")
        return move(appeal=appeal, action=Action.ASSIGN, actor=actor, now=now, assigned_to=officer, assigned_at=now)


def appeal_start(*, actor: User, appeal: Appeal, now: dt.datetime | None = None) -> Appeal:
    now = now_or_current(now)
    with transaction.atomic():
        return move(appeal=locked(appeal), action=Action.START, actor=actor, now=now)


def appeal_contact_record(
    *,
    actor: User,
    appeal: Appeal,
    method: str,
    contacted_at: dt.datetime,
    findings: str,
    clinic: Clinic | None = None,
    organisation_name: str = "",
    person: str = "",
    now: dt.datetime | None = None,
) -> AppealContact:
    """The officer in charge records a contact with a medical organisation and what was found.

    The first contact of an assigned (or reopened) appeal also starts the work on it."""
    now = now_or_current(now)
    findings = (findings or "").strip()
    if not findings:
        raise ValidationError({"findings": _("Write what was found.")})
    if clinic is None and not organisation_name.strip():
        raise ValidationError({"clinic": _("Choose the medical organisation or write its name.")})
    if contacted_at > now:
        raise ValidationError({"contacted_at": _("The contact cannot be in the future.")})
    if method not in AppealContact.Method.values:
        raise ValidationError({"method": _("Choose how the organisation was contacted.")})
    with transaction.atomic():
        appeal = locked(appeal)
        if appeal.status not in rules.WORKING_STATUSES:
            raise MoveRefused(code="status")
        if Actor.ASSIGNEE not in actor_kinds(appeal=appeal, user=actor):
            raise MoveRefused(code="actor")
        if appeal.status != Status.IN_PROGRESS:
            move(appeal=appeal, action=Action.START, actor=actor, now=now)
        contact = AppealContact.objects.create(
            appeal=appeal,
            clinic=clinic,
            organisation_name=organisation_name.strip(),
            method=method,
            contacted_at=contacted_at,
            person=person.strip(),
            findings=findings,
            recorded_by=actor,
            created_at=now,
        )
        event_add(appeal, AppealEvent.Kind.CONTACT, actor=actor, now=now)
    return contact


def appeal_answer(
    *,
    actor: User,
    appeal: Appeal,
    text: str,
    uploads: Sequence[CheckedUpload] = (),
    now: dt.datetime | None = None,
) -> AppealAnswer:
    """The officer in charge answers; the applicant is notified and may disagree for a set time."""
    now = now_or_current(now)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the answer.")})
    if len(text) > rules.ANSWER_MAX_CHARS:
        raise ValidationError({"text": _("The text is too long.")})
    if len(uploads) > rules.MAX_FILES:
        raise ValidationError({"files": _("You can attach at most %(count)d documents.") % {"count": rules.MAX_FILES}})
    with transaction.atomic():
        appeal = locked(appeal)
        move(
            appeal=appeal,
            action=Action.ANSWER,
            actor=actor,
            now=now,
            answered_at=now,
            reopen_until=deadline_after(now, working_days=rules.REOPEN_WINDOW_WORKING_DAYS),
        )
        answer = AppealAnswer.objects.create(appeal=appeal, text=text, author=actor, created_at=now)
        for checked in uploads:
            file_create(checked, actor=actor, now=now, folder="appeals/answers", appeal=appeal, answer=answer)
        by_email = appeal.answer_by == AnswerBy.EMAIL
        notify(
            appeal,
            _("The answer to your appeal № %(number)s"),
            _(
                "The Fund has answered your appeal № %(number)s. Read the answer in your personal cabinet. "
                "If you disagree, you can say so until %(until)s."
            ),
            # The applicant asked for the answer by email: its text goes there (and not by SMS).
            extra=text if by_email else "",
            sms=not by_email,
        )
    return answer


# --- The applicant's moves ----------------------------------------------------------------------------------


def appeal_accept(*, actor: User, appeal: Appeal, now: dt.datetime | None = None) -> Appeal:
    now = now_or_current(now)
    with transaction.atomic():
        return move(appeal=locked(appeal), action=Action.ACCEPT, actor=actor, now=now, closed_at=now)


def appeal_reopen(*, actor: User, appeal: Appeal, reason: str, now: dt.datetime | None = None) -> Appeal:
    """The applicant disagrees with the answer within the window: the appeal goes back to its officer
    with a new term counted from now (docs/adr/0501)."""
    now = now_or_current(now)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you disagree with the answer.")})
    if len(reason) > rules.REASON_MAX_CHARS:
        raise ValidationError({"reason": _("The text is too long.")})
    with transaction.atomic():
        appeal = locked(appeal)
        # Who may is checked first, so that nobody learns about the window of another's appeal.
        APPEAL.check(appeal.status, Action.REOPEN, roles=actor_kinds(appeal=appeal, user=actor))
        if not rules.reopen_open(reopen_until=appeal.reopen_until, now=now):
            raise MoveRefused(code="window")
        return move(
            appeal=appeal,
            action=Action.REOPEN,
            actor=actor,
            now=now,
            note=reason,
            reopen_until=None,
            reopened_count=appeal.reopened_count + 1,
            **deadlines(start=now, topic=appeal.topic),
        )
