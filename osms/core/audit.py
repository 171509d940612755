"""The audit trail (django-auditlog): every state change of a registered model, and every staff
read of a citizen's personal data, with who, when, what, which object and from which address.

Models register here (or in their own app's `audit.py`, imported by its AppConfig.ready).
Reads are recorded by `audit_read`, which the back office calls when staff open a record.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from auditlog.signals import accessed
from django.contrib.auth.models import Group

from .models import CalendarException


def audit_read(*, instance) -> None:
    """Record that the current actor (set by AuditlogMiddleware) read this record."""
    accessed.send(sender=type(instance), instance=instance)


auditlog.register(CalendarException)
auditlog.register(Group, m2m_fields={"permissions"})

__all__ = ["LogEntry", "audit_read", "auditlog"]
