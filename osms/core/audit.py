"""The audit trail (django-auditlog): every state change of a registered model, and every staff
read of a citizen's personal data, with who, when, what, which object and from which address.

Models register here (or in their own app's `audit.py`, imported by its AppConfig.ready).
Reads are recorded by `audit_read`, which the back office calls when staff open a record (the
admin's AuditedReadMixin, osms/core/admin_audit.py, calls it for change views, searched lists,
downloads and exports). One read of one record is recorded once per request.
"""

from __future__ import annotations

import contextlib
import contextvars

from auditlog.models import LogEntry
from auditlog.receivers import log_access
from auditlog.registry import auditlog
from auditlog.signals import accessed
from django.contrib.auth.models import Group

from .models import CalendarException

_reads: contextvars.ContextVar[set | None] = contextvars.ContextVar("audited_reads", default=None)


@contextlib.contextmanager
def reads_of_one_request():
    """Within it, a record read twice (a view and its mixin both recording) gets one entry."""
    token = _reads.set(set())
    try:
        yield
    finally:
        _reads.reset(token)


def audit_read(*, instance) -> None:
    """Record that the current actor (set by AuditlogMiddleware) read this record."""
    seen = _reads.get()
    if seen is not None:
        key = (instance._meta.label, instance.pk)
        if key in seen:
            return
        seen.add(key)
    if auditlog.contains(type(instance)):
        accessed.send(sender=type(instance), instance=instance)
    else:
        # Models kept out of the change log for their volume (payments, lookups) are still read
        # under audit: the access entry is written directly.
        log_access(sender=type(instance), instance=instance)


auditlog.register(CalendarException)
auditlog.register(Group, m2m_fields={"permissions"})

__all__ = ["LogEntry", "audit_read", "auditlog", "reads_of_one_request"]
