"""Every write of the appeals register: registration with a gap-free number, the moves of `rules.MOVES`
(one function, `common.move`, changes the status), contacts, answers, documents, and the periodic sweep.

Each service takes the acting user (None for the sweep), runs in one transaction, locks the appeal,
writes a timeline event, and queues notifications on commit (through `notification_create`).
"""

from ..rules import MoveRefused
from .common import actor_kinds, move
from .documents import (
    DRAFT_FILE_LIFETIME,
    appeal_draft_file_add,
    appeal_draft_file_remove,
    appeal_draft_files_discard,
    draft_files,
)
from .handling import appeal_accept, appeal_answer, appeal_assign, appeal_contact_record, appeal_reopen, appeal_start
from .registration import appeal_register
from .sweep import SweepResult, appeals_sweep

__all__ = [
    "DRAFT_FILE_LIFETIME",
    "MoveRefused",
    "SweepResult",
    "actor_kinds",
    "appeal_accept",
    "appeal_answer",
    "appeal_assign",
    "appeal_contact_record",
    "appeal_draft_file_add",
    "appeal_draft_file_remove",
    "appeal_draft_files_discard",
    "appeal_register",
    "appeal_reopen",
    "appeal_start",
    "appeals_sweep",
    "draft_files",
    "move",
]
