"""Roles as groups with permissions. `roles_sync()` (run after every migrate) keeps each group's
permissions equal to this table plus the `ROLE_PERMISSIONS` of each service app's own `roles.py`
(e.g. `osms/clinics/roles.py`), so that an app states its own permissions in one place."""

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
        "coverage.view_person",
        "coverage.view_payment",
        "coverage.view_benefitcategory",
        "coverage.view_benefitmembership",
        "coverage.add_benefitmembership",
        "coverage.change_benefitmembership",
        "coverage.view_minimumwage",
        "coverage.add_minimumwage",
        "coverage.change_minimumwage",
        "coverage.view_importjob",
        "coverage.add_importjob",
        "coverage.view_partnerapikey",
        "coverage.add_partnerapikey",
        "coverage.change_partnerapikey",
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
        "coverage.view_person",
        "coverage.view_payment",
        "coverage.view_benefitcategory",
        "coverage.change_benefitcategory",
        "coverage.view_benefitmembership",
        "coverage.view_minimumwage",
        "coverage.add_minimumwage",
        "coverage.change_minimumwage",
        "coverage.view_importjob",
        "coverage.view_partnerapikey",
        "coverage.add_partnerapikey",
        "coverage.change_partnerapikey",
        "coverage.view_statuslookup",
    ],
}

STAFF_ROLES = {Role.CLINIC_REGISTRAR, Role.FUND_OFFICER, Role.CALL_CENTRE_OPERATOR, Role.ADMINISTRATOR}


def role_permissions() -> dict[str, list[str]]:
    """This table merged with each installed osms app's `roles.ROLE_PERMISSIONS`."""
    from importlib import import_module

    from django.apps import apps

    merged = {role: list(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for config in apps.get_app_configs():
        if not config.name.startswith("osms.") or config.name == "osms.accounts":
            continue
        try:
            module = import_module(f"{config.name}.roles")
        except ModuleNotFoundError:
            continue
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged.setdefault(role, []).extend(perms)
    return merged


def roles_sync() -> None:
    """Create the role groups and set their permissions; permissions not yet created are skipped."""
    for role, perms in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)
