"""Back-office building blocks shared by every app's admin. The audited-read mixin, which every
admin showing a person's data carries, is in `osms/core/admin_audit.py`."""

from __future__ import annotations

from django.contrib import admin


class ReadOnlyAdminMixin:
    """A record kept as it was written (a log, an import, a register's copy): staff may read it in the
    back office but not add, change or delete it there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
