"""The back office's view of records made for a ward (docs/adr/0702-services-for-a-ward.md): the list
filter "filed by", and the record page's "representative" (name and IIN) beside the ward's IIN. Used by
the admins of the four services."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class RepresentativeFilter(admin.SimpleListFilter):
    title = _("filed by")
    parameter_name = "filed_by"

    def lookups(self, request, model_admin):
        return [("representative", _("a representative, for a ward")), ("self", _("the person themself"))]

    def queryset(self, request, queryset):
        if self.value() == "representative":
            return queryset.exclude(representative_iin="")
        if self.value() == "self":
            return queryset.filter(representative_iin="")
        return queryset


class RepresentativeMixin:
    """`representative` for `fields`/`list_display`: who acted for the ward, by name and IIN ("—" when
    the person filed for themself). `representative_account` names the record's account field."""

    representative_account = "user"

    @admin.display(description=_("representative"))
    def representative(self, obj) -> str:
        if not obj.representative_iin:
            return "—"
        account = getattr(obj, self.representative_account, None)
        name = account.get_full_name() if account is not None else ""
        return (
            gettext("%(name)s, IIN %(iin)s") % {"name": name, "iin": obj.representative_iin}
            if name
            else obj.representative_iin
        )
