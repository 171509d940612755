"""Django's own messages that citizens can see (form fields, validators, password rules).

Marked here so that makemessages copies them into the portal's catalogues: Django's Kazakh
catalogue is incomplete, and the portal's catalogues take precedence (LOCALE_PATHS).
Regenerate with `scripts/django-messages` after a Django upgrade."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

DJANGO_MESSAGES = [
    _("This field is required."),
    _("Enter a whole number."),
    _("Enter a number."),
    _("Enter a valid date."),
    _("Enter a valid time."),
    _("Enter a valid date/time."),
    _("Enter a valid duration."),
    _("The number of days must be between {min_days} and {max_days}."),
    _("No file was submitted. Check the encoding type on the form."),
    _("No file was submitted."),
    _("The submitted file is empty."),
    _("Please either submit a file or check the clear checkbox, not both."),
    _("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    _("Enter a valid URL."),
    _("Select a valid choice. %(value)s is not one of the available choices."),
    _("Enter a list of values."),
    _("Enter a complete value."),
    _("Enter a valid UUID."),
    _("Enter a valid JSON."),
    _("Enter a valid value."),
    _("Enter a valid domain name."),
    _("Enter a valid email address."),
    _("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    _("Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens."),
    _("Ensure this value is %(limit_value)s (it is %(show_value)s)."),
    _("Ensure this value is less than or equal to %(limit_value)s."),
    _("Ensure this value is greater than or equal to %(limit_value)s."),
    _("Ensure this value is a multiple of step size %(limit_value)s."),
    _("File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."),
    _("Null characters are not allowed."),
    _("Enter a valid integer."),
    _("Enter only digits separated by commas."),
    _("Enter a valid %(protocol)s address."),
    _(
        "Ensure this value is a multiple of step size %(limit_value)s, starting from %(offset)s, e.g. %(offset)s, %(valid_value1)s, %(valid_value2)s, and so on."
    ),
    _("IPv6"),
    _("IPv4"),
    _("IPv4 or IPv6"),
    _(":"),
    _("(Hidden field %(name)s) %(error)s"),
    _("Please correct the duplicate values below."),
    _("The inline value did not match the parent instance."),
    _("Select a valid choice. That choice is not one of the available choices."),
    _("“%(pk)s” is not a valid value."),
    _(
        "Please correct the duplicate data for %(field_name)s which must be unique for the %(lookup)s in %(date_field)s."
    ),
    _("Please correct the duplicate data for %(field)s."),
    _("Please correct the duplicate data for %(field)s, which must be unique."),
    _("and"),
    _(
        "ManagementForm data is missing or has been tampered with. Missing fields: %(field_names)s. You may need to file a bug report if the issue persists."
    ),
    _("Delete"),
    _("Order"),
    _("Clear"),
    _("Currently"),
    _("Change"),
    _("Unknown"),
    _("Yes"),
    _("No"),
    _(
        "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be ambiguous or it may not exist."
    ),
    _("The password is too similar to the %(verbose_name)s."),
    _("Your password can’t be too similar to your other personal information."),
    _("This password is too common."),
    _("Your password can’t be a commonly used password."),
    _("This password is entirely numeric."),
    _("Your password can’t be entirely numeric."),
    _(
        "Whether the user will be able to authenticate using a password or not. If disabled, they may still be able to authenticate using other backends, such as Single Sign-On or LDAP."
    ),
    _("The two password fields didn’t match."),
    _("Password"),
    _("Password confirmation"),
    _("Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."),
    _("This account is inactive."),
    _("Your old password was entered incorrectly. Please enter it again."),
    _("Reset password"),
    _("Set password"),
    _("Raw passwords are not stored, so there is no way to see the user’s password."),
    _("Email"),
    _("New password"),
    _("New password confirmation"),
    _("Old password"),
    _("Enter the same password as before, for verification."),
    _("Password-based authentication"),
    _("Enable password-based authentication for this user by setting a password."),
    _("Enabled"),
    _("Disabled"),
    ngettext_lazy(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        "n",
    ),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "n",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "n",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "n",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "n",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "n",
    ),
    ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", "n"),
    ngettext_lazy("Please submit at least %(num)d form.", "Please submit at least %(num)d forms.", "n"),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "n",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "n",
    ),
]
