"""Every write of the representation area: the citizen's request, the officer's decision, the
sweep of overdue requests, and the audit entry of acting for a ward. Rights from the register are
written by the import (importer.py)."""

from __future__ import annotations

import datetime as dt
import logging

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osms.accounts.models import Role, User
from osms.core.calendar import deadline_after
from osms.core.notifications import notification_create
from osms.core.uploads import upload_check, upload_store
from osms.coverage.models import Person

from . import rules, selectors
from .models import Representation, RepresentationRequest, RepresentationRequestEvent
from .workflow import REQUEST, RepresentationError

logger = logging.getLogger("osms.representation")
Status = RepresentationRequest.Status


# --- the request's stages ---------------------------------------------------------------------------------


def move(request: RepresentationRequest, to: str, *, actor: User | None, at: dt.datetime) -> None:
    """The one place a request changes stage: the workflow kernel checks the move and the officer's
    right to review, saves the decision and records the step (workflow.py)."""
    REQUEST.transition(
        request,
        to,
        actor=actor,
        at=at,
        note=request.refusal_reason,
        fields={"decided_at": at, "decided_by": actor, "refusal_reason": request.refusal_reason},
    )


def _ward_name(request: RepresentationRequest) -> str:
    """The ward as the persons register names them (the IIN only while the register lacks the person)."""
    ward = Person.objects.filter(iin=request.ward_iin).first()
    return ward.full_name if ward is not None else request.ward_iin


def _notify(request: RepresentationRequest, *, subject, body) -> None:
    user = request.user
    with translation.override(user.language):
        notification_create(
            user=user,
            subject=str(subject),
            body=str(body)
            % {"number": request.number, "ward": _ward_name(request), "reason": request.refusal_reason.rstrip(".")},
            url=reverse("representation:wards"),
        )


# --- the citizen ------------------------------------------------------------------------------------------


def request_submit(
    *, actor: User, ward_iin: str, ground: str, document, now: dt.datetime | None = None
) -> RepresentationRequest:
    """Ask to act for `ward_iin`; the document is checked as every upload is (osms/core/uploads.py)."""
    now = now or timezone.now()
    problem = rules.ground_problem(
        ground=ground, ward_iin=ward_iin, representative_iin=actor.iin, start=timezone.localdate(now)
    )
    if problem == "self":
        raise RepresentationError(_("You cannot ask to act for yourself."))
    if problem == "adult":
        raise RepresentationError(_("A parent acts only for a child under 18; this IIN is of an adult."))
    if selectors.representation_for(user=actor, ward_iin=ward_iin, on=timezone.localdate(now)) is not None:
        raise RepresentationError(_("You may already act for this person."))
    if selectors.pending_request_exists(user=actor, ward_iin=ward_iin):
        raise RepresentationError(_("Your request for this person is already waiting for review."))
    checked = upload_check(document)
    with transaction.atomic():
        request = RepresentationRequest.objects.create(
            user=actor,
            representative_iin=actor.iin,
            ward_iin=ward_iin,
            ground=ground,
            document=upload_store(checked, folder="representation"),
            document_name=checked.name,
            document_type=checked.content_type,
            document_sha256=checked.sha256,
            submitted_at=now,
            review_due_at=deadline_after(now, working_days=rules.REVIEW_WORKING_DAYS),
        )
        REQUEST.record_event(request, kind=RepresentationRequestEvent.Kind.SUBMITTED, actor=actor, at=now)
    logger.info("representation request %s sent", request.pk)
    return request


# --- the fund officer -------------------------------------------------------------------------------------


def _lock(request: RepresentationRequest, actor: User) -> RepresentationRequest:
    if not actor.has_perm(selectors.REVIEW_PERMISSION):
        raise PermissionDenied
    request = RepresentationRequest.objects.select_for_update().get(pk=request.pk)
    if actor.iin in (request.representative_iin, request.ward_iin):
        raise RepresentationError(_("You cannot decide on a request about yourself."))
    return request


def request_approve(*, actor: User, request: RepresentationRequest, now: dt.datetime | None = None) -> Representation:
    """Record the right (source: request) from today; the citizen is told."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock(request, actor)
        move(request, Status.APPROVED, actor=actor, at=now)
        right = Representation.objects.create(
            ward_id=request.ward_iin,
            representative_iin=request.representative_iin,
            ground=request.ground,
            start=timezone.localdate(now),
            source=Representation.Source.REQUEST,
            request=request,
        )
        _notify(
            request,
            subject=gettext_lazy("You may act for your child or ward"),
            body=gettext_lazy(
                "Request %(number)s is approved: you may act for %(ward)s. In your cabinet choose “Acting for” "
                "to see their status, attach them to a clinic, ask for a statement or temporary status, or appeal."
            ),
        )
    return right


def request_refuse(
    *, actor: User, request: RepresentationRequest, reason: str, now: dt.datetime | None = None
) -> RepresentationRequest:
    reason = reason.strip()
    if not reason:
        raise RepresentationError(_("Write the reason for the refusal: the citizen will read it."))
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock(request, actor)
        request.refusal_reason = reason
        move(request, Status.REFUSED, actor=actor, at=now)
        _notify(
            request,
            subject=gettext_lazy("Your request to act for someone was refused"),
            body=gettext_lazy("Request %(number)s is refused: %(reason)s. You may send a new request."),
        )
    return request


# --- the sweep --------------------------------------------------------------------------------------------


def requests_sweep(*, now: dt.datetime | None = None) -> int:
    """Flag requests past their review deadline (once each) and tell the fund officers."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            RepresentationRequest.objects.select_for_update(skip_locked=True)
            .filter(status=Status.SUBMITTED, review_due_at__lte=now, overdue_at__isnull=True)
            .values_list("pk", flat=True)[:500]
        )
        RepresentationRequest.objects.filter(pk__in=ids).update(overdue_at=now)
        if ids:
            _tell_officers(len(ids))
            logger.warning("representation: %d request(s) newly past the review deadline", len(ids))
    return len(ids)


def _tell_officers(count: int) -> None:
    url = reverse("admin:representation_representationrequest_changelist") + "?stage=overdue"
    for officer in User.objects.filter(groups__name=Role.FUND_OFFICER, is_active=True).distinct():
        with translation.override(officer.language):
            notification_create(
                user=officer,
                subject=_("Requests to act for someone past their deadline"),
                body=_("%(count)d more request(s) to act for someone were not answered within %(days)d working days.")
                % {"count": count, "days": rules.REVIEW_WORKING_DAYS},
                url=url,
                sms=False,
            )


# --- acting for a ward ------------------------------------------------------------------------------------


def acting_record(*, representative: User, ward: selectors.Ward, what: str) -> None:
    """An audit entry naming both: the representative (the actor) read or chose the ward's data."""
    LogEntry.objects.log_create(
        ward.representation,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=representative,
        additional_data={
            "ward_iin": ward.iin,
            "representative_iin": representative.iin,
            "acting_for": what,
        },
    )
