"""Back-office building blocks shared by every app's admin.

`AuditedReadMixin`: opening a citizen's record in the back office is a read of personal data, so
`change_view` writes the audit trail's "accessed" entry (osms/core/audit.py) for a record the staff
member may view, before the page is built. Admins whose change page is their own (the clinics'
answer page) call `audit_opened()` where they fetch the record.
"""

from __future__ import annotations

from django.contrib import admin

from .audit import audit_read


class AuditedReadMixin:
    """Put first among an admin's bases: `class PersonAdmin(AuditedReadMixin, admin.ModelAdmin)`."""

    def audit_opened(self, request, obj) -> None:
        if obj is not None and self.has_view_or_change_permission(request, obj):
            audit_read(instance=obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.audit_opened(request, self.get_object(request, object_id))
        return super().change_view(request, object_id, form_url, extra_context)


class DefaultChoiceFilter(admin.SimpleListFilter):
    """A list filter that starts on `DEFAULT` (the officers' queue) instead of "All": the default is
    shown selected when no choice is in the address, and "all" is one of the lookups."""

    DEFAULT = "all"

    def chosen(self) -> str:
        return self.value() or self.DEFAULT

    def choices(self, changelist):
        current = self.chosen()
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }
