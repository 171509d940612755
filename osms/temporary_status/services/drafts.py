"""The citizen's side: the draft and its documents, kept in the database from the first answer, and
the submission confirmed by an SMS code."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osms.accounts.codes import CodeError, code_issue, code_verify
from osms.accounts.models import OneTimeCode, User
from osms.core import uploads
from osms.core.calendar import business_calendar
from osms.representation.acting import ActingSubject, subject_or_self

from .. import rules, selectors
from ..models import TemporaryStatusDocument, TemporaryStatusRequest
from .moves import (
    Event,
    Status,
    TemporaryStatusError,
    check_category,
    check_eligible,
    code_subject,
    event_record,
    lock,
    move,
    notify,
    require_draft_of,
)

# Per request, all files together (read at call time, so tests may lower it).
REQUEST_BYTES_LIMIT = uploads.MAX_REQUEST_BYTES
UPLOAD_FOLDER = "temporary_status"


# --- the citizen's draft -----------------------------------------------------------------------------


def temporary_status_start(
    *,
    actor: User,
    category: int,
    now: dt.datetime | None = None,
    subject: ActingSubject | None = None,
    wwii_veteran: bool | None = None,
) -> TemporaryStatusRequest:
    """Start a request for a category, or change the category of the draft the citizen already has.
    `subject`: for whom (a ward, asked for by the representative `actor`; by default the actor).
    `wwii_veteran`: the answer category 9 asks (only a veteran is asked for the veteran's certificate).

    Changing the category keeps the files of the documents both categories need."""
    subject = subject_or_self(subject, actor)
    now = now or timezone.now()
    today = timezone.localdate(now)
    check_eligible(actor, on=today, iin=subject.iin)
    chosen = selectors.category_get(number=category)
    check_category(actor, chosen, on=today, iin=subject.iin)
    if rules.asks_wwii_veteran(category) and wwii_veteran is None:
        raise TemporaryStatusError(_("Say whether you are a veteran of the Great Patriotic War."))
    wwii_veteran = wwii_veteran if rules.asks_wwii_veteran(category) else None
    with transaction.atomic():
        draft = (
            TemporaryStatusRequest.objects.select_for_update()
            .filter(user=actor, iin=subject.iin, status=Status.DRAFT)
            .first()
        )
        if draft is None:
            try:
                with transaction.atomic():
                    draft = TemporaryStatusRequest.objects.create(
                        user=actor,
                        iin=subject.iin,
                        representative_iin=subject.representative_iin,
                        category=chosen,
                        wwii_veteran=wwii_veteran,
                        created_at=now,
                        draft_expires_at=rules.draft_expiry(now),
                    )
            except IntegrityError:
                # Another tab started one a moment ago: one open request at a time.
                raise TemporaryStatusError(_("You already have a request in progress.")) from None
            event_record(draft, Event.STARTED, actor=actor, note=f"{chosen.number}", at=now)
            return draft
        if draft.category_id != chosen.number or draft.wwii_veteran != wwii_veteran:
            previous = draft.category_id
            draft.category, draft.wwii_veteran = chosen, wwii_veteran
            draft.save(update_fields=["category", "wwii_veteran"])
            stale = draft.documents.exclude(kind__in=draft.required_documents)
            for document in stale:
                _file_forget(document.file)
            stale.delete()
            event_record(draft, Event.CATEGORY_CHANGED, actor=actor, note=f"{previous} \u2192 {chosen.number}", at=now)
        return draft


def _file_forget(name: str) -> None:
    transaction.on_commit(lambda: uploads.private_storage.delete(name))


def temporary_status_document_upload(
    *, actor: User, request: TemporaryStatusRequest, kind: str, file
) -> TemporaryStatusDocument:
    """Check one file by content and keep it as the draft's document `kind` (replacing an earlier one).

    Raises uploads.UploadRejected (the message says why); the refusal is recorded, and nothing else
    of the draft changes."""
    with transaction.atomic():
        request = lock(request)
        require_draft_of(actor, request)
        if kind not in request.required_documents:
            raise TemporaryStatusError(_("This category does not need that document."))
        used = selectors.bytes_used(request, except_kind=kind)
        try:
            checked = uploads.upload_check(file, already_used=used, total_limit=REQUEST_BYTES_LIMIT)
        except uploads.UploadRejected as exc:
            event_record(request, Event.UPLOAD_REFUSED, actor=actor, note=f"{kind}: {exc.code}")
            rejected = exc
        else:
            rejected = None
    if rejected is not None:
        raise rejected
    stored = uploads.upload_store(checked, folder=f"{UPLOAD_FOLDER}/{timezone.now():%Y/%m}")
    try:
        with transaction.atomic():
            request = lock(request)
            require_draft_of(actor, request)
            old = request.documents.filter(kind=kind).first()
            if old is not None:
                _file_forget(old.file)
                old.delete()
            document = TemporaryStatusDocument.objects.create(
                request=request,
                kind=kind,
                name=checked.name,
                file=stored,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
            )
            event_record(request, Event.DOCUMENT_UPLOADED, actor=actor, note=f"{kind}: {checked.name}")
    except BaseException:
        uploads.private_storage.delete(stored)
        raise
    return document


def temporary_status_document_remove(
    *, actor: User, request: TemporaryStatusRequest, document: TemporaryStatusDocument
) -> None:
    with transaction.atomic():
        request = lock(request)
        require_draft_of(actor, request)
        if document.request_id != request.pk:
            raise PermissionDenied
        _file_forget(document.file)
        document.delete()
        event_record(request, Event.DOCUMENT_REMOVED, actor=actor, note=f"{document.kind}: {document.name}")


def temporary_status_cancel(*, actor: User, request: TemporaryStatusRequest) -> None:
    """The citizen gives the draft up; its files are deleted."""
    with transaction.atomic():
        request = lock(request)
        require_draft_of(actor, request)
        draft_discard(request, actor=actor)


def draft_discard(request: TemporaryStatusRequest, *, actor, at=None, note: str = "") -> None:
    """Cancel a (locked) draft and delete its documents, files included once the transaction commits."""
    for document in request.documents.all():
        _file_forget(document.file)
    request.documents.all().delete()
    move(request, Status.CANCELLED, actor=actor, event=Event.CANCELLED, note=note, at=at)


def missing_of(request: TemporaryStatusRequest) -> list[str]:
    return rules.missing_documents(
        required=request.required_documents, uploaded=set(request.documents.values_list("kind", flat=True))
    )


def _check_ready(actor, request: TemporaryStatusRequest, *, on: dt.date) -> None:
    require_draft_of(actor, request)
    if missing_of(request):
        raise TemporaryStatusError(_("Upload every document the category needs first."))
    # Status may have come by another way while the draft waited (a payment, the benefit register).
    view = selectors.eligibility_of(user=actor, on=on, iin=request.iin)
    if not view.eligibility.allowed:
        raise TemporaryStatusError(str(view.eligibility.message))


def temporary_status_code_send(*, actor: User, request: TemporaryStatusRequest, now: dt.datetime | None = None):
    """Send the SMS code that confirms this request (and no other)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = lock(request)
        _check_ready(actor, request, on=timezone.localdate(now))
        if not actor.phone:
            raise TemporaryStatusError(_("Your account has no mobile phone. Add one in your profile first."))
        code = code_issue(user=actor, purpose=OneTimeCode.Purpose.CONFIRMATION, subject=code_subject(request))
        event_record(request, Event.CODE_SENT, actor=actor, note=actor.phone[-4:])
    return code


def temporary_status_submit(
    *, actor: User, request: TemporaryStatusRequest, code: str, now: dt.datetime | None = None
) -> TemporaryStatusRequest:
    """Confirm the request with its SMS code: it gets its number and deadline and joins the queue.

    Raises CodeError for a wrong code. The code is used up in the same transaction as the submission
    it confirms (a failure after it leaves the code good for the next try); a wrong code's counted
    try is kept: raised after the commit."""
    rejected = None
    with transaction.atomic():
        try:
            code_verify(user=actor, purpose=OneTimeCode.Purpose.CONFIRMATION, code=code, subject=code_subject(request))
        except CodeError as exc:
            rejected = exc
        if rejected is None:
            request = _submit_confirmed(actor=actor, request=request, now=now)
    if rejected is not None:
        raise rejected
    return request


def _submit_confirmed(*, actor: User, request: TemporaryStatusRequest, now: dt.datetime | None = None):
    """The submission once the code is accepted (the demo data, which has no phone to read, calls it
    directly; nothing a person reaches does)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = lock(request)
        _check_ready(actor, request, on=timezone.localdate(now))
        request.submitted_at = now
        request.number = rules.request_number(pk=request.pk, submitted=timezone.localdate(now))
        request.review_due_at = rules.review_deadline(now, calendar=business_calendar())
        move(request, Status.SUBMITTED, actor=actor, event=Event.SUBMITTED, note=request.number, at=now)
        notify(
            request,
            subject=gettext_lazy("Your request for temporary status has been received"),
            body=gettext_lazy("Request %(number)s. The Fund will check your documents and answer by %(deadline)s."),
        )
    return request
