from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The back office: the Django admin behind a second factor (TOTP) for every staff user."""

    default_site = "osms.core.admin_site.PortalAdminSite"
