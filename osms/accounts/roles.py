"""Roles as groups with permissions. `roles_sync()` (run by the migration and by `make run`) keeps
each group's permissions equal to this table; apps of later services add their codenames here."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from .models import Role

# "app_label.codename" for each role. Administrators are superusers in practice; their group
# still carries user management and the audit trail's view permission.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CITIZEN: [],
    Role.CLINIC_REGISTRAR: [],
    Role.FUND_OFFICER: [
        "core.view_calendarexception",
        "core.add_calendarexception",
        "core.change_calendarexception",
        "core.delete_calendarexception",
        "core.view_notification",
    ],
    Role.CALL_CENTRE_OPERATOR: [],
    Role.ADMINISTRATOR: [
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "auth.view_group",
        "auditlog.view_logentry",
        "core.view_calendarexception",
        "core.add_calendarexception",
        "core.change_calendarexception",
        "core.delete_calendarexception",
        "core.view_notification",
        "core.view_notificationdelivery",
        "otp_totp.view_totpdevice",
        "otp_totp.add_totpdevice",
        "otp_totp.delete_totpdevice",
    ],
}

STAFF_ROLES = {Role.CLINIC_REGISTRAR, Role.FUND_OFFICER, Role.CALL_CENTRE_OPERATOR, Role.ADMINISTRATOR}


def roles_sync() -> None:
    """Create the role groups and set their permissions; permissions not yet created are skipped."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)
