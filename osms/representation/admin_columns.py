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


def representative_name(record, *, account=None) -> str:
    """The name of who acted for the ward: the record's account when it is theirs (made online),
    else their portal account's or the persons register's, by the IIN (a parent at the clinic's desk)."""
    iin = record.representative_iin
    if not iin:
        return ""
    account = account if account is not None else getattr(record, "user", None)
    if account is not None and account.iin == iin:
        return account.get_full_name()
    from osms.accounts.models import User
    from osms.coverage.models import Person

    user = User.objects.filter(iin=iin).first()
    if user is not None:
        return user.get_full_name()
    known = Person.objects.filter(iin=iin).first()
    return known.full_name if known is not None else ""


class RepresentativeMixin:
    """`representative` for `fields`/`list_display`: who acted for the ward, by name and IIN ("—" when
    the person filed for themself). `representative_account` names the record's account field."""

    representative_account = "user"

    @admin.display(description=_("representative"))
    def representative(self, obj) -> str:
        if not obj.representative_iin:
            return "—"
        name = representative_name(obj, account=getattr(obj, self.representative_account, None))
        return (
            gettext("%(name)s, IIN %(iin)s") % {"name": name, "iin": obj.representative_iin}
            if name
            else obj.representative_iin
        )
