"""A fund officer's refusal (Приложение 1, item 9; docs/adr/0205-statement-refusal-by-fund-officer.md).

The system refuses by itself only for missing consent (the one ground it knows). The other grounds
(unreliable documents or data, requirements not met, a court decision) are established by the Fund:
an officer refuses a request still open, names the ground and gives the reason the citizen reads in
the motivated refusal. The move goes through the kernel's `transition()` with the officer's role,
under the request's row lock, so a worker finishing at the same moment finds the request no longer
its own and leaves it (`_finish` returns "superseded").
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osms.core.calendar import ALMATY

from .. import rendering, rules
from ..models import StatementDocument, StatementRequest
from ..workflow import REFUSE, REQUEST, StatementError
from .processing import _build, _notify_finished

# The grounds an officer chooses from: consent is checked by the system, from the request itself.
OFFICER_GROUNDS = tuple(ground for ground in StatementRequest.RefusalGround if ground != rules.GROUND_NO_CONSENT)


def statement_refuse(*, actor, request: StatementRequest, ground: str, reason: str) -> StatementDocument:
    """Refuse an open request on `ground` with `reason` (shown to the citizen); issue the motivated refusal."""
    reason = (reason or "").strip()
    if ground not in OFFICER_GROUNDS:
        raise StatementError(_("Choose a ground of refusal."), code="ground")
    if not reason:
        raise StatementError(_("Write the reason the citizen will read."), code="reason")
    if request.is_final or request.status == StatementRequest.Status.DRAFT:
        raise StatementError(_("Only a request that is received and not yet issued can be refused."), code="status")
    now = timezone.now()
    built = _build(request, issued_at=now, ground=ground, reason=reason[:1000])
    with transaction.atomic():
        REQUEST.transition(
            request,
            REFUSE,
            actor=actor,
            at=now,
            note=built.number,
            fields={
                "finished_at": now,
                "refusal_ground": ground,
                "claim_token": None,  # nosec B105 # a worker's claim released, not a secret
                "last_error": "",
            },
        )
        document = StatementDocument(
            request=request,
            number=built.number,
            kind=built.kind,
            language=request.language,
            issued_at=now,
            holder_iin=request.iin,
            content=built.content,
            sha256=rendering.sha256(built.pdf),
            size=len(built.pdf),
        )
        document.pdf.save(f"{now.astimezone(ALMATY):%Y/%m}/{built.number}.pdf", ContentFile(built.pdf), save=False)
        document.save()
        _notify_finished(request, built.kind)
    return document
