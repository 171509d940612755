"""Back-office building blocks shared by every app's admin.

`AuditedReadMixin`: opening a citizen's record in the back office is a read of personal data, so
`change_view` writes the audit trail's "accessed" entry (osms/core/audit.py) for a record the staff
member may view, before the page is built. Admins whose change page is their own (the clinics'
answer page) call `audit_opened()` where they fetch the record.
"""

from __future__ import annotations

from .audit import audit_read


class AuditedReadMixin:
    """Put first among an admin's bases: `class PersonAdmin(AuditedReadMixin, admin.ModelAdmin)`."""

    def audit_opened(self, request, obj) -> None:
        if obj is not None and self.has_view_or_change_permission(request, obj):
            audit_read(instance=obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.audit_opened(request, self.get_object(request, object_id))
        return super().change_view(request, object_id, form_url, extra_context)
