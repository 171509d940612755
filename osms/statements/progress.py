"""Live progress of a statement request (docs/adr/0015): the small JSON answer the request page polls
until the document is issued. Access is the request page's own (`views._own_request`: the citizen's
request, or the ward's when the citizen acts for them, without an audit row per poll), and the answer
is never stored by a cache."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import StatementRequest

Status = StatementRequest.Status


def announcement(statement: StatementRequest) -> str:
    """What a screen reader says when the request reaches this stage."""
    return {
        Status.DRAFT: _("The request waits for your confirmation."),
        Status.RECEIVED: _("The request has been received and waits for processing."),
        Status.PROCESSING: _("Your statement is being prepared."),
        Status.ISSUED: _("Your statement has been issued. It is shown on this page."),
        Status.REFUSED: _("Your request has been refused. The refusal is shown on this page."),
    }.get(statement.status, "")


def follows_itself(statement: StatementRequest) -> bool:
    """The page updates itself while the request is with the Fund (received or being prepared)."""
    return statement.status in StatementRequest.OPEN_STATUSES


@login_required
@require_GET
@never_cache
def statement_progress(request: HttpRequest, number: str) -> JsonResponse:
    from .views import _own_request

    # Polled every few seconds: the right is checked on each poll (an ended one is refused by the
    # middleware), but only the page's opening writes the audit row of viewing a ward's request.
    statement = _own_request(request, number, audit=False)
    return JsonResponse(
        {
            "state": statement.status,
            "label": statement.get_status_display(),
            "final": not follows_itself(statement),
            "announcement": announcement(statement),
        }
    )
