"""The back office of the representation area: the register's uploads (coverage's import
machinery), the rights, and the fund officers' queue of requests with their decision."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from osms.core.admin_audit import AuditedReadMixin
from osms.core.admin_mixins import ReadOnlyAdminMixin
from osms.core.uploads import private_file_response
from osms.coverage import services as coverage_services
from osms.coverage.admin import ImportJobAdmin

from . import importer, selectors, services
from .forms import DecisionForm
from .models import Representation, RepresentationImport, RepresentationRequest, RepresentationRequestEvent


class RepresentationImportForm(forms.ModelForm):
    class Meta:
        model = RepresentationImport
        fields = ["file"]
        help_texts = {
            "file": _(
                "UTF-8, “;”-separated, header ИИН подопечного;ИИН представителя;Основание;Начало;Окончание "
                "(DOMAIN §13); dates DD.MM.YYYY."
            )
        }


@admin.register(RepresentationImport)
class RepresentationImportAdmin(ImportJobAdmin):
    """Uploads of the representation register: the coverage area's imports, of this kind only."""

    form = RepresentationImportForm
    list_filter = ["status"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=importer.KIND)

    def get_fields(self, request, obj=None):
        return ["file"] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        job = coverage_services.import_job_create(
            actor=request.user, kind=importer.KIND, file=form.cleaned_data["file"]
        )
        obj.pk = job.pk
        obj.file = job.file

    def get_urls(self):
        return admin.ModelAdmin.get_urls(self)  # the report is served by the coverage area's import admin


@admin.register(Representation)
class RepresentationAdmin(ReadOnlyAdminMixin, AuditedReadMixin, admin.ModelAdmin):
    list_display = ["ward", "representative_iin", "ground", "start", "end", "source"]
    list_filter = ["ground", "source"]
    search_fields = ["=ward__iin", "=representative_iin"]
    list_select_related = ["ward"]


class StageFilter(admin.SimpleListFilter):
    title = _("stage")
    parameter_name = "stage"

    def lookups(self, request, model_admin):
        return [*RepresentationRequest.Status.choices, ("overdue", _("Past the review deadline"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(status=RepresentationRequest.Status.SUBMITTED, review_due_at__lte=timezone.now())
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


class RequestEventInline(admin.TabularInline):
    """The request's story, from the kernel's events."""

    model = RepresentationRequestEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "kind", "from_status", "to_status", "actor", "note"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RepresentationRequest)
class RepresentationRequestAdmin(AuditedReadMixin, admin.ModelAdmin):
    form = DecisionForm
    inlines = [RequestEventInline]
    list_display = ["number", "user", "ward_iin", "ground", "status", "submitted_at", "review_due_at", "overdue"]
    list_filter = [StageFilter, "ground"]
    search_fields = ["=ward_iin", "=representative_iin"]
    ordering = ["review_due_at"]
    readonly_fields = [
        "number",
        "user",
        "representative_iin",
        "ward_iin",
        "ward_name",
        "ground",
        "document_link",
        "status",
        "submitted_at",
        "review_due_at",
        "decided_at",
        "decided_by",
        "refusal_reason",
    ]

    @admin.display(description=_("number"))
    def number(self, obj: RepresentationRequest) -> str:
        return obj.number

    @admin.display(description=_("past the deadline"), boolean=True)
    def overdue(self, obj: RepresentationRequest) -> bool:
        return obj.status == obj.Status.SUBMITTED and obj.review_due_at <= timezone.now()

    @admin.display(description=_("ward in the persons register"))
    def ward_name(self, obj: RepresentationRequest) -> str:
        from osms.coverage.models import Person

        person = Person.objects.filter(iin=obj.ward_iin).first()
        return person.full_name + f", {person.birth_date:%d.%m.%Y}" if person else "—"

    @admin.display(description=_("document"))
    def document_link(self, obj: RepresentationRequest) -> str:
        url = reverse("admin:representation_representationrequest_document", args=[obj.pk])
        return format_html('<a class="govuk-link" href="{}" target="_blank">{}</a>', url, obj.document_name)

    def get_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.status == obj.Status.SUBMITTED and self._may_review(request):
            fields += ["decision", "reason"]
        return fields

    def _may_review(self, request) -> bool:
        return request.user.has_perm(selectors.REVIEW_PERMISSION)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return self._may_review(request) and (obj is None or obj.status == obj.Status.SUBMITTED)

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        try:
            if decision == DecisionForm.APPROVE:
                services.request_approve(actor=request.user, request=obj)
            elif decision == DecisionForm.REFUSE:
                services.request_refuse(actor=request.user, request=obj, reason=form.cleaned_data["reason"])
        except services.RepresentationError as exc:
            messages.error(request, str(exc))

    def get_urls(self):
        view = self.admin_site.admin_view(self.document_view)
        return [
            path("<int:pk>/document/", view, name="representation_representationrequest_document"),
            *super().get_urls(),
        ]

    def document_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        item = get_object_or_404(RepresentationRequest, pk=pk)
        return self.audited_download(
            request,
            item,
            private_file_response(
                item.document, download_name=item.document_name, content_type=item.document_type, inline=True
            ),
        )
