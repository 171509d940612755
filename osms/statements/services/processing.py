"""Processing (the Celery task): claimed with a token by a conditional UPDATE, built, and finished under a
row lock only by the holder of the token; the document is one-to-one with its request, so a request is never
issued twice."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from osms.core.calendar import ALMATY
from osms.core.leases import heartbeat
from osms.core.notifications import notification_create
from osms.coverage.periods import Period
from osms.representation.acting import about_ward
from osms.representation.links import ward_record_link

from .. import rendering, rules, selectors
from ..models import StatementDocument, StatementRequest, StatementStage
from .common import Status, _local_date, _move, logger


# --- Processing (the Celery task) ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Built:
    kind: str
    number: str
    issued_at: dt.datetime
    content: dict
    pdf: bytes


def _build(request: StatementRequest, *, issued_at: dt.datetime, ground: str = "", reason: str = "") -> _Built:
    """The document of a request: the statement, or the refusal on the system's ground (consent) or
    on the `ground` and `reason` a fund officer gives (services/refusal.py)."""
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
    ground = ground or rules.refusal_ground(consent=request.consent)
    if ground:
        kind = StatementDocument.Kind.REFUSAL
        content["ground"] = ground
        if reason:
            content["reason"] = reason
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
        body = about_ward(ward_iin=request.iin, representative_iin=request.representative_iin) + body
        url = ward_record_link(url, recipient=user, ward_iin=request.iin, representative_iin=request.representative_iin)
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
    lease = StatementRequest.objects.filter(pk=request_id, claim_token=token)
    try:
        with heartbeat(lease, field="claimed_at", every=selectors.HEARTBEAT_SECONDS):
            built = _build(request, issued_at=timezone.now())
    except Exception as exc:
        logger.exception("statement %s could not be built", request.number)
        _release(request_id, token, f"{type(exc).__name__}: {exc}")
        raise
    return _finish(request_id, token, built)
