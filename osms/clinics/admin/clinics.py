"""Back office for clinics, their districts and doctors, the CSV import, the re-attachment rules and
the register of attachments. Fund officers edit; a registrar sees their own clinic only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from osms.core.admin_audit import AuditedReadMixin
from osms.core.admin_mixins import ReadOnlyAdminMixin

from .. import services
from ..clinics_csv import HEADER, SEPARATOR, FileUnreadable
from ..models import Attachment, AttachmentPolicy, Clinic, ClinicImport, District, Doctor
from .forms import ClinicImportForm, DistrictForm
from .scope import in_scope, scoped


class DoctorInline(admin.TabularInline):
    model = Doctor
    extra = 0
    fields = ["full_name", "is_active"]


class DistrictInline(admin.TabularInline):
    model = District
    form = DistrictForm
    extra = 0
    fields = ["number", "doctor", "streets"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "doctor":
            clinic_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Doctor.objects.filter(clinic_id=clinic_id) if clinic_id else Doctor.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ru", "region", "city", "is_fund_supplier", "supplier_until"]
    list_filter = ["region", "is_fund_supplier"]
    search_fields = ["code", "name_ru", "name_kk", "address"]
    inlines = [DoctorInline, DistrictInline]
    change_list_template = "clinics/admin/clinic_change_list.html"

    def get_queryset(self, request):
        return scoped(request, super().get_queryset(request), field="pk")

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (obj is None or in_scope(request, obj.pk))

    def has_delete_permission(self, request, obj=None):
        return False  # clinics keep their applications and attachments; a closed one stops being a supplier

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="clinics_clinic_import"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": request.user.has_perm("clinics.import_clinics")}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not request.user.has_perm("clinics.import_clinics"):
            raise PermissionDenied
        form = ClinicImportForm(request.POST or None, request.FILES or None)
        summary = None
        if request.method == "POST" and form.is_valid():
            try:
                upload = form.cleaned_data["file"]
                summary = services.clinics_import(stream=upload, actor=request.user, file_name=upload.name)
            except FileUnreadable as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, _("The file has been imported."))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import clinics from a CSV file"),
            "form": form,
            "summary": summary,
            "header": SEPARATOR.join(HEADER),
            "changelist_url": reverse("admin:clinics_clinic_changelist"),
        }
        return TemplateResponse(request, "clinics/admin/clinic_import.html", context)


@admin.register(AttachmentPolicy)
class AttachmentPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "choice_interval_months", "campaign_starts", "campaign_ends"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not AttachmentPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdminMixin, AuditedReadMixin, admin.ModelAdmin):
    """The register of attachments: read-only; attachments are made by approving applications."""

    list_display = ["iin", "clinic", "district_number", "doctor_name", "started_at", "ended_at"]
    list_select_related = ["clinic"]
    list_filter = ["clinic__region"]
    search_fields = ["=iin", "clinic__code"]
    readonly_fields = [field.name for field in Attachment._meta.fields]

    def get_queryset(self, request):
        return scoped(request, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (obj is None or in_scope(request, obj.clinic_id))


@admin.register(ClinicImport)
class ClinicImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The history of clinics imports: read-only."""

    list_display = ["created_at", "file_name", "created_by", "counts"]
    list_select_related = ["created_by"]
    readonly_fields = ["created_at", "created_by", "file_name", "counts", "rejections"]
