"""The citizen's request: the draft with its number, the confirmation (SMS code or EDS), its receipt."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osms.core.calendar import deadline_after
from osms.coverage.models import period_to_int
from osms.coverage.periods import Period
from osms.representation.acting import ActingSubject, subject_or_self

from .. import form_text, rules, signing
from ..models import StatementRequest, StatementStage
from ..workflow import REQUEST, StatementError
from .common import Status, _local_date, _move, _own, _queue


# --- The citizen's request --------------------------------------------------------------------------------------
def statement_request_create(
    *, actor, period_from: Period, period_to: Period, language: str, consent: bool, subject: ActingSubject | None = None
) -> StatementRequest:
    """A draft request with its number; it reaches the system when the citizen confirms it. `subject`:
    whose statement (a ward's, asked by the representative `actor`; by default the actor's own)."""
    subject = subject_or_self(subject, actor)
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
            iin=subject.iin,
            representative_iin=subject.representative_iin,
            period_from=period_to_int(period_from),
            period_to=period_to_int(period_to),
            language=language,
            consent=consent,
            created_at=now,
        )
        request.number = rules.request_number(pk=request.pk, created=_local_date(now))
        request.save(update_fields=["number"])
        REQUEST.record_event(
            request, kind=StatementStage.Stage.DRAFT, at=now, actor=actor, acting_for=subject.acting_for
        )
    return request


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
    # The code is used up in the same transaction as the move it confirms: if the move fails (the
    # database or a cache away), the code is still good for the next try. A wrong code's counted try
    # is kept: the rejection is raised after the block commits.
    rejected = None
    with transaction.atomic():
        try:
            signer_iin = signing.method(method).confirm(request=request, proof=proof)
        except signing.SignatureRejected as exc:
            rejected = exc
        else:
            return _receive(request, method=method, signer_iin=signer_iin, actor=actor)
    raise rejected


def _receive(request: StatementRequest, *, method: str, signer_iin: str, actor=None) -> StatementRequest:
    """The request reaches the system (after its signature was checked): deadline stored, task queued."""
    now = timezone.now()
    with transaction.atomic():
        moved = _move(
            request.pk,
            Status.RECEIVED,
            at=now,
            actor=actor,
            acting_for=request.iin if request.representative_iin else "",
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
