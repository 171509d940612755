"""Every write of the temporary-status area: the citizen's draft and its documents, the SMS-confirmed
submission, the fund officer's decision, and the periodic sweep (overdue reviews, expiry notices,
expiry). Each step moves the request through `_move` (one table of allowed moves, rules.TRANSITIONS),
writes one event row, and is recorded by the audit trail; notifications are queued on commit."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osms.accounts.codes import code_issue, code_verify
from osms.accounts.models import OneTimeCode, Role, User
from osms.core import uploads
from osms.core.calendar import business_calendar
from osms.core.notifications import notification_create
from osms.coverage.services import membership_grant_temporary

from . import rules, selectors
from .models import TemporaryStatusDocument, TemporaryStatusEvent, TemporaryStatusRequest

logger = logging.getLogger("osms.temporary_status")

Status = TemporaryStatusRequest.Status
Event = TemporaryStatusEvent.Kind
# Per request, all files together (the module constant is read at call time, so tests may lower it).
REQUEST_BYTES_LIMIT = uploads.MAX_REQUEST_BYTES
UPLOAD_FOLDER = "temporary_status"


class TemporaryStatusError(Exception):
    """The step cannot be taken; the message says why, in the user's language."""


def code_subject(request: TemporaryStatusRequest) -> str:
    """What an SMS code confirms: this request and no other."""
    return f"temporary:{request.pk}"


# --- moving a request ---------------------------------------------------------------------------


def _event(request: TemporaryStatusRequest, kind: str, *, actor=None, detail: str = "", at=None) -> None:
    TemporaryStatusEvent.objects.create(
        request=request, kind=kind, actor=actor, detail=detail[:500], at=at or timezone.now()
    )


def _move(request: TemporaryStatusRequest, target: str, *, actor, event: str, detail: str = "", at=None) -> None:
    """The one way a request changes stage: checked against the table, saved, recorded."""
    if not rules.can_move(request.status, target):
        raise TemporaryStatusError(
            _("A request at the stage \u201c%(current)s\u201d cannot become \u201c%(target)s\u201d.")
            % {"current": Status(request.status).label, "target": Status(target).label}
        )
    request.status = target
    request.save()
    _event(request, event, actor=actor, detail=detail, at=at)


def _lock(request: TemporaryStatusRequest) -> TemporaryStatusRequest:
    return TemporaryStatusRequest.objects.select_for_update().select_related("category", "user").get(pk=request.pk)


def _require_draft_of(actor, request: TemporaryStatusRequest) -> None:
    if request.user_id != actor.pk:
        raise PermissionDenied
    if request.status != Status.DRAFT:
        raise TemporaryStatusError(_("This request has been sent and can no longer be changed."))


def _check_eligible(actor, *, on: dt.date) -> None:
    view = selectors.eligibility_of(user=actor, on=on)
    if not view.eligibility.allowed:
        raise TemporaryStatusError(str(view.eligibility.message))


def _check_category(actor, category, *, on: dt.date) -> None:
    if category is None or not category.by_application:
        raise TemporaryStatusError(_("Temporary status cannot be asked for this category."))
    birth = actor.birth_date
    if birth is None:
        from osms.core.iin import iin_birth_date

        birth = iin_birth_date(actor.iin)
    misfit = rules.category_misfit(category=category.number, iin=actor.iin, birth=birth, today=on)
    if misfit is not None:
        raise TemporaryStatusError(str(misfit))


# --- the citizen's draft -----------------------------------------------------------------------------


def temporary_status_start(*, actor: User, category: int, now: dt.datetime | None = None) -> TemporaryStatusRequest:
    """Start a request for a category, or change the category of the draft the citizen already has.

    Changing the category keeps the files of the documents both categories need."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    _check_eligible(actor, on=today)
    chosen = selectors.category_get(number=category)
    _check_category(actor, chosen, on=today)
    with transaction.atomic():
        draft = TemporaryStatusRequest.objects.select_for_update().filter(user=actor, status=Status.DRAFT).first()
        if draft is None:
            try:
                with transaction.atomic():
                    draft = TemporaryStatusRequest.objects.create(
                        user=actor, iin=actor.iin, category=chosen, created_at=now
                    )
            except IntegrityError:
                # Another tab started one a moment ago: one open request at a time.
                raise TemporaryStatusError(_("You already have a request in progress.")) from None
            _event(draft, Event.STARTED, actor=actor, detail=f"{chosen.number}", at=now)
            return draft
        if draft.category_id != chosen.number:
            previous = draft.category_id
            draft.category = chosen
            draft.save(update_fields=["category"])
            stale = draft.documents.exclude(kind__in=chosen.documents)
            for document in stale:
                _file_forget(document.file)
            stale.delete()
            _event(draft, Event.CATEGORY_CHANGED, actor=actor, detail=f"{previous} \u2192 {chosen.number}", at=now)
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
        request = _lock(request)
        _require_draft_of(actor, request)
        if kind not in request.category.documents:
            raise TemporaryStatusError(_("This category does not need that document."))
        used = selectors.bytes_used(request, except_kind=kind)
        try:
            checked = uploads.upload_check(file, already_used=used, total_limit=REQUEST_BYTES_LIMIT)
        except uploads.UploadRejected as exc:
            _event(request, Event.UPLOAD_REFUSED, actor=actor, detail=f"{kind}: {exc.code}")
            rejected = exc
        else:
            rejected = None
    if rejected is not None:
        raise rejected
    stored = uploads.upload_store(checked, folder=f"{UPLOAD_FOLDER}/{timezone.now():%Y/%m}")
    try:
        with transaction.atomic():
            request = _lock(request)
            _require_draft_of(actor, request)
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
            _event(request, Event.DOCUMENT_UPLOADED, actor=actor, detail=f"{kind}: {checked.name}")
    except BaseException:
        uploads.private_storage.delete(stored)
        raise
    return document


def temporary_status_document_remove(
    *, actor: User, request: TemporaryStatusRequest, document: TemporaryStatusDocument
) -> None:
    with transaction.atomic():
        request = _lock(request)
        _require_draft_of(actor, request)
        if document.request_id != request.pk:
            raise PermissionDenied
        _file_forget(document.file)
        document.delete()
        _event(request, Event.DOCUMENT_REMOVED, actor=actor, detail=f"{document.kind}: {document.name}")


def temporary_status_cancel(*, actor: User, request: TemporaryStatusRequest) -> None:
    """The citizen gives the draft up; its files are deleted."""
    with transaction.atomic():
        request = _lock(request)
        _require_draft_of(actor, request)
        for document in request.documents.all():
            _file_forget(document.file)
        request.documents.all().delete()
        _move(request, Status.CANCELLED, actor=actor, event=Event.CANCELLED)


def missing_of(request: TemporaryStatusRequest) -> list[str]:
    return rules.missing_documents(
        required=list(request.category.documents), uploaded=set(request.documents.values_list("kind", flat=True))
    )


def _check_ready(actor, request: TemporaryStatusRequest, *, on: dt.date) -> None:
    _require_draft_of(actor, request)
    if missing_of(request):
        raise TemporaryStatusError(_("Upload every document the category needs first."))
    # Status may have come by another way while the draft waited (a payment, the benefit register).
    view = selectors.eligibility_of(user=actor, on=on)
    if not view.eligibility.allowed:
        raise TemporaryStatusError(str(view.eligibility.message))


def temporary_status_code_send(*, actor: User, request: TemporaryStatusRequest, now: dt.datetime | None = None):
    """Send the SMS code that confirms this request (and no other)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock(request)
        _check_ready(actor, request, on=timezone.localdate(now))
        if not actor.phone:
            raise TemporaryStatusError(_("Your account has no mobile phone. Add one in your profile first."))
        code = code_issue(user=actor, purpose=OneTimeCode.Purpose.CONFIRMATION, subject=code_subject(request))
        _event(request, Event.CODE_SENT, actor=actor, detail=actor.phone[-4:])
    return code


def temporary_status_submit(
    *, actor: User, request: TemporaryStatusRequest, code: str, now: dt.datetime | None = None
) -> TemporaryStatusRequest:
    """Confirm the request with its SMS code: it gets its number and deadline and joins the queue.

    Raises CodeError for a wrong code (counted: verified before this function's own transaction)."""
    code_verify(user=actor, purpose=OneTimeCode.Purpose.CONFIRMATION, code=code, subject=code_subject(request))
    return _submit_confirmed(actor=actor, request=request, now=now)


def _submit_confirmed(*, actor: User, request: TemporaryStatusRequest, now: dt.datetime | None = None):
    """The submission once the code is accepted (the demo data, which has no phone to read, calls it
    directly; nothing a person reaches does)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock(request)
        _check_ready(actor, request, on=timezone.localdate(now))
        request.submitted_at = now
        request.number = rules.request_number(pk=request.pk, submitted=timezone.localdate(now))
        request.review_due_at = rules.review_deadline(now, calendar=business_calendar())
        _move(request, Status.SUBMITTED, actor=actor, event=Event.SUBMITTED, detail=request.number, at=now)
        _notify(
            request,
            subject=gettext_lazy("Your request for temporary status has been received"),
            body=gettext_lazy("Request %(number)s. The Fund will check your documents and answer by %(deadline)s."),
        )
    return request


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
    answer says "insured" at once (DOMAIN §4 rule 1, §7)."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock(request)
        _check_reviewer(actor, request)
        if not rules.can_move(request.status, Status.APPROVED):
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
        _move(
            request,
            Status.APPROVED,
            actor=actor,
            event=Event.APPROVED,
            detail=f"{membership.start:%d.%m.%Y}\u2013{membership.end:%d.%m.%Y}",
            at=now,
        )
        _notify(
            request,
            subject=gettext_lazy("Temporary status granted"),
            body=gettext_lazy(
                "Request %(number)s is approved. You are insured as \u201c%(category)s\u201d from %(start)s to %(end)s."
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
        request = _lock(request)
        _check_reviewer(actor, request)
        if not rules.can_move(request.status, Status.REFUSED):
            raise TemporaryStatusError(_("This request has already been decided."))
        request.refusal_reason = reason
        request.refusal_text = text
        request.decided_at = now
        request.decided_by = actor
        _move(request, Status.REFUSED, actor=actor, event=Event.REFUSED, detail=reason, at=now)
        _notify(
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
    _event(document.request, Event.DOCUMENT_OPENED, actor=actor, detail=f"{document.kind}: {document.name}")


# --- notifications --------------------------------------------------------------------------------------


def _notify(request: TemporaryStatusRequest, *, subject, body) -> None:
    """Tell the citizen, in their language, with a link to the request."""
    user = request.user
    with translation.override(user.language):
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
            body=str(body) % values,
            url=reverse("temporary_status:detail", args=[request.pk]),
        )


def _local(moment: dt.datetime | None) -> str:
    return "" if moment is None else date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _day(day: dt.date | None) -> str:
    return "" if day is None else date_format(day, "SHORT_DATE_FORMAT")


# --- the sweep ------------------------------------------------------------------------------------------

SWEEP_BATCH = 200


@dataclass
class SweepReport:
    overdue: int = 0
    noticed: int = 0
    expired: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _batches(queryset, act, *, now: dt.datetime) -> int:
    """Act on each row the query finds, in small transactions; rows another sweep holds are skipped
    (select_for_update(skip_locked=True)), and a row acted on no longer matches, so a second run
    finds nothing to do."""
    done = 0
    while True:
        with transaction.atomic():
            rows = list(
                queryset.select_for_update(skip_locked=True, of=("self",)).select_related("user", "category")[
                    :SWEEP_BATCH
                ]
            )
            for row in rows:
                act(row, now)
        done += len(rows)
        if len(rows) < SWEEP_BATCH:
            return done


def _flag_overdue(request: TemporaryStatusRequest, now: dt.datetime) -> None:
    request.overdue_at = now
    request.save(update_fields=["overdue_at"])
    _event(request, Event.REVIEW_OVERDUE, at=now)
    _notify(
        request,
        subject=gettext_lazy("Your request is taking longer than it should"),
        body=gettext_lazy(
            "The Fund has not answered request %(number)s within 3 working days. The officers have been "
            "reminded; you will get the answer by SMS and in your cabinet."
        ),
    )


def _send_expiry_notice(request: TemporaryStatusRequest, now: dt.datetime) -> None:
    request.expiry_notice_sent_at = now
    request.save(update_fields=["expiry_notice_sent_at"])
    _event(request, Event.EXPIRY_NOTICE, at=now)
    _notify(
        request,
        subject=gettext_lazy("Your temporary status ends soon"),
        body=gettext_lazy(
            "Your temporary status (request %(number)s) ends on %(end)s. If your benefit is still not in the "
            "Fund's database then, you may send a new request."
        ),
    )


def _close(request: TemporaryStatusRequest, now: dt.datetime) -> None:
    request.ended_at = now
    _move(request, Status.EXPIRED, actor=None, event=Event.EXPIRED, at=now)
    _notify(
        request,
        subject=gettext_lazy("Your temporary status has ended"),
        body=gettext_lazy(
            "Your temporary status (request %(number)s) ended on %(end)s. Check your status in the cabinet; "
            "if you are not insured, you may send a new request."
        ),
    )


def _tell_officers(count: int) -> None:
    """One message to each fund officer per sweep that found requests newly past their deadline."""
    officers = User.objects.filter(groups__name=Role.FUND_OFFICER, is_active=True).distinct()
    for officer in officers:
        with translation.override(officer.language):
            url = reverse("admin:temporary_status_temporarystatusrequest_changelist") + "?stage=overdue"
            notification_create(
                user=officer,
                subject=_("Temporary-status requests past their deadline"),
                body=_("%(count)d more request(s) for temporary status were not answered within 3 working days.")
                % {"count": count},
                url=url,
                sms=False,
            )


def temporary_status_sweep(*, now: dt.datetime | None = None) -> SweepReport:
    """The periodic sweep (every 15 minutes; `now` lets tests and the worker test move time):

    1. reviews past their 3-working-day deadline are flagged, the citizen told, the officers reminded;
    2. a few days before the month of status ends, the citizen is told;
    3. after the last day, the request is closed and the citizen told (the membership's end date has
       already ended the status: the status answer needs no sweep)."""
    now = now or timezone.now()
    report = SweepReport()
    report.overdue = _batches(
        TemporaryStatusRequest.objects.filter(
            status=Status.SUBMITTED, review_due_at__lte=now, overdue_at__isnull=True
        ).order_by("review_due_at"),
        _flag_overdue,
        now=now,
    )
    if report.overdue:
        _tell_officers(report.overdue)
        logger.warning("temporary status: %d request(s) newly past the review deadline", report.overdue)
    report.noticed = _batches(
        TemporaryStatusRequest.objects.filter(
            Q(ends_at__gt=now),
            status=Status.APPROVED,
            expiry_notice_due_at__lte=now,
            expiry_notice_sent_at__isnull=True,
        ).order_by("expiry_notice_due_at"),
        _send_expiry_notice,
        now=now,
    )
    report.expired = _batches(
        TemporaryStatusRequest.objects.filter(status=Status.APPROVED, ends_at__lte=now).order_by("ends_at"),
        _close,
        now=now,
    )
    return report
