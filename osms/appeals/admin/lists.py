"""The list and the inlines of the appeals' back office: the handling and deadline filters, the
read-only timeline, contacts, answers and documents of an appeal."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from osms.core.admin_mixins import DefaultChoiceFilter

from .. import rules
from ..models import AppealAnswer, AppealContact, AppealEvent, AppealFile, Status

OPEN = list(rules.OPEN_STATUSES)


class HandlingFilter(DefaultChoiceFilter):
    """Opens on the appeals still to be answered."""

    title = _("handling")
    parameter_name = "handling"
    DEFAULT = "open"

    def lookups(self, request, model_admin):
        return [
            ("open", _("To be answered")),
            ("mine", _("Mine, to be answered")),
            ("unassigned", _("Not assigned")),
            ("answered", Status.ANSWERED.label),
            ("closed", Status.CLOSED.label),
            ("all", _("All")),
        ]

    def queryset(self, request, queryset):
        value = self.chosen()
        if value == "open":
            return queryset.filter(status__in=OPEN)
        if value == "mine":
            return queryset.filter(status__in=OPEN, assigned_to=request.user)
        if value == "unassigned":
            return queryset.filter(status=Status.REGISTERED)
        if value in (Status.ANSWERED, Status.CLOSED):
            return queryset.filter(status=value)
        return queryset


class DeadlineFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("Past the deadline")), ("near", _("Deadline near")), ("on_time", _("On time"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        value = self.value()
        if value == "overdue":
            return queryset.overdue(now)
        if value == "near":
            return queryset.in_time(now).due(now, field="warn_at")
        if value == "on_time":
            return queryset.filter(status__in=OPEN, warn_at__gt=now)
        return queryset


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class EventInline(ReadOnlyInline):
    model = AppealEvent
    fields = readonly_fields = ["at", "kind", "from_status", "to_status", "actor", "acting_for", "public", "note"]
    verbose_name_plural = _("timeline")


class ContactInline(ReadOnlyInline):
    model = AppealContact
    fields = readonly_fields = [
        "contacted_at",
        "method",
        "clinic",
        "organisation_name",
        "person",
        "findings",
        "recorded_by",
    ]


class AnswerInline(ReadOnlyInline):
    model = AppealAnswer
    fields = readonly_fields = ["created_at", "author", "text"]


class FileInline(ReadOnlyInline):
    model = AppealFile
    fk_name = "appeal"
    fields = readonly_fields = ["download", "side", "size", "uploaded_by", "created_at"]
    verbose_name_plural = _("documents")

    @admin.display(description=_("file"))
    def download(self, obj: AppealFile) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:appeals_appeal_file", kwargs={"file_id": obj.pk}), obj.name
        )

    @admin.display(description=_("from"))
    def side(self, obj: AppealFile) -> str:
        return _("the Fund's answer") if obj.answer_id else _("the applicant")
