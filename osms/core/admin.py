"""Back office of the shared kernel: calendar exceptions, notifications, the audit trail."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin

from .models import CalendarException, Notification, NotificationDelivery


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "reason"]
    list_filter = ["kind"]
    date_hierarchy = "day"
    search_fields = ["reason"]


class NotificationDeliveryInline(admin.TabularInline):
    model = NotificationDelivery
    extra = 0
    can_delete = False
    fields = ["channel", "destination", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "user", "created_at", "read_at"]
    list_select_related = ["user"]
    search_fields = ["user__iin", "subject"]
    readonly_fields = ["user", "subject", "body", "url", "created_at", "read_at"]
    inlines = [NotificationDeliveryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The audit trail: read-only for everyone, visible to administrators only (never to other staff).
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditEntryAdmin(LogEntryAdmin):
    def has_module_permission(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or user.groups.filter(name="administrator").exists())

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
