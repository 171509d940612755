"""Every write of the statement service: requests, their processing and sweep, complaints.

A request moves only along `rules.REQUEST_MOVES`, by `_move`, which records the stage it enters
(the monitoring of state services). Processing is claimed by a conditional UPDATE that hands out a
claim token; only the holder of the token may finish, under a row lock, and the document is one-to-one
with its request: so a request is never issued twice, whichever worker, redelivery or sweep runs it.
The sweep queues again what a lost message or a dead worker left behind: a request is never lost.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from osms.core.calendar import ALMATY, deadline_after
from osms.core.notifications import notification_create
from osms.core.outbox import enqueue_on_commit
from osms.coverage.models import period_to_int
from osms.coverage.periods import Period

from . import form_text, rendering, rules, selectors, signing
from .models import StatementComplaint, StatementDocument, StatementRequest, StatementStage

logger = logging.getLogger("osms.statements")

Status = StatementRequest.Status


class StatementError(Exception):
    """The action is not possible now; the message says why, in the user's language."""


def _local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(ALMATY).date()


def _queue(request_id: int) -> None:
    """Queue processing when the caller's transaction commits (never for a row others cannot see yet)."""
    from .tasks import statement_process

    enqueue_on_commit(statement_process, request_id)


def _move(request_id: int, target: str, *, when: Q | None = None, note: str = "", at=None, **fields) -> bool:
    """Move a request to `target` if the table allows it from its current stage (and `when` holds);
    record the stage. A conditional UPDATE: of two racing callers exactly one moves it."""
    at = at or timezone.now()
    condition = Q(pk=request_id, status__in=rules.sources_of(rules.REQUEST_MOVES, target))
    if when is not None:
        condition &= when
    with transaction.atomic():
        moved = StatementRequest.objects.filter(condition).update(status=target, **fields)
        if moved:
            StatementStage.objects.create(request_id=request_id, stage=target, at=at, note=note[:500])
    return bool(moved)


# --- The citizen's request --------------------------------------------------------------------------------------
def statement_request_create(
    *, actor, period_from: Period, period_to: Period, language: str, consent: bool
) -> StatementRequest:
    """A draft request with its number; it reaches the system when the citizen confirms it."""
    now = timezone.now()
    try:
        rules.check_period(period_from, period_to, today=_local_date(now))
    except rules.PeriodError as exc:
        raise StatementError(_("The period cannot be asked for.")) from exc
    if language not in form_text.DOCUMENT_LANGUAGES:
        raise StatementError(_("The statement is issued in Kazakh or Russian."))
    with transaction.atomic():
        request = StatementRequest.objects.create(
            user=actor,
            iin=actor.iin,
            period_from=period_to_int(period_from),
            period_to=period_to_int(period_to),
            language=language,
            consent=consent,
            created_at=now,
        )
        request.number = rules.request_number(pk=request.pk, created=_local_date(now))
        request.save(update_fields=["number"])
        StatementStage.objects.create(request=request, stage=StatementStage.Stage.DRAFT, at=now)
    return request


def _own(actor, request: StatementRequest) -> None:
    if request.user_id != actor.pk:
        raise PermissionDenied


def statement_confirmation_begin(*, actor, request: StatementRequest, method: str = "sms") -> None:
    """Send the SMS code (or prepare the EDS signing) for a draft request."""
    _own(actor, request)
    if request.status != Status.DRAFT:
        raise StatementError(_("This request has already been sent."))
    if method == "sms" and not actor.phone:
        raise StatementError(_("Your account has no mobile phone to send the code to. Add it in your profile."))
    signing.method(method).begin(request=request)


def statement_request_confirm(*, actor, request: StatementRequest, method: str, proof: str) -> StatementRequest:
    """Accept the signature or the code: the request is received, its 15-working-minute deadline is
    stored, and processing is queued on commit. Raises signing.SignatureRejected or StatementError."""
    _own(actor, request)
    if request.status != Status.DRAFT:
        raise StatementError(_("This request has already been sent."))
    signer_iin = signing.method(method).confirm(request=request, proof=proof)
    return _receive(request, method=method, signer_iin=signer_iin)


def _receive(request: StatementRequest, *, method: str, signer_iin: str) -> StatementRequest:
    """The request reaches the system (after its signature was checked): deadline stored, task queued."""
    now = timezone.now()
    with transaction.atomic():
        moved = _move(
            request.pk,
            Status.RECEIVED,
            at=now,
            note=str(StatementRequest.Signature(method).label),
            received_at=now,
            due_at=deadline_after(now, working_minutes=rules.PROCESSING_WORKING_MINUTES),
            queued_at=now,
            signature=method,
            signer_iin=signer_iin,
        )
        if not moved:
            raise StatementError(_("This request has already been sent."))
        _queue(request.pk)
    request.refresh_from_db()
    return request


# --- Processing (the Celery task) ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Built:
    kind: str
    number: str
    issued_at: dt.datetime
    content: dict
    pdf: bytes


def _build(request: StatementRequest, *, issued_at: dt.datetime) -> _Built:
    from osms.coverage.selectors import status_answer

    issue_date = _local_date(issued_at)
    first, last = (
        Period(request.period_from // 100, request.period_from % 100),
        Period(request.period_to // 100, request.period_to % 100),
    )
    content = {
        "holder_name": selectors.holder_name(iin=request.iin, fallback=request.user.get_full_name()),
        "holder_iin": request.iin,
        "issue_date": issue_date.isoformat(),
        "request_number": request.number,
        "received_date": _local_date(request.received_at).isoformat(),
        "period_from": first.code,
        "period_to": last.code,
    }
    ground = rules.refusal_ground(consent=request.consent)
    if ground:
        kind = StatementDocument.Kind.REFUSAL
        content["ground"] = ground
    else:
        kind = StatementDocument.Kind.STATEMENT
        start, end = rules.period_dates(first, last, until=issue_date)
        content["rows"] = rules.statement_rows(selectors.statement_payments(iin=request.iin, start=start, end=end))
        answer = status_answer(iin=request.iin, on=issue_date)
        content["insured"] = answer.insured
        content["rule"] = answer.rule
    number = rules.document_number(pk=request.pk, kind=kind, issued=issue_date)
    view = rendering.document_view(number=number, kind=kind, language=request.language, content=content)
    return _Built(kind=kind, number=number, issued_at=issued_at, content=content, pdf=rendering.render_pdf(view))


def _claim(request_id: int) -> uuid.UUID | None:
    now = timezone.now()
    token = uuid.uuid4()
    stale = Q(status=Status.PROCESSING, claimed_at__lt=now - selectors.STALE_CLAIM)
    claimed = _move(
        request_id,
        Status.PROCESSING,
        when=Q(status=Status.RECEIVED) | stale,
        at=now,
        claimed_at=now,
        claim_token=token,
        attempts=F("attempts") + 1,
    )
    return token if claimed else None


def _release(request_id: int, token: uuid.UUID, error: str) -> None:
    """A failed attempt gives the request back (received, queued again by the task's retry or the sweep)."""
    _move(
        request_id,
        Status.RECEIVED,
        when=Q(claim_token=token),
        note=f"{StatementStage.Stage.RETRY.label}: {error}",
        claim_token=None,
        claimed_at=None,
        queued_at=timezone.now(),
        last_error=error[:2000],
    )


def _notify_finished(request: StatementRequest, kind: str) -> None:
    user = request.user
    with translation.override(user.language):
        url = reverse("statements:detail", kwargs={"number": request.number})
        if kind == StatementDocument.Kind.STATEMENT:
            subject = _("Your statement %(number)s is ready") % {"number": request.number}
            body = _("The statement of your payments is in your cabinet.")
        else:
            subject = _("Your statement request %(number)s was refused") % {"number": request.number}
            body = _("The refusal and its ground are in your cabinet. You may make a new request.")
    notification_create(user=user, subject=subject, body=body, url=url)


def _finish(request_id: int, token: uuid.UUID, built: _Built) -> str:
    target = Status.ISSUED if built.kind == StatementDocument.Kind.STATEMENT else Status.REFUSED
    with transaction.atomic():
        request = (
            StatementRequest.objects.select_for_update()
            .select_related("user")
            .filter(pk=request_id, status=Status.PROCESSING, claim_token=token)
            .first()
        )
        if request is None:
            # Another worker took the request over (this one was too slow): it finishes it, not us.
            return "superseded"
        document = StatementDocument(
            request=request,
            number=built.number,
            kind=built.kind,
            language=request.language,
            issued_at=built.issued_at,
            holder_iin=request.iin,
            content=built.content,
            sha256=rendering.sha256(built.pdf),
            size=len(built.pdf),
        )
        local = built.issued_at.astimezone(ALMATY)
        document.pdf.save(f"{local:%Y/%m}/{built.number}.pdf", ContentFile(built.pdf), save=False)
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            document.pdf.storage.delete(document.pdf.name)
            logger.error("statement %s already has a document; not issued twice", request.number)
            return "duplicate"
        _move(
            request.pk,
            target,
            when=Q(claim_token=token),
            at=timezone.now(),
            note=built.number,
            finished_at=timezone.now(),
            refusal_ground=built.content.get("ground", ""),
            claim_token=None,
            last_error="",
        )
        _notify_finished(request, built.kind)
    return target


def statement_process(*, request_id: int) -> str:
    """Build, store and deliver the document of a received request, once. Returns what happened:
    "issued", "refused", or "skipped" / "superseded" when another worker has it or it is done."""
    token = _claim(request_id)
    if token is None:
        return "skipped"
    request = StatementRequest.objects.select_related("user").get(pk=request_id)
    try:
        built = _build(request, issued_at=timezone.now())
    except Exception as exc:
        logger.exception("statement %s could not be built", request.number)
        _release(request_id, token, f"{type(exc).__name__}: {exc}")
        raise
    return _finish(request_id, token, built)


# --- The sweep ------------------------------------------------------------------------------------------------------
def statements_sweep(*, now: dt.datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Queue again what is stuck, flag what is past its deadline (requests and complaints). Safe to run
    twice at once: rows are taken with SKIP LOCKED and each change is conditional."""
    now = now or timezone.now()
    requeued = 0
    with transaction.atomic():
        candidates = selectors.requests_to_requeue(now=now).select_for_update(skip_locked=True)[:limit]
        for request in candidates:
            reason = (
                _("the worker that claimed it stopped")
                if request.status == Status.PROCESSING
                else _("its message was lost")
            )
            StatementRequest.objects.filter(pk=request.pk).update(queued_at=now)
            StatementStage.objects.create(request=request, stage=StatementStage.Stage.REQUEUED, at=now, note=reason)
            _queue(request.pk)
            requeued += 1
    overdue = 0
    with transaction.atomic():
        for request in selectors.requests_past_deadline(now=now).select_for_update(skip_locked=True)[:limit]:
            StatementRequest.objects.filter(pk=request.pk).update(overdue_at=now)
            StatementStage.objects.create(request=request, stage=StatementStage.Stage.OVERDUE, at=now)
            logger.error("statement request %s is past its deadline %s", request.number, request.due_at.isoformat())
            overdue += 1
    return {"requeued": requeued, "overdue": overdue, **complaints_sweep(now=now)}


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


def _complaint_move(complaint: StatementComplaint, target: str, **fields) -> StatementComplaint:
    with transaction.atomic():
        locked = StatementComplaint.objects.select_for_update().select_related("user").get(pk=complaint.pk)
        if not rules.can_move(rules.COMPLAINT_MOVES, locked.status, target):
            raise StatementError(
                _("The complaint is “%(status)s”: this step is not possible.") % {"status": locked.get_status_display()}
            )
        locked.status = target
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
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
    return _complaint_move(complaint, ComplaintStatus.FORWARDED, **fields)


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
