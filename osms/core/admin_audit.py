"""Every staff read of a person's data in the back office is audited (ASVS 5.0 V16; DOMAIN §audit).

`AuditedReadMixin` goes first in the bases of every ModelAdmin that shows a person's data
(osms/core/tests/test_admin_audit.py walks the registry and fails on one that does not). It records,
as an ACCESS entry of the audit trail with the staff member and their address:

- the change (or view) page of a record;
- every row of a list page that is searched, or filtered by a field naming a person
  (`PERSON_FIELDS`, e.g. `?iin=…`, `?user__id__exact=…`) — what was on the screen, no more;
- a download or export made through `audited_download` / `audit_export`.

One record read twice in the same request is one entry (osms/core/audit.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.admin.utils import unquote

from .audit import audit_read

# Field names that name or identify a person. The walk test also uses them to tell which admins
# show personal data.
PERSON_FIELDS = frozenset(
    {
        "iin",
        "consumer_iin",
        "applicant_iin",
        "holder_iin",
        "signer_iin",
        "username",  # django-axes: the IIN typed at sign-in
        "user",
        "applicant",
        "last_name",
        "first_name",
        "patronymic",
        "birth_date",
        "phone",
        "email",
        "contact_phone",
        "contact_email",
        "postal_address",
        "ip_address",
        "ward",  # representation: the person acted for
        "ward_iin",
        "representative_iin",
    }
)
_LIST_CONTROLS = {"o", "p", "all", "_changelist_filters", "_to_field", "_popup", "e"}


def searched_or_filtered_by_person(params) -> bool:
    if (params.get("q") or "").strip():
        return True
    for name, value in params.items():
        if name in _LIST_CONTROLS or not value:
            continue
        if name.split("__", 1)[0] in PERSON_FIELDS:
            return True
    return False


def audit_export(request, objects: Iterable) -> None:
    """Record a read of each record that leaves the back office in a file."""
    for obj in objects:
        audit_read(instance=obj)


class AuditedReadMixin:
    """Put first in the bases: `class PaymentAdmin(AuditedReadMixin, admin.ModelAdmin)`."""

    audited_read = True

    def audit_opened(self, request, obj) -> None:
        """Record the read of a record this staff member may view. Admins whose change page is
        their own (the clinics' answer page) call it where they fetch the record."""
        if obj is not None and self.has_view_or_change_permission(request, obj):
            audit_read(instance=obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.audit_opened(request, self.get_object(request, unquote(object_id)))
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        changelist = context.get("cl")
        if changelist is not None and searched_or_filtered_by_person(request.GET):
            audit_export(request, changelist.result_list)
        return response

    def audited_download(self, request, obj, response):
        """Return `response` (a file of `obj`'s data) after recording the read."""
        audit_read(instance=obj)
        return response
