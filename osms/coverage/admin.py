"""Back office of the coverage area: registers (read-mostly), the МЗП table, register uploads
with their progress and report, partners' API keys, and the log of status lookups.

Writes go through services; opening a person's record is an audited read."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from osms.core import csv_safe
from osms.core.admin_audit import AuditedReadMixin
from osms.core.admin_mixins import ReadOnlyAdminMixin

from . import services
from .import_progress import import_progress
from .models import (
    BenefitCategory,
    BenefitMembership,
    ContributionRates,
    ImportJob,
    MinimumWage,
    PartnerApiKey,
    Payment,
    Person,
    StatusLookup,
)
from .rates import rates_problems
from .selectors import RATES_FIELDS, year_rates


class EstimatedCountPaginator(Paginator):
    """Counting 180 M payments a year takes seconds: an unfiltered list shows PostgreSQL's estimate."""

    @cached_property
    def count(self) -> int:
        query = self.object_list.query
        if connection.vendor == "postgresql" and not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [query.model._meta.db_table]
                )
                row = cursor.fetchone()
            if row and row[0] > 100_000:
                return int(row[0])
        return super().count


@admin.register(Person)
class PersonAdmin(AuditedReadMixin, admin.ModelAdmin):
    list_display = ["iin", "last_name", "first_name", "patronymic", "birth_date"]
    search_fields = ["=iin"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator


@admin.register(Payment)
class PaymentAdmin(AuditedReadMixin, admin.ModelAdmin):
    list_display = ["consumer_iin", "period_code", "received", "number", "knp", "amount", "payer_id", "status"]
    search_fields = ["=consumer_iin"]
    list_filter = ["status", "knp"]
    ordering = ["-id"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    readonly_fields = [field.name for field in Payment._meta.fields]

    @admin.display(description=_("period"))
    def period_code(self, obj: Payment) -> str:
        return obj.period_code

    def has_add_permission(self, request):
        return False  # payments come from the register only

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BenefitCategory)
class BenefitCategoryAdmin(admin.ModelAdmin):
    list_display = ["number", "label", "documents_list", "by_application"]
    readonly_fields = ["number", "code"]

    @admin.display(description=_("documents for a temporary status"))
    def documents_list(self, obj: BenefitCategory) -> str:
        return "; ".join(obj.document_labels) or "—"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BenefitMembership)
class BenefitMembershipAdmin(AuditedReadMixin, admin.ModelAdmin):
    list_display = ["iin", "category", "start", "end", "temporary", "source"]
    list_filter = ["source", "temporary", "category"]
    search_fields = ["=iin"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator


@admin.register(MinimumWage)
class MinimumWageAdmin(admin.ModelAdmin):
    list_display = ["year", "amount"]

    def get_readonly_fields(self, request, obj=None):
        return ["year"] if obj else []

    def save_model(self, request, obj, form, change):
        saved = services.minimum_wage_set(actor=request.user, year=obj.year, amount=obj.amount)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False  # a year without МЗП would fall back to the year before: edit, do not delete


class ContributionRatesForm(forms.ModelForm):
    class Meta:
        model = ContributionRates
        fields = list(RATES_FIELDS)
        help_texts = {
            # xgettext:no-python-format
            "employer_rate": _("A share: 0.03 for 3%. Leave empty when no source states it."),
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            row = ContributionRates(**{**cleaned, "year": cleaned.get("year") or self.instance.year})
            for field, message in rates_problems(year_rates(row)):
                self.add_error(field if field in self.fields else None, _(message))
        return cleaned


@admin.register(ContributionRates)
class ContributionRatesAdmin(admin.ModelAdmin):
    """Rates and caps per year with their source: administrators edit, fund officers read."""

    form = ContributionRatesForm
    list_display = ["year", "employer_rate", "employee_rate", "self_payer_rate", "state_contribution", "source"]

    def get_readonly_fields(self, request, obj=None):
        return ["year"] if obj else []

    def save_model(self, request, obj, form, change):
        saved = services.contribution_rates_set(actor=request.user, rates=year_rates(obj))
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False  # a year's rates are corrected, not removed: the calculator would drop the year


class ImportJobForm(forms.ModelForm):
    class Meta:
        model = ImportJob
        fields = ["kind", "file"]
        help_texts = {
            "file": _(
                "UTF-8 (a BOM is allowed), “;”-separated, with the header row of DOMAIN §13; dates DD.MM.YYYY, periods MMYYYY."
            )
        }


IMPORT_ANNOUNCEMENTS = {
    ImportJob.Status.QUEUED: _("The import waits for a worker."),
    ImportJob.Status.RUNNING: _("The import is running."),
    ImportJob.Status.DONE: _("The import is done."),
    ImportJob.Status.FAILED: _("The import failed: the file could not be read."),
}


@admin.register(ImportJob)
class ImportJobAdmin(AuditedReadMixin, admin.ModelAdmin):
    form = ImportJobForm
    # The job's page follows a running import live (docs/adr/0015).
    change_form_template = "coverage/admin/importjob_change_form.html"
    list_display = ["id", "kind", "status", "progress", "created_at", "created_by", "report_link"]
    list_filter = ["kind", "status"]
    readonly_fields = [
        "kind",
        "status",
        "progress",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "rows_read",
        "rows_added",
        "rows_updated",
        "rows_unchanged",
        "rows_rejected",
        "error",
        "report_link",
    ]

    def get_fields(self, request, obj=None):
        return ["kind", "file"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    @admin.display(description=_("progress"))
    def progress(self, obj: ImportJob) -> str:
        return _(
            "%(percent)d%%: read %(read)d, added %(added)d, updated %(updated)d, unchanged %(unchanged)d, rejected %(rejected)d"
        ) % {
            "percent": obj.progress_percent,
            "read": obj.rows_read,
            "added": obj.rows_added,
            "updated": obj.rows_updated,
            "unchanged": obj.rows_unchanged,
            "rejected": obj.rows_rejected,
        }

    @admin.display(description=_("report"))
    def report_link(self, obj: ImportJob) -> str:
        if not obj.report:
            return "—"
        url = reverse("admin:coverage_importjob_report", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("rejected rows (CSV)"))

    def save_model(self, request, obj, form, change):
        if change:
            return
        job = services.import_job_create(
            actor=request.user, kind=form.cleaned_data["kind"], file=form.cleaned_data["file"]
        )
        obj.pk = job.pk
        obj.file = job.file

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:job_id>/report/", self.admin_site.admin_view(self.report_view), name="coverage_importjob_report"
            ),
            path(
                "<int:job_id>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="coverage_importjob_progress",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = ImportJob.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if job is not None:
            extra_context = {**(extra_context or {}), "progress": import_progress(job, now=timezone.now())}
        return super().change_view(request, object_id, form_url, extra_context)

    def progress_view(self, request, job_id: int):
        """The counters the job's page polls while the import runs; never stored by a cache (admin_view)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id)
        progress = import_progress(job, now=timezone.now())
        if request.GET.get("fragment") == "region":  # the region the page takes again (no audited page read)
            context = {"job": job, "progress": progress}
            return TemplateResponse(request, "coverage/admin/_import_progress.html", context)
        return JsonResponse(
            {
                "state": progress.state,
                "version": progress.version,
                "final": progress.final,
                "announcement": str(IMPORT_ANNOUNCEMENTS[progress.state]),
                "rows_done": progress.rows_done,
                "rows_total": progress.rows_total,
                "rejected": progress.rejected,
                "percent": progress.percent,
                "seconds_left": progress.seconds_left,
            }
        )

    def report_view(self, request, job_id: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id)
        if not job.report:
            raise Http404
        # The rejected rows carry IINs: the download is an audited read of the job; cells are
        # neutralised again for reports written before they were neutralised at the source.
        response = StreamingHttpResponse(csv_safe.neutralised_lines(job.report.open("rb")), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-rejected.csv"'
        return self.audited_download(request, job, response)


class PartnerApiKeyForm(forms.ModelForm):
    class Meta:
        model = PartnerApiKey
        fields = ["name", "is_active"]


@admin.register(PartnerApiKey)
class PartnerApiKeyAdmin(admin.ModelAdmin):
    form = PartnerApiKeyForm
    list_display = ["name", "prefix", "is_active", "created_by", "created_at"]
    list_filter = ["is_active"]
    readonly_fields = ["prefix", "created_by", "created_at"]
    actions = ["deactivate"]

    def get_fields(self, request, obj=None):
        return ["name"] if obj is None else ["name", "is_active", "prefix", "created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        key, raw = services.api_key_issue(actor=request.user, name=obj.name)
        obj.pk = key.pk
        messages.warning(
            request,
            _("The key for %(name)s is %(key)s. Copy it now: it is shown only once and cannot be recovered.")
            % {"name": key.name, "key": raw},
        )

    @admin.action(description=_("Deactivate the selected keys"))
    def deactivate(self, request, queryset):
        for key in queryset:
            services.api_key_deactivate(actor=request.user, key=key)

    def has_delete_permission(self, request, obj=None):
        return False  # lookups refer to the key; deactivate it instead


@admin.register(StatusLookup)
class StatusLookupAdmin(ReadOnlyAdminMixin, AuditedReadMixin, admin.ModelAdmin):
    list_display = ["at", "channel", "iin", "on", "insured", "client", "api_key"]
    list_filter = ["channel"]
    search_fields = ["=iin"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
