"""What every step of a request shares: its errors, the one function that moves it between stages
(workflow.REQUEST), the event row of each step, and telling the citizen."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from osms.core.notifications import notification_create
from osms.representation.acting import about_ward
from osms.representation.links import ward_record_link

from .. import rules, selectors
from ..models import TemporaryStatusEvent, TemporaryStatusRequest
from ..workflow import REQUEST, TemporaryStatusError

logger = logging.getLogger("osms.temporary_status")

Status = TemporaryStatusRequest.Status
Event = TemporaryStatusEvent.Kind


def code_subject(request: TemporaryStatusRequest) -> str:
    """What an SMS code confirms: this request and no other."""
    return f"temporary:{request.pk}"


# --- moving a request ---------------------------------------------------------------------------


def _acting_for(request: TemporaryStatusRequest, actor) -> str:
    """The ward's IIN on the events of the representative's own steps (blank for oneself, or an officer)."""
    if request.representative_iin and actor is not None and actor.pk == request.user_id:
        return request.iin
    return ""


def event_record(request: TemporaryStatusRequest, kind: str, *, actor=None, note: str = "", at=None) -> None:
    REQUEST.record_event(request, kind=kind, actor=actor, note=note, at=at, acting_for=_acting_for(request, actor))


def move(request: TemporaryStatusRequest, target: str, *, actor, event: str, note: str = "", at=None) -> None:
    """The one way a request changes stage: the kernel checks the move, saves the request (with the
    fields the caller set) and records the step."""
    REQUEST.transition(
        request,
        target,
        actor=actor,
        kind=event,
        note=note,
        at=at,
        save_all=True,
        acting_for=_acting_for(request, actor),
    )


def lock(request: TemporaryStatusRequest) -> TemporaryStatusRequest:
    return TemporaryStatusRequest.objects.select_for_update().select_related("category", "user").get(pk=request.pk)


def require_draft_of(actor, request: TemporaryStatusRequest) -> None:
    if request.user_id != actor.pk:
        raise PermissionDenied
    if request.status != Status.DRAFT:
        raise TemporaryStatusError(_("This request has been sent and can no longer be changed."))


def check_eligible(actor, *, on: dt.date, iin: str | None = None) -> None:
    view = selectors.eligibility_of(user=actor, on=on, iin=iin)
    if not view.eligibility.allowed:
        raise TemporaryStatusError(str(view.eligibility.message))


def check_category(actor, category, *, on: dt.date, iin: str | None = None) -> None:
    """Whether the person asked for (`iin`: a ward; by default the actor) may ask in this category."""
    if category is None or not category.by_application:
        raise TemporaryStatusError(_("Temporary status cannot be asked for this category."))
    iin = iin or actor.iin
    birth = actor.birth_date if iin == actor.iin else None
    if birth is None:
        from osms.core.iin import iin_birth_date

        birth = iin_birth_date(iin)
    misfit = rules.category_misfit(category=category.number, iin=iin, birth=birth, today=on, for_ward=iin != actor.iin)
    if misfit is not None:
        raise TemporaryStatusError(str(misfit))


# --- notifications --------------------------------------------------------------------------------------


def notify(request: TemporaryStatusRequest, *, subject, body, sms: bool = True) -> None:
    """Tell the citizen, in their language, with a link to the request."""
    user = request.user
    with translation.override(user.language):
        # A deleted draft has no page of its own any more: the link goes to the list of requests.
        if request.status == Status.CANCELLED:
            url = reverse("temporary_status:list")
        else:
            url = reverse("temporary_status:detail", args=[request.pk])
        url = ward_record_link(url, recipient=user, ward_iin=request.iin, representative_iin=request.representative_iin)
        values = {
            "number": request.number,
            "deadline": _local(request.review_due_at),
            "category": request.category.label,
            "start": _day(request.status_from),
            "end": _day(request.status_until),
            "reason": TemporaryStatusRequest.RefusalReason(request.refusal_reason).label.lower()
            if request.refusal_reason
            else "",
            "text": request.refusal_text.rstrip(".") + "." if request.refusal_text else "",
        }
        notification_create(
            user=user,
            subject=str(subject),
            body=about_ward(ward_iin=request.iin, representative_iin=request.representative_iin) + str(body) % values,
            url=url,
            sms=sms,
        )


def _local(moment: dt.datetime | None) -> str:
    return "" if moment is None else date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _day(day: dt.date | None) -> str:
    return "" if day is None else date_format(day, "SHORT_DATE_FORMAT")
