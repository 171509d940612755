"""The fund officers' review queue: sent requests, oldest first, with the deadline; each request
read-only with its documents (opened inline), the citizen's status today and the story of the
request; approve and refuse are pages of their own that call the services. Opening a request is an
audited read of the citizen's data."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from osms.core.admin_audit import AuditedReadMixin
from osms.core.admin_mixins import DefaultChoiceFilter
from osms.core.querysets import is_overdue
from osms.coverage.selectors import status_answer
from osms.representation.admin_columns import RepresentativeFilter, RepresentativeMixin

from . import selectors, services
from .forms import RefusalForm
from .models import TemporaryStatusRequest

Status = TemporaryStatusRequest.Status


class StageFilter(DefaultChoiceFilter):
    """Opens on what is waiting for review; "past the deadline" first of all."""

    title = _("stage")
    parameter_name = "stage"
    DEFAULT = "submitted"

    def lookups(self, request, model_admin):
        return [
            ("submitted", _("Awaiting review")),
            ("overdue", _("Past the deadline")),
            ("approved", Status.APPROVED.label),
            ("refused", Status.REFUSED.label),
            ("expired", Status.EXPIRED.label),
            ("all", _("All")),
        ]

    def queryset(self, request, queryset):
        value = self.chosen()
        if value == "all":
            return queryset
        if value == "overdue":
            return queryset.overdue(timezone.now())
        return queryset.filter(status=value)


@admin.register(TemporaryStatusRequest)
class TemporaryStatusRequestAdmin(RepresentativeMixin, AuditedReadMixin, admin.ModelAdmin):
    change_form_template = "temporary_status/admin/change_form.html"
    list_display = [
        "number",
        "citizen",
        "iin",
        "representative_iin",
        "category_number",
        "submitted_at",
        "deadline",
        "stage",
    ]
    list_display_links = ["number"]
    list_filter = [StageFilter, RepresentativeFilter, "category"]
    search_fields = ["=number", "=iin"]
    ordering = ["submitted_at", "pk"]
    list_per_page = 50
    show_full_result_count = False
    fields = [
        "number",
        "citizen",
        "iin",
        "representative",
        "category",
        "stage",
        "status_today",
        "submitted_at",
        "deadline",
        "document_links",
        "decided_at",
        "decided_by",
        "refusal_reason",
        "refusal_text",
        "status_from",
        "status_until",
        "earlier_requests",
        "history",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.review_queue()

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    # --- columns --------------------------------------------------------------------------------------

    @admin.display(description=_("citizen"), ordering="user__last_name")
    def citizen(self, obj: TemporaryStatusRequest) -> str:
        return obj.user.get_full_name()

    @admin.display(description=_("category"), ordering="category")
    def category_number(self, obj: TemporaryStatusRequest) -> str:
        return str(obj.category_id)

    @admin.display(description=_("stage"), ordering="status")
    def stage(self, obj: TemporaryStatusRequest) -> str:
        return obj.get_status_display()

    @admin.display(description=_("review deadline"), ordering="review_due_at")
    def deadline(self, obj: TemporaryStatusRequest):
        if obj.review_due_at is None:
            return "—"
        text = date_format(timezone.localtime(obj.review_due_at), "SHORT_DATETIME_FORMAT")
        if obj.status in obj.OPEN_STATUSES and is_overdue(obj.review_due_at, timezone.now()):
            return format_html("<strong>{}</strong> ({})", text, _("past the deadline"))
        return text

    @admin.display(description=_("status today"))
    def status_today(self, obj: TemporaryStatusRequest) -> str:
        answer = status_answer(iin=obj.iin, on=timezone.localdate())
        if answer.insured:
            return _("insured (rule: %(rule)s)") % {"rule": answer.rule}
        return _("not insured")

    @admin.display(description=_("documents"))
    def document_links(self, obj: TemporaryStatusRequest):
        documents = list(obj.documents.all())
        if not documents:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li>{}: <a href="{}?inline=1" target="_blank" rel="noopener">{}</a> ({}, {} KB)</li>',
                (
                    (
                        document.label,
                        reverse("temporary_status:document_file", args=[document.pk]),
                        document.name,
                        document.content_type,
                        max(1, document.size // 1024),
                    )
                    for document in documents
                ),
            ),
        )

    @admin.display(description=_("earlier requests of this IIN"))
    def earlier_requests(self, obj: TemporaryStatusRequest):
        earlier = selectors.review_queue().filter(iin=obj.iin).exclude(pk=obj.pk)
        if not earlier:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a>: {}, {}</li>',
                (
                    (
                        reverse("admin:temporary_status_temporarystatusrequest_change", args=[item.pk]),
                        item.number,
                        item.category_id,
                        item.get_status_display(),
                    )
                    for item in earlier
                ),
            ),
        )

    @admin.display(description=_("history"))
    def history(self, obj: TemporaryStatusRequest):
        events = obj.events.select_related("actor").order_by("at", "pk")
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        date_format(timezone.localtime(event.at), "SHORT_DATETIME_FORMAT"),
                        event.get_kind_display(),
                        event.actor.get_full_name() if event.actor else _("the system"),
                        event.note,
                    )
                    for event in events
                ),
            ),
        )

    # --- the record and the decision -----------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "can_review": obj is not None and obj.status == Status.SUBMITTED and self._may_review(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="temporary_status_temporarystatusrequest_approve",
            ),
            path(
                "<path:object_id>/refuse/",
                self.admin_site.admin_view(self.refuse_view),
                name="temporary_status_temporarystatusrequest_refuse",
            ),
        ]
        return own + super().get_urls()

    def _may_review(self, request) -> bool:
        return request.user.has_perm(selectors.REVIEW_PERMISSION)

    def _decision_target(self, request, object_id) -> TemporaryStatusRequest:
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not (self.has_view_permission(request, obj) and self._may_review(request)):
            raise PermissionDenied
        return obj

    def _back(self, obj) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:temporary_status_temporarystatusrequest_change", args=[obj.pk]))

    def _context(self, request, obj, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": title,
            "answer": status_answer(iin=obj.iin, on=timezone.localdate()),
        }

    def approve_view(self, request, object_id):
        obj = self._decision_target(request, object_id)
        if request.method == "POST":
            try:
                approved = services.temporary_status_approve(actor=request.user, request=obj)
            except services.TemporaryStatusError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    _("Request %(number)s approved: temporary status until %(end)s.")
                    % {"number": approved.number, "end": date_format(approved.status_until, "SHORT_DATE_FORMAT")},
                )
            return self._back(obj)
        return TemplateResponse(
            request, "temporary_status/admin/approve.html", self._context(request, obj, _("Approve the request"))
        )

    def refuse_view(self, request, object_id):
        obj = self._decision_target(request, object_id)
        form = RefusalForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.temporary_status_refuse(
                    actor=request.user, request=obj, reason=form.cleaned_data["reason"], text=form.cleaned_data["text"]
                )
            except services.TemporaryStatusError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Request %(number)s refused.") % {"number": obj.number})
            return self._back(obj)
        context = {**self._context(request, obj, _("Refuse the request")), "form": form}
        return TemplateResponse(request, "temporary_status/admin/refuse.html", context)
