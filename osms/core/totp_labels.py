"""The back office's TOTP devices in the staff member's language (django-otp ships no Kazakh or
Russian, and its model's names and help are plain English).

The labels are lazy translations whose English is django-otp's own text, put on its model when
the portal starts: the English pages and the migrations see exactly what django-otp wrote (a
label whose English differs from django-otp's, after an upgrade, is left as django-otp has it).
"""

from __future__ import annotations

from django.apps import apps
from django.utils import translation
from django.utils.translation import pgettext_lazy

APP_NAME = pgettext_lazy("TOTP device", "Two-factor authentication")

MODEL_NAMES = (pgettext_lazy("TOTP device", "TOTP device"), pgettext_lazy("TOTP device", "TOTP devices"))

FIELDS = {
    "user": (
        pgettext_lazy("TOTP device", "user"),
        pgettext_lazy("TOTP device", "The user that this device belongs to."),
    ),
    "name": (
        pgettext_lazy("TOTP device", "name"),
        pgettext_lazy("TOTP device", "The human-readable name of this device."),
    ),
    "confirmed": (
        pgettext_lazy("TOTP device", "confirmed"),
        pgettext_lazy("TOTP device", "Is this device ready for use?"),
    ),
    "throttling_failure_timestamp": (
        pgettext_lazy("TOTP device", "throttling failure timestamp"),
        pgettext_lazy(
            "TOTP device", "A timestamp of the last failed verification attempt. Null if last attempt succeeded."
        ),
    ),
    "throttling_failure_count": (
        pgettext_lazy("TOTP device", "throttling failure count"),
        pgettext_lazy("TOTP device", "Number of successive failed attempts."),
    ),
    "created_at": (
        pgettext_lazy("TOTP device", "created at"),
        pgettext_lazy("TOTP device", "The date and time when this device was initially created in the system."),
    ),
    "last_used_at": (
        pgettext_lazy("TOTP device", "last used at"),
        pgettext_lazy("TOTP device", "The most recent date and time this device was used."),
    ),
    "key": (
        pgettext_lazy("TOTP device", "key"),
        pgettext_lazy("TOTP device", "A hex-encoded secret key of up to 40 bytes."),
    ),
    "step": (pgettext_lazy("TOTP device", "step"), pgettext_lazy("TOTP device", "The time step in seconds.")),
    "t0": (
        pgettext_lazy("TOTP device", "t0"),
        pgettext_lazy("TOTP device", "The Unix time at which to begin counting steps."),
    ),
    "digits": (
        pgettext_lazy("TOTP device", "digits"),
        pgettext_lazy("TOTP device", "The number of digits to expect in a token."),
    ),
    "tolerance": (
        pgettext_lazy("TOTP device", "tolerance"),
        pgettext_lazy("TOTP device", "The number of time steps in the past or future to allow."),
    ),
    "drift": (
        pgettext_lazy("TOTP device", "drift"),
        pgettext_lazy("TOTP device", "The number of time steps the prover is known to deviate from our clock."),
    ),
    "last_t": (
        pgettext_lazy("TOTP device", "last t"),
        pgettext_lazy(
            "TOTP device", "The t value of the latest verified token. The next token must be at a higher time step."
        ),
    ),
}

FIELDSETS = {
    "Identity": pgettext_lazy("TOTP device", "Identity"),
    "Timestamps": pgettext_lazy("TOTP device", "Timestamps"),
    "Configuration": pgettext_lazy("TOTP device", "Configuration"),
    "State": pgettext_lazy("TOTP device", "State"),
    "Throttling": pgettext_lazy("TOTP device", "Throttling"),
}


def _same(label, english: str) -> bool:
    with translation.override(None):  # no language: the label's own English
        return str(label) == english


def install() -> None:
    """Put the translated labels on django-otp's TOTP device (see the module's docstring)."""
    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return
    from django_otp.plugins.otp_totp.models import TOTPDevice

    apps.get_app_config("otp_totp").verbose_name = APP_NAME
    meta = TOTPDevice._meta
    singular, plural = MODEL_NAMES
    if _same(singular, meta.verbose_name) and _same(plural, meta.verbose_name_plural):
        meta.verbose_name, meta.verbose_name_plural = singular, plural
    for field in meta.fields:
        label, help_text = FIELDS.get(field.name, (None, None))
        if label is not None and _same(label, field.verbose_name):
            field.verbose_name = label
        if help_text is not None and _same(help_text, field.help_text):
            field.help_text = help_text


def fieldsets(fieldsets: list) -> list:
    """django-otp's fieldsets with their titles translated."""
    return [(FIELDSETS.get(title, title) if title else title, options) for title, options in fieldsets]
