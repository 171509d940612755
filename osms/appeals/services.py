"""Every write of the appeals register: registration with a gap-free number, the moves of `rules.MOVES`
(one function, `_move`, changes the status), contacts, answers, documents, and the periodic sweep.

Each service takes the acting user (None for the sweep), runs in one transaction, locks the appeal,
writes a timeline event, and queues notifications on commit (through `notification_create`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from osms.accounts.models import Role, User
from osms.clinics.models import Clinic, Region
from osms.core.calendar import ALMATY, deadline_after
from osms.core.notifications import notification_create
from osms.core.uploads import CheckedUpload, private_storage, upload_store

from . import rules
from .models import (
    AnswerBy,
    Appeal,
    AppealAnswer,
    AppealContact,
    AppealCounter,
    AppealEvent,
    AppealFile,
    Channel,
    LinkKind,
    Status,
    Topic,
)
from .rules import Action, Actor, MoveRefused

__all__ = [
    "MoveRefused",
    "SweepResult",
    "appeal_accept",
    "appeal_answer",
    "appeal_assign",
    "appeal_contact_record",
    "appeal_draft_file_add",
    "appeal_draft_file_remove",
    "appeal_draft_files_discard",
    "appeal_register",
    "appeal_reopen",
    "appeal_start",
    "appeals_sweep",
]

# How long an uploaded document may wait for its appeal before the sweep removes it.
DRAFT_FILE_LIFETIME = dt.timedelta(hours=24)
STAFF_CHANNELS = frozenset(Channel.values) - {Channel.PORTAL}

EVENT_OF_ACTION = {
    Action.ASSIGN: AppealEvent.Kind.ASSIGNED,
    Action.START: AppealEvent.Kind.STARTED,
    Action.ANSWER: AppealEvent.Kind.ANSWERED,
    Action.ACCEPT: AppealEvent.Kind.ACCEPTED,
    Action.REOPEN: AppealEvent.Kind.REOPENED,
    Action.CLOSE: AppealEvent.Kind.CLOSED,
}


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _is_officer(user: User | None) -> bool:
    return user is not None and user.is_active and user.has_role(Role.FUND_OFFICER)


def actor_kinds(*, appeal: Appeal, user: User | None) -> set[str]:
    """Who `user` is to this appeal, in the terms of `rules.MOVES`."""
    if user is None:
        return {Actor.SYSTEM}
    kinds = set()
    if user.is_active and user.iin == appeal.applicant_iin:
        kinds.add(Actor.APPLICANT)
    if _is_officer(user):
        kinds.add(Actor.FUND_OFFICER)
        if appeal.assigned_to_id == user.pk:
            kinds.add(Actor.ASSIGNEE)
    return kinds


def _locked(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().get(pk=appeal.pk)


def _event(appeal: Appeal, kind: str, *, actor: User | None, now: dt.datetime, public: bool = True, note: str = ""):
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


def _move(*, appeal: Appeal, action: str, actor: User | None, now: dt.datetime, note: str = "", **fields) -> Appeal:
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


def _deadlines(*, start: dt.datetime, topic: str) -> dict:
    term = rules.term_working_days(topic)
    return {
        "term_working_days": term,
        "due_at": deadline_after(start, working_days=term),
        "warn_at": deadline_after(start, working_days=rules.warn_after_working_days(term)),
        "near_flagged_at": None,
        "overdue_flagged_at": None,
    }


def _applicant_account(iin: str) -> User | None:
    return User.objects.filter(iin=iin, is_active=True).first()


def _local_date(moment: dt.datetime) -> str:
    return date_format(moment.astimezone(ALMATY), "SHORT_DATE_FORMAT")


def _notify(appeal: Appeal, subject, body, *, extra: str = "", sms: bool = True) -> None:
    """Tell the applicant's account, if there is one, in its language; sent on commit."""
    user = appeal.applicant if appeal.applicant_id and appeal.applicant.is_active else None
    user = user or _applicant_account(appeal.applicant_iin)
    if user is None:
        return  # a caller without an account: the officer answers by the channel the appeal came from
    with translation.override(user.language):
        params = {
            "number": appeal.number,
            "due": _local_date(appeal.due_at),
            "until": _local_date(appeal.reopen_until) if appeal.reopen_until else "",
        }
        subject_text = str(subject) % params
        body_text = str(body) % params
        if extra:
            body_text = f"{body_text}\n\n{extra}"
        url = reverse("appeals:detail", kwargs={"number": appeal.number})
    notification_create(user=user, subject=subject_text, body=body_text, url=url, sms=sms)


# --- Numbers ----------------------------------------------------------------------------------------------


def _take_number(year: int) -> tuple[int, str]:
    """The next number of the year. The counter row stays locked until the caller's transaction ends,
    so concurrent registrations queue here: no duplicate, and a rolled-back one gives its number back."""
    counter = AppealCounter.objects.select_for_update().filter(year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                AppealCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # another registration created it first; wait for its lock below
        counter = AppealCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, rules.format_number(year=year, sequence=counter.last)


# --- Documents ------------------------------------------------------------------------------------------


def appeal_draft_file_add(*, actor: User, checked: CheckedUpload, now: dt.datetime | None = None) -> AppealFile:
    """Keep a checked document until the appeal it belongs to is registered (at most MAX_FILES)."""
    now = _now(now)
    with transaction.atomic():
        drafts = AppealFile.objects.select_for_update().filter(uploaded_by=actor, appeal=None, answer=None)
        if drafts.count() >= rules.MAX_FILES:
            raise ValidationError(
                _("You can attach at most %(count)d documents."), code="too_many", params={"count": rules.MAX_FILES}
            )
        return _file_create(checked, actor=actor, now=now, folder="appeals/drafts")


def _file_create(checked: CheckedUpload, *, actor: User, now: dt.datetime, folder: str, **links) -> AppealFile:
    name = upload_store(checked, folder=folder)
    return AppealFile.objects.create(
        file=name,
        name=checked.name[:120],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        created_at=now,
        **links,
    )


def draft_files(*, actor: User) -> list[AppealFile]:
    return list(AppealFile.objects.filter(uploaded_by=actor, appeal=None, answer=None).order_by("created_at", "id"))


def _delete_files(files: Iterable[AppealFile]) -> int:
    names = []
    count = 0
    for item in files:
        names.append(item.file.name)
        item.delete()
        count += 1

    def remove() -> None:
        for name in names:
            private_storage.delete(name)

    transaction.on_commit(remove)
    return count


def appeal_draft_file_remove(*, actor: User, file_id: int) -> bool:
    with transaction.atomic():
        found = AppealFile.objects.filter(pk=file_id, uploaded_by=actor, appeal=None, answer=None)
        return _delete_files(found) > 0


def appeal_draft_files_discard(*, actor: User, keep: Iterable[int] = ()) -> int:
    """Delete the actor's drafts except `keep` (those of the appeal being filed now)."""
    with transaction.atomic():
        drafts = AppealFile.objects.filter(uploaded_by=actor, appeal=None, answer=None).exclude(pk__in=list(keep))
        return _delete_files(drafts)


# --- Registration -----------------------------------------------------------------------------------------


def _check_registration(*, actor: User, channel: str, applicant_iin: str, topic: str, link_kind: str) -> None:
    if channel == Channel.PORTAL:
        if actor.iin != applicant_iin or not actor.is_active:
            raise PermissionError("a citizen files appeals on their own behalf only")
        if topic in (Topic.CLINIC_ATTACHMENT, Topic.STATEMENT_SERVICE) and not link_kind:
            raise ValidationError({"topic": _("Choose a topic from the list.")}, code="topic_needs_link")
    else:
        if channel not in STAFF_CHANNELS:
            raise ValidationError({"channel": _("Choose the channel the appeal came by.")}, code="channel")
        if not (actor.is_active and (actor.has_role(Role.CALL_CENTRE_OPERATOR) or actor.has_role(Role.FUND_OFFICER))):
            raise PermissionError("only call-centre operators and fund officers register appeals for callers")


def appeal_register(
    *,
    actor: User,
    channel: str,
    applicant_iin: str,
    applicant_name: str,
    topic: str,
    region: str,
    substance: str,
    answer_by: str = AnswerBy.CABINET,
    clinic: Clinic | None = None,
    contact_phone: str = "",
    contact_email: str = "",
    postal_address: str = "",
    link_kind: str = LinkKind.NONE,
    link_reference: str = "",
    draft_file_ids: Sequence[int] = (),
    now: dt.datetime | None = None,
) -> Appeal:
    """Enter an appeal into the register: the next number of the year, the deadline, the first event.

    A citizen files on their own behalf (channel PORTAL); a call-centre operator or a fund officer
    registers one for a caller identified by IIN, with the channel it came by.
    """
    now = _now(now)
    _check_registration(actor=actor, channel=channel, applicant_iin=applicant_iin, topic=topic, link_kind=link_kind)
    substance = (substance or "").strip()
    problems = {}
    if topic not in Topic.values:
        problems["topic"] = _("Choose a topic from the list.")
    if region not in Region.values:
        problems["region"] = _("Choose the region.")
    if not substance:
        problems["substance"] = _("Describe your question.")
    elif len(substance) > rules.SUBSTANCE_MAX_CHARS:
        problems["substance"] = _("The text is too long.")
    if clinic is not None and clinic.region != region:
        problems["clinic"] = _("The medical organisation is in another region.")
    contact_problem = rules.answer_contact_problem(
        answer_by=answer_by, phone=contact_phone, email=contact_email, address=postal_address
    )
    if contact_problem:
        problems[contact_problem[0]] = contact_problem[1]
    if problems:
        raise ValidationError(problems)
    if link_kind not in LinkKind.values:
        raise ValidationError({"link_kind": _("Unknown link.")})

    with transaction.atomic():
        files = list(
            AppealFile.objects.select_for_update().filter(
                pk__in=list(draft_file_ids), uploaded_by=actor, appeal=None, answer=None
            )
        )
        if len(files) > rules.MAX_FILES:
            raise ValidationError(
                _("You can attach at most %(count)d documents."), code="too_many", params={"count": rules.MAX_FILES}
            )
        year = now.astimezone(ALMATY).year
        sequence, number = _take_number(year)
        applicant = actor if channel == Channel.PORTAL else _applicant_account(applicant_iin)
        appeal = Appeal.objects.create(
            number=number,
            year=year,
            sequence=sequence,
            applicant=applicant,
            applicant_iin=applicant_iin,
            applicant_name=applicant_name.strip()[:300],
            contact_phone=contact_phone,
            contact_email=contact_email,
            postal_address=postal_address.strip(),
            channel=channel,
            topic=topic,
            region=region,
            clinic=clinic,
            substance=substance,
            answer_by=answer_by,
            link_kind=link_kind,
            link_reference=link_reference if link_kind else "",
            registered_by=actor,
            registered_at=now,
            status=Status.REGISTERED,
            **_deadlines(start=now, topic=topic),
        )
        AppealFile.objects.filter(pk__in=[item.pk for item in files]).update(appeal=appeal)
        _event(appeal, AppealEvent.Kind.REGISTERED, actor=actor, now=now)
        _notify(
            appeal,
            _("Appeal № %(number)s registered"),
            _("Your appeal № %(number)s is in the Fund's register. The answer is due by %(due)s."),
        )
    return appeal


# --- Handling by fund officers ------------------------------------------------------------------------------


def appeal_assign(*, actor: User, appeal: Appeal, officer: User, now: dt.datetime | None = None) -> Appeal:
    """Make `officer` responsible for the appeal (also to hand it over); only a fund officer may."""
    now = _now(now)
    with transaction.atomic():
        appeal = _locked(appeal)
        if not _is_officer(officer) or officer.iin == appeal.applicant_iin:
            raise MoveRefused("assignee")
        if appeal.assigned_to_id == officer.pk and appeal.status == Status.ASSIGNED:
            raise MoveRefused("same_assignee")
        return _move(appeal=appeal, action=Action.ASSIGN, actor=actor, now=now, assigned_to=officer, assigned_at=now)


def appeal_start(*, actor: User, appeal: Appeal, now: dt.datetime | None = None) -> Appeal:
    now = _now(now)
    with transaction.atomic():
        return _move(appeal=_locked(appeal), action=Action.START, actor=actor, now=now)


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
    now = _now(now)
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
        appeal = _locked(appeal)
        if appeal.status not in rules.WORKING_STATUSES:
            raise MoveRefused("status")
        if Actor.ASSIGNEE not in actor_kinds(appeal=appeal, user=actor):
            raise MoveRefused("actor")
        if appeal.status != Status.IN_PROGRESS:
            _move(appeal=appeal, action=Action.START, actor=actor, now=now)
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
        _event(appeal, AppealEvent.Kind.CONTACT, actor=actor, now=now)
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
    now = _now(now)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the answer.")})
    if len(text) > rules.ANSWER_MAX_CHARS:
        raise ValidationError({"text": _("The text is too long.")})
    if len(uploads) > rules.MAX_FILES:
        raise ValidationError({"files": _("You can attach at most %(count)d documents.") % {"count": rules.MAX_FILES}})
    with transaction.atomic():
        appeal = _locked(appeal)
        _move(
            appeal=appeal,
            action=Action.ANSWER,
            actor=actor,
            now=now,
            answered_at=now,
            reopen_until=deadline_after(now, working_days=rules.REOPEN_WINDOW_WORKING_DAYS),
        )
        answer = AppealAnswer.objects.create(appeal=appeal, text=text, author=actor, created_at=now)
        for checked in uploads:
            _file_create(checked, actor=actor, now=now, folder="appeals/answers", appeal=appeal, answer=answer)
        by_email = appeal.answer_by == AnswerBy.EMAIL
        _notify(
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
    now = _now(now)
    with transaction.atomic():
        return _move(appeal=_locked(appeal), action=Action.ACCEPT, actor=actor, now=now, closed_at=now)


def appeal_reopen(*, actor: User, appeal: Appeal, reason: str, now: dt.datetime | None = None) -> Appeal:
    """The applicant disagrees with the answer within the window: the appeal goes back to its officer
    with a new term counted from now (docs/adr/0501)."""
    now = _now(now)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you disagree with the answer.")})
    if len(reason) > rules.REASON_MAX_CHARS:
        raise ValidationError({"reason": _("The text is too long.")})
    with transaction.atomic():
        appeal = _locked(appeal)
        # Who may is checked first, so that nobody learns about the window of another's appeal.
        rules.move_target(status=appeal.status, action=Action.REOPEN, actors=actor_kinds(appeal=appeal, user=actor))
        if not rules.reopen_open(reopen_until=appeal.reopen_until, now=now):
            raise MoveRefused("window")
        return _move(
            appeal=appeal,
            action=Action.REOPEN,
            actor=actor,
            now=now,
            note=reason,
            reopen_until=None,
            reopened_count=appeal.reopened_count + 1,
            **_deadlines(start=now, topic=appeal.topic),
        )


# --- The sweep ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    near: int = 0
    overdue: int = 0
    closed: int = 0
    drafts_removed: int = 0


def _flag_batch(*, now: dt.datetime, batch: int, overdue: bool) -> int:
    with transaction.atomic():
        due = Appeal.objects.select_for_update(skip_locked=True).filter(status__in=rules.OPEN_STATUSES)
        if overdue:
            due = due.filter(due_at__lte=now, overdue_flagged_at__isnull=True)
        else:
            due = due.filter(warn_at__lte=now, due_at__gt=now, near_flagged_at__isnull=True)
        appeals = list(due.order_by("due_at", "id")[:batch])
        for appeal in appeals:
            if overdue:
                appeal.overdue_flagged_at = now
                appeal.near_flagged_at = appeal.near_flagged_at or now
                _event(appeal, AppealEvent.Kind.DEADLINE_PASSED, actor=None, now=now)
            else:
                appeal.near_flagged_at = now
                _event(appeal, AppealEvent.Kind.DEADLINE_NEAR, actor=None, now=now, public=False)
            appeal.save(update_fields=["near_flagged_at", "overdue_flagged_at", "updated_at"])
        return len(appeals)


def _close_batch(*, now: dt.datetime, batch: int) -> int:
    with transaction.atomic():
        appeals = list(
            Appeal.objects.select_for_update(skip_locked=True)
            .filter(status=Status.ANSWERED, reopen_until__lte=now)
            .order_by("reopen_until", "id")[:batch]
        )
        for appeal in appeals:
            _move(appeal=appeal, action=Action.CLOSE, actor=None, now=now, closed_at=now)
        return len(appeals)


def _drafts_batch(*, now: dt.datetime, batch: int) -> int:
    with transaction.atomic():
        old = AppealFile.objects.select_for_update(skip_locked=True).filter(
            appeal=None, answer=None, created_at__lt=now - DRAFT_FILE_LIFETIME
        )
        return _delete_files(list(old.order_by("id")[:batch]))


def appeals_sweep(*, now: dt.datetime | None = None, batch: int = 500) -> SweepResult:
    """Flag appeals near and past their deadline, close answered ones whose window has passed, and remove
    documents never attached. Picks rows with SKIP LOCKED and marks them, so it is safe to run twice."""
    now = _now(now)
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
