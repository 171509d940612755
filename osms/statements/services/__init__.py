"""Every write of the statement service: requests, their processing and sweep, complaints.

A request moves only along `workflow.REQUEST`, by `_move`, which records the stage it enters
(the monitoring of state services). Processing is claimed by a conditional UPDATE that hands out a
claim token; only the holder of the token may finish, under a row lock, and the document is one-to-one
with its request: so a request is never issued twice, whichever worker, redelivery or sweep runs it.
The sweep queues again what a lost message or a dead worker left behind: a request is never lost.
"""

from ..workflow import StatementError
from .complaints import (
    ComplaintStatus,
    complaint_forward,
    complaint_record_decision,
    complaint_register,
    complaint_satisfy,
    complaints_sweep,
)
from .processing import _build, _claim, _finish, statement_process
from .refusal import OFFICER_GROUNDS, statement_refuse
from .requests import _receive, statement_confirmation_begin, statement_request_confirm, statement_request_create
from .sweep import statements_sweep

__all__ = [
    "OFFICER_GROUNDS",
    "ComplaintStatus",
    "StatementError",
    "_build",
    "_claim",
    "_finish",
    "_receive",
    "complaint_forward",
    "complaint_record_decision",
    "complaint_register",
    "complaint_satisfy",
    "complaints_sweep",
    "statement_confirmation_begin",
    "statement_process",
    "statement_refuse",
    "statement_request_confirm",
    "statement_request_create",
    "statements_sweep",
]
