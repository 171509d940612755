"""The admin site of the back office: staff sign in with IIN, password and a TOTP code."""

from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite


class PortalAdminSite(OTPAdminSite):
    site_header = _("OSMS portal: back office")
    site_title = _("OSMS back office")
    index_title = _("Back office")
