"""Back office for clinics and their districts."""

from django.contrib import admin

from .models import Clinic, District


class DistrictInline(admin.TabularInline):
    model = District
    extra = 0


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ru", "region", "city", "is_fund_supplier"]
    list_filter = ["region", "is_fund_supplier"]
    search_fields = ["code", "name_ru", "name_kk", "address"]
    inlines = [DistrictInline]
