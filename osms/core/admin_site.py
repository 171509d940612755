"""The admin site of the back office: staff sign in with IIN, password and a TOTP code, on one page."""

from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.models import Device


class StaffSignInForm(OTPAdminAuthenticationForm):
    """IIN, password and code at once. django-otp asks which device only after a first round (it lists
    the devices once it knows the user) and refuses the code meanwhile with "Please select a device.";
    a staff member with one device gets it chosen for them. With several (a phone and backup codes) the
    list is shown, as django-otp does, so that a wrong code is not counted against every device."""

    def _chosen_device(self, user) -> Device | None:
        chosen = super()._chosen_device(user)
        if chosen is not None or self.cleaned_data.get("otp_device"):
            return chosen
        devices = list(devices_for_user(user, confirmed=True))
        if len(devices) == 1:
            return Device.from_persistent_id(devices[0].persistent_id, for_verify=True)
        return None


class PortalAdminSite(OTPAdminSite):
    site_header = _("OSMS portal: back office")
    site_title = _("OSMS back office")
    index_title = _("Back office")
    login_form = StaffSignInForm
