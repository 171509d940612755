"""Back office of the shared kernel: calendar exceptions, notifications, the audit trail; and the
audited reads of the third-party admins that show people (sign-in attempts, TOTP devices)."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import pgettext, pgettext_lazy
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as OtpTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .admin_audit import AuditedReadMixin
from .admin_mixins import ReadOnlyAdminMixin
from .models import CalendarException, Notification, NotificationDelivery
from .totp_labels import fieldsets as totp_fieldsets


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
class NotificationAdmin(ReadOnlyAdminMixin, AuditedReadMixin, admin.ModelAdmin):
    list_display = ["subject", "user", "created_at", "read_at"]
    list_select_related = ["user"]
    search_fields = ["user__iin", "subject"]
    readonly_fields = ["user", "subject", "body", "url", "created_at", "read_at"]
    inlines = [NotificationDeliveryInline]


# The audit trail: read-only for everyone, visible to administrators only (never to other staff).
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, LogEntryAdmin):
    def has_module_permission(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or user.groups.filter(name="administrator").exists())

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


# Sign-in attempts name the IIN typed and the address; a TOTP device names its owner.
for _model, _admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, type(_admin.__name__, (AuditedReadMixin, _admin), {"__module__": __name__}))


class TOTPDeviceAdmin(AuditedReadMixin, OtpTOTPDeviceAdmin):
    """django-otp's, audited, with its fieldsets' titles, its QR code column and its set-up page
    (templates/otp_totp/admin/config.html) in the staff member's language."""

    def get_fieldsets(self, request, obj=None):
        return totp_fieldsets(super().get_fieldsets(request, obj))

    def config_view(self, request, pk):
        return self._shows_key(request, pk, super().config_view)

    def qrcode_view(self, request, pk):
        return self._shows_key(request, pk, super().qrcode_view)

    def _shows_key(self, request, pk, view):
        """The set-up page and its QR code show the device's secret key: each one shown is a read of
        the device (none when django-otp refuses it); a device no longer there is a 404, not a 500."""
        device = get_object_or_404(TOTPDevice, pk=pk)
        response = view(request, pk)
        self.audit_opened(request, device)
        return response

    @admin.display(description=pgettext_lazy("TOTP device", "QR code"))
    def qrcode_link(self, device):
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, pgettext("TOTP device", "Show the QR code"))


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
