"""Input shape and validation messages of the account pages."""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osms.core.iin import iin_birth_date, validate_iin

from .models import User


class IINField(forms.CharField):
    """An IIN typed as the citizen reads it: groups split by spaces (non-breaking ones too, as pasted
    from a document) are joined. `autocomplete="off"` for another person's IIN (a child's, a caller's):
    the browser's "username" would offer the citizen's own."""

    default_error_messages = {"required": _("Enter your IIN: 12 digits.")}

    def __init__(self, *, autocomplete: str = "username", **kwargs):
        self.autocomplete = autocomplete
        kwargs.setdefault("label", _("IIN"))
        kwargs.setdefault("help_text", _("Individual identification number: 12 digits, as in your identity document."))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.validators.append(validate_iin)

    def to_python(self, value):
        return "".join(super().to_python(value).split())  # every kind of space, inside and around

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": self.autocomplete, "spellcheck": "false"})
        attrs.pop("maxlength", None)
        return attrs


class PortalDateField(forms.DateField):
    """A date typed as day.month.year (the form the citizen's documents use)."""

    default_error_messages = {"invalid": _("Enter the date as day.month.year, for example 27.03.1990.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%d.%m.%Y", "%Y-%m-%d"])
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                format="%d.%m.%Y", attrs={"autocomplete": "bday", "inputmode": "numeric", "class": "govuk-input"}
            ),
        )
        super().__init__(**kwargs)


class CodeField(forms.CharField):
    default_error_messages = {"required": _("Enter the 6-digit code from the SMS.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Code from the SMS"))
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault("min_length", 6)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code", "class": "govuk-input--width-5 portal-code-input"}
        )
        return attrs

    def validate(self, value):
        super().validate(value)
        if value and not value.isdigit():
            raise ValidationError(_("The code has digits only."), code="code_digits")


def _helper(submit_label, *fields) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit_label))
    return helper


class RegistrationForm(forms.Form):
    iin = IINField()
    last_name = forms.CharField(
        label=_("Surname"),
        max_length=100,
        error_messages={"required": _("Enter your surname.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    first_name = forms.CharField(
        label=_("Name"),
        max_length=100,
        error_messages={"required": _("Enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    patronymic = forms.CharField(
        label=_("Patronymic (if any)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "additional-name"}),
    )
    birth_date = PortalDateField(
        label=_("Date of birth"),
        help_text=_("Day.month.year, for example 27.03.1990."),
        error_messages={"required": _("Enter your date of birth.")},
    )
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        error_messages={"invalid": _("Enter an email address like name@example.kz.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters; not only digits, not a common password."),
        error_messages={"required": _("Create a password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        error_messages={"required": _("Repeat the password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Continue"),
            Fieldset(
                Field.text("iin", field_width=20),
                Field.text("last_name"),
                Field.text("first_name"),
                Field.text("patronymic"),
                Field.text("birth_date", field_width=10),
                legend=_("About you"),
                legend_size=Size.MEDIUM,
            ),
            Fieldset(Field.text("email"), legend=_("Contacts"), legend_size=Size.MEDIUM),
            Fieldset(Field.text("password1"), Field.text("password2"), legend=_("Password"), legend_size=Size.MEDIUM),
        )

    def clean_birth_date(self) -> dt.date:
        birth = self.cleaned_data["birth_date"]
        if birth > timezone.localdate():
            raise ValidationError(_("The date of birth must be in the past."), code="birth_future")
        return birth

    def clean(self):
        cleaned = super().clean()
        iin, birth = cleaned.get("iin"), cleaned.get("birth_date")
        if iin and birth and iin_birth_date(iin) != birth:
            self.add_error(
                "birth_date",
                ValidationError(
                    _("The date of birth does not match the IIN (its first six digits give %(date)s)."),
                    code="birth_mismatch",
                    params={"date": iin_birth_date(iin).strftime("%d.%m.%Y")},
                ),
            )
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", ValidationError(_("The passwords do not match."), code="password_mismatch"))
        if p1 and not self.has_error("password1"):
            candidate = User(
                iin=iin or "", last_name=cleaned.get("last_name", ""), first_name=cleaned.get("first_name", "")
            )
            try:
                password_validation.validate_password(p1, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class CodeForm(forms.Form):
    code = CodeField()

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit_label or _("Confirm"), Field.text("code"))


class LoginForm(forms.Form):
    username = IINField()
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        error_messages={"required": _("Enter your password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Sign in"), Field.text("username", field_width=20), Field.text("password"))


class PasswordResetStartForm(forms.Form):
    iin = IINField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send a code"), Field.text("iin", field_width=20))


class EdsFields(forms.Form):
    """The EDS made in the browser: the challenge's token and the CMS (identity-eds.mjs fills both in;
    without NCALayer the CMS can be pasted)."""

    eds_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    eds_cms = forms.CharField(
        label=_("Signature (CMS, base64)"),
        required=False,
        max_length=64 * 1024,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
    )

    def signed(self) -> bool:
        return bool(self.is_bound and self.data.get("eds_cms", "").strip())


class EdsForm(EdsFields):
    """Rendered by templates/accounts/_eds.html (the button, the paste fallback, the hidden token)."""

    def clean_eds_cms(self) -> str:
        cms = self.cleaned_data["eds_cms"].strip()
        if not cms:
            raise ValidationError(_("Sign with your EDS first."), code="eds_missing")
        return cms


class PasswordResetFinishForm(EdsFields):
    code = CodeField(required=False)
    eds_cms = forms.CharField(required=False, max_length=64 * 1024, widget=forms.HiddenInput)
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        help_text=_("At least 10 characters; not only digits, not a common password."),
        error_messages={"required": _("Create a new password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Repeat the new password"),
        strip=False,
        error_messages={"required": _("Repeat the new password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = _helper(
            _("Change the password"),
            Field.text("password1"),
            Field.text("password2"),
            Field.text("code"),
            Field("eds_token"),
            Field("eds_cms"),
        )
        self.helper.form_id = "password-reset-form"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("code") and not self.signed() and not self.has_error("code"):
            self.add_error("code", ValidationError(_("Enter the 6-digit code from the SMS."), code="required"))
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", ValidationError(_("The passwords do not match."), code="password_mismatch"))
        if p1 and not self.has_error("password1"):
            try:
                password_validation.validate_password(p1, self.user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class ProfileForm(forms.Form):
    email = forms.EmailField(
        label=_("Email (optional)"),
        required=False,
        error_messages={"invalid": _("Enter an email address like name@example.kz.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    language = forms.ChoiceField(
        label=_("Language of notifications"),
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"), Field.text("email"), Field.radios("language", legend_size=Size.SMALL))
