"""Back-office building blocks shared by every app's admin. The audited-read mixin, which every
admin showing a person's data carries, is in `osms/core/admin_audit.py`."""

from __future__ import annotations

from django.contrib import admin


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
