"""Complaints about the service (DOMAIN §8): registered with three stored deadlines, moved by fund officers."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from osms.core.calendar import deadline_after
from osms.core.notifications import notification_create
from osms.representation.links import ward_record_link

from .. import rules, selectors
from ..models import StatementComplaint, StatementRequest
from ..workflow import COMPLAINT, StatementError
from .common import _local_date, _own, logger

# --- Complaints ------------------------------------------------------------------------------------------------------
ComplaintStatus = StatementComplaint.Status


def complaint_register(*, actor, request: StatementRequest, text: str) -> StatementComplaint:
    """Register a complaint about a request that reached the system, with its deadlines stored."""
    _own(actor, request)
    if request.received_at is None:
        raise StatementError(_("You can complain about a request once it has been sent."))
    text = (text or "").strip()
    if not text:
        raise StatementError(_("Describe what went wrong."))
    now = timezone.now()
    with transaction.atomic():
        complaint = StatementComplaint.objects.create(
            request=request,
            user=actor,
            text=text,
            registered_at=now,
            answer_due_at=deadline_after(now, working_days=rules.COMPLAINT_ANSWER_WORKING_DAYS),
            forward_due_at=deadline_after(now, working_days=rules.COMPLAINT_FORWARD_WORKING_DAYS),
        )
        complaint.number = rules.complaint_number(pk=complaint.pk, registered=_local_date(now))
        complaint.save(update_fields=["number"])
    return complaint


def _complaint_move(complaint: StatementComplaint, target: str, *, actor, **fields) -> StatementComplaint:
    with transaction.atomic():
        locked = StatementComplaint.objects.select_for_update().select_related("user").get(pk=complaint.pk)
        COMPLAINT.transition(locked, target, actor=actor, fields=fields, save_all=True)
        _notify_complaint(locked)
    return locked


def _notify_complaint(complaint: StatementComplaint) -> None:
    user = complaint.user
    with translation.override(user.language):
        subject = _("Your complaint %(number)s: %(status)s") % {
            "number": complaint.number,
            "status": complaint.get_status_display(),
        }
        body = _("Read the answer in your cabinet.")
        url = reverse("statements:complaint", kwargs={"number": complaint.number})
        about = complaint.request  # the complaint is about a request, perhaps made for a ward
        url = ward_record_link(url, recipient=user, ward_iin=about.iin, representative_iin=about.representative_iin)
    notification_create(user=user, subject=subject, body=body, url=url)


def complaint_satisfy(*, actor, complaint: StatementComplaint, answer: str) -> StatementComplaint:
    """The Fund satisfies the complaint in full, with its answer (it then need not forward it)."""
    if not (answer or "").strip():
        raise StatementError(_("Write the answer to the citizen."))
    return _complaint_move(
        complaint,
        ComplaintStatus.SATISFIED,
        fund_answer=answer.strip(),
        fund_answered_at=timezone.now(),
        handled_by=actor,
        actor=actor,
    )


def complaint_forward(
    *, actor, complaint: StatementComplaint, reviewing_body: str, answer: str = ""
) -> StatementComplaint:
    """The Fund sends the complaint with the case to the reviewing body: its 15 working days start."""
    if not (reviewing_body or "").strip():
        raise StatementError(_("Name the body the complaint is sent to."))
    now = timezone.now()
    fields = {
        "forwarded_at": now,
        "review_due_at": deadline_after(now, working_days=rules.COMPLAINT_REVIEW_WORKING_DAYS),
        "reviewing_body": reviewing_body.strip(),
        "handled_by": actor,
    }
    if (answer or "").strip():
        fields.update(fund_answer=answer.strip(), fund_answered_at=now)
    return _complaint_move(complaint, ComplaintStatus.FORWARDED, actor=actor, **fields)


def complaint_record_decision(*, actor, complaint: StatementComplaint, answer: str) -> StatementComplaint:
    """Record the reviewing body's decision, which the citizen then reads in the cabinet."""
    if not (answer or "").strip():
        raise StatementError(_("Write the decision of the reviewing body."))
    return _complaint_move(
        complaint,
        ComplaintStatus.ANSWERED,
        review_answer=answer.strip(),
        review_answered_at=timezone.now(),
        handled_by=actor,
        actor=actor,
    )


def complaints_sweep(*, now: dt.datetime) -> dict[str, int]:
    """Flag each complaint deadline that passed with its step not done."""
    flagged = {}
    flag_field = {"forward": "forward_overdue_at", "answer": "answer_overdue_at", "review": "review_overdue_at"}
    with transaction.atomic():
        for step, queryset in selectors.complaints_past_deadline(now=now).items():
            ids = list(queryset.select_for_update(skip_locked=True).values_list("pk", flat=True))
            if ids:
                StatementComplaint.objects.filter(pk__in=ids).update(**{flag_field[step]: now})
                logger.error("complaints past the %s deadline: %s", step, ids)
            flagged[f"complaints_{step}_overdue"] = len(ids)
    return flagged
