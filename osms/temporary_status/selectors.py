"""Reads of the temporary-status area that the pages, the back office and the services share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osms.accounts.models import Role
from osms.accounts.selectors import CitizenRequest
from osms.coverage.models import BenefitCategory
from osms.coverage.rules import StatusAnswer
from osms.coverage.selectors import status_answer

from . import rules
from .models import TemporaryStatusDocument, TemporaryStatusRequest

Status = TemporaryStatusRequest.Status
REVIEW_PERMISSION = "temporary_status.review_temporarystatusrequest"


def categories_by_application() -> QuerySet[BenefitCategory]:
    """The categories a person may ask temporary status for (not 14 and 15: §5)."""
    return BenefitCategory.objects.filter(by_application=True).order_by("number")


def category_get(*, number: int) -> BenefitCategory | None:
    return BenefitCategory.objects.filter(number=number).first()


def draft_of(*, user, iin: str | None = None) -> TemporaryStatusRequest | None:
    return (
        TemporaryStatusRequest.objects.filter(user=user, iin=iin or user.iin, status=Status.DRAFT)
        .select_related("category")
        .prefetch_related("documents")
        .first()
    )


def pending_of(*, user, iin: str | None = None) -> TemporaryStatusRequest | None:
    return TemporaryStatusRequest.objects.filter(user=user, iin=iin or user.iin, status=Status.SUBMITTED).first()


def temporary_until(*, iin: str, on: dt.date) -> dt.date | None:
    """The last day of a temporary status granted to this IIN and holding on `on`, if any."""
    return (
        TemporaryStatusRequest.objects.filter(
            iin=iin, status=Status.APPROVED, status_from__lte=on, status_until__gte=on
        )
        .order_by("-status_until")
        .values_list("status_until", flat=True)
        .first()
    )


@dataclass(frozen=True)
class EligibilityView:
    eligibility: rules.Eligibility
    answer: StatusAnswer | None
    pending: TemporaryStatusRequest | None
    draft: TemporaryStatusRequest | None
    temporary_until: dt.date | None


def eligibility_of(*, user, on: dt.date | None = None, iin: str | None = None) -> EligibilityView:
    """Whether the user may ask now (for themself, or for the ward `iin` they act for), and the facts
    the page explains it with."""
    on = on or timezone.localdate()
    is_citizen = user.is_authenticated and user.has_role(Role.CITIZEN)
    if not is_citizen:
        return EligibilityView(
            rules.eligibility(is_citizen=False, insured=False, has_pending=False, temporary_until=None),
            None,
            None,
            None,
            None,
        )
    iin = iin or user.iin
    answer = status_answer(iin=iin, on=on)
    pending = pending_of(user=user, iin=iin)
    until = temporary_until(iin=iin, on=on)
    decision = rules.eligibility(
        is_citizen=True, insured=answer.insured, has_pending=pending is not None, temporary_until=until
    )
    return EligibilityView(decision, answer, pending, draft_of(user=user, iin=iin) if decision.allowed else None, until)


def requests_of(*, user, iin: str | None = None) -> list[TemporaryStatusRequest]:
    """The citizen's requests (or those made for the ward `iin`), newest first, cancelled drafts left out."""
    return list(
        TemporaryStatusRequest.objects.filter(user=user, iin=iin or user.iin)
        .exclude(status=Status.CANCELLED)
        .select_related("category")
        .order_by("-created_at")
    )


def request_of(*, user, pk: int, iin: str | None = None) -> TemporaryStatusRequest | None:
    """The user's own request (None for anybody else's: the pages answer 404, revealing nothing)."""
    return (
        TemporaryStatusRequest.objects.filter(user=user, iin=iin or user.iin, pk=pk)
        .select_related("category", "membership")
        .prefetch_related("documents")
        .first()
    )


def documents_by_kind(request: TemporaryStatusRequest) -> dict[str, TemporaryStatusDocument]:
    return {document.kind: document for document in request.documents.all()}


def bytes_used(request: TemporaryStatusRequest, *, except_kind: str | None = None) -> int:
    return sum(document.size for document in request.documents.all() if document.kind != except_kind)


def may_review(user) -> bool:
    """A fund officer signed in to the back office with the second factor."""
    return bool(
        user.is_authenticated
        and user.is_staff
        and user.has_perm(REVIEW_PERMISSION)
        and getattr(user, "is_verified", lambda: False)()
    )


@dataclass(frozen=True)
class DocumentAccess:
    document: TemporaryStatusDocument
    as_officer: bool


def document_for_reader(*, user, document_id: int) -> DocumentAccess | None:
    """The document, when this user may read it: its owner, or a fund officer for a sent request.

    Anybody else (another citizen, a clinic registrar, a staff member without the second factor)
    gets None, exactly as for a document that does not exist."""
    if not user.is_authenticated:
        return None
    document = (
        TemporaryStatusDocument.objects.filter(pk=document_id).select_related("request", "request__category").first()
    )
    if document is None:
        return None
    if document.request.user_id == user.pk:
        return DocumentAccess(document, as_officer=False)
    if document.request.status not in (Status.DRAFT, Status.CANCELLED) and may_review(user):
        return DocumentAccess(document, as_officer=True)
    return None


def review_queue() -> QuerySet[TemporaryStatusRequest]:
    """What fund officers work on: sent requests (never a citizen's drafts), oldest first."""
    return (
        TemporaryStatusRequest.objects.exclude(status__in=[Status.DRAFT, Status.CANCELLED])
        .select_related("user", "category", "decided_by")
        .order_by("submitted_at", "pk")
    )


def citizen_requests(*, user, iin: str | None = None) -> Iterable[CitizenRequest]:
    """The lines of "My requests" (osms/accounts/cabinet.py)."""
    for request in requests_of(user=user, iin=iin):
        yield CitizenRequest(
            service=_("Temporary status"),
            number=request.number or _("Draft"),
            submitted_at=request.submitted_at or request.created_at,
            stage=request.get_status_display(),
            url=reverse("temporary_status:detail", args=[request.pk]),
        )
