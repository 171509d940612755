"""Every write of the temporary-status area: the citizen's draft and its documents, the SMS-confirmed
submission, the fund officer's decision, and the periodic sweep (overdue reviews, expiry notices,
expiry). Each step moves the request through `_move` (one table of allowed moves, workflow.REQUEST),
writes one event row, and is recorded by the audit trail; notifications are queued on commit."""

from .drafts import (
    REQUEST_BYTES_LIMIT,
    _submit_confirmed,
    missing_of,
    temporary_status_cancel,
    temporary_status_code_send,
    temporary_status_document_remove,
    temporary_status_document_upload,
    temporary_status_start,
    temporary_status_submit,
)
from .moves import TemporaryStatusError, code_subject
from .review import temporary_status_approve, temporary_status_document_opened, temporary_status_refuse
from .sweep import SweepReport, temporary_status_sweep

__all__ = [
    "REQUEST_BYTES_LIMIT",
    "SweepReport",
    "TemporaryStatusError",
    "_submit_confirmed",
    "code_subject",
    "missing_of",
    "temporary_status_approve",
    "temporary_status_cancel",
    "temporary_status_code_send",
    "temporary_status_document_opened",
    "temporary_status_document_remove",
    "temporary_status_document_upload",
    "temporary_status_refuse",
    "temporary_status_start",
    "temporary_status_submit",
    "temporary_status_sweep",
]
