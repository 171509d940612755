"""The fund officer's side: approve (one month of the category, insured at once) or refuse with a
reason; the officer's reading of a document is part of the request's story."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osms.accounts.models import User
from osms.coverage.services import membership_grant_temporary

from .. import rules, selectors
from ..models import TemporaryStatusDocument, TemporaryStatusRequest
from ..workflow import REQUEST
from .moves import (
    Event,
    Status,
    TemporaryStatusError,
    event_record,
    lock,
    move,
    notify,
)

# --- the fund officer's decision -----------------------------------------------------------------------


def _check_reviewer(actor: User, request: TemporaryStatusRequest) -> None:
    if not actor.has_perm(selectors.REVIEW_PERMISSION):
        raise PermissionDenied
    if actor.iin == request.iin:
        raise TemporaryStatusError(_("You cannot decide on your own request."))


def temporary_status_approve(
    *, actor: User, request: TemporaryStatusRequest, now: dt.datetime | None = None
) -> TemporaryStatusRequest:
    """Grant the category for one month from today (a temporary benefit membership): the status
    answer says "insured" at once (docs/domain.md §4 rule 1, §7)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = lock(request)
        _check_reviewer(actor, request)
        if not REQUEST.can_move(request.status, Status.APPROVED):
            raise TemporaryStatusError(_("This request has already been decided."))
        membership = membership_grant_temporary(
            actor=actor, iin=request.iin, category=request.category_id, start=timezone.localdate(now)
        )
        request.membership = membership
        request.status_from = membership.start
        request.status_until = membership.end
        request.expiry_notice_due_at = rules.expiry_notice_moment(membership.end)
        request.ends_at = rules.closing_moment(membership.end)
        request.decided_at = now
        request.decided_by = actor
        move(
            request,
            Status.APPROVED,
            actor=actor,
            event=Event.APPROVED,
            note=f"{membership.start:%d.%m.%Y}\u2013{membership.end:%d.%m.%Y}",
            at=now,
        )
        notify(
            request,
            subject=gettext_lazy("Temporary status granted"),
            body=gettext_lazy(
                "Request %(number)s is approved. You are insured as “%(category)s” from %(start)s to %(end)s."
            ),
        )
    return request


def temporary_status_refuse(
    *, actor: User, request: TemporaryStatusRequest, reason: str, text: str, now: dt.datetime | None = None
) -> TemporaryStatusRequest:
    """Refuse with a reason from the list and an explanation; the citizen may send a new request."""
    now = now or timezone.now()
    if reason not in TemporaryStatusRequest.RefusalReason.values:
        raise TemporaryStatusError(_("Choose the reason for the refusal."))
    text = (text or "").strip()
    if not text:
        raise TemporaryStatusError(_("Explain the refusal to the citizen."))
    with transaction.atomic():
        request = lock(request)
        _check_reviewer(actor, request)
        if not REQUEST.can_move(request.status, Status.REFUSED):
            raise TemporaryStatusError(_("This request has already been decided."))
        request.refusal_reason = reason
        request.refusal_text = text
        request.decided_at = now
        request.decided_by = actor
        move(request, Status.REFUSED, actor=actor, event=Event.REFUSED, note=reason, at=now)
        notify(
            request,
            subject=gettext_lazy("Temporary status refused"),
            body=gettext_lazy(
                "Request %(number)s is refused: %(reason)s. %(text)s You may send a new request with the "
                "right documents."
            ),
        )
    return request


def temporary_status_document_opened(*, actor: User, document: TemporaryStatusDocument) -> None:
    """A fund officer read a citizen's document: part of the request's story."""
    event_record(document.request, Event.DOCUMENT_OPENED, actor=actor, note=f"{document.kind}: {document.name}")
