"""What the services of the appeals register share: who the actor is, the one function that moves an
appeal (`move`), the stored terms, and notifying the applicant."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from osms.accounts.models import User
from osms.core.calendar import ALMATY, deadline_after
from osms.core.notifications import notification_create
from osms.representation.acting import about_ward
from osms.representation.links import ward_record_link

from .. import rules
from ..models import Appeal
from ..workflow import APPEAL, actor_kinds, is_officer  # noqa: F401  (the services' vocabulary)


def now_or_current(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def locked(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().get(pk=appeal.pk)


def event_add(
    appeal: Appeal,
    kind: str,
    *,
    actor: User | None,
    now: dt.datetime,
    public: bool = True,
    note: str = "",
    acting_for: str = "",
):
    return APPEAL.record_event(appeal, kind=kind, actor=actor, at=now, note=note, public=public, acting_for=acting_for)


def move(*, appeal: Appeal, action: str, actor: User | None, now: dt.datetime, note: str = "", **fields) -> Appeal:
    """The one place an appeal's status changes: the kernel checks the move and who makes it, records the event."""
    APPEAL.transition(
        appeal,
        action,
        actor=actor,
        at=now,
        note=note,
        fields=fields,
        event={"public": True},
        acting_for=_acting_for(appeal, actor),
    )
    return appeal


def _acting_for(appeal: Appeal, actor: User | None) -> str:
    """The ward's IIN on the events of a representative's own moves (accept, disagree); blank otherwise."""
    if actor is not None and actor.iin and actor.iin != appeal.applicant_iin and actor.iin == appeal.representative_iin:
        return appeal.applicant_iin
    return ""


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
        body_text = about_ward(ward_iin=appeal.applicant_iin, representative_iin=appeal.representative_iin)
        body_text += str(body) % params
        if extra:
            body_text = f"{body_text}\n\n{extra}"
        url = ward_record_link(
            reverse("appeals:detail", kwargs={"number": appeal.number}),
            recipient=user,
            ward_iin=appeal.applicant_iin,
            representative_iin=appeal.representative_iin,
        )
    notification_create(
        user=user, subject=subject_text, body=body_text, url=url, sms=sms, email_to=appeal.contact_email or ""
    )
