"""Input shape and validation messages of the statement pages: one question per page."""

from __future__ import annotations

import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from osms.accounts.forms import IINField
from osms.coverage.periods import Period

from . import rules
from .models import Language

_MONTH = re.compile(r"^\s*(\d{1,2})\s*[./-]\s*(\d{4})\s*$")


class MonthField(forms.CharField):
    """A month typed as month.year (11.2025), as on the citizen's payment documents."""

    default_error_messages = {"invalid": _("Enter the month as month.year, for example 11.2025.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Month.year, for example 11.2025."))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-5"})
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        match = _MONTH.match(value[:20])
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        month, year = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or year < 2000:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return Period(year, month)

    def prepare_value(self, value):
        if isinstance(value, Period):
            return f"{value.month:02d}.{value.year}"
        return value


def _helper(submit_label, *fields) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit_label))
    return helper


class PeriodForm(forms.Form):
    period_from = MonthField(
        label=_("From"), error_messages={"required": _("Enter the first month of the period, for example 11.2025.")}
    )
    period_to = MonthField(
        label=_("To"), error_messages={"required": _("Enter the last month of the period, for example 11.2026.")}
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = _helper(
            _("Continue"),
            Fieldset(
                Field.text("period_from"),
                Field.text("period_to"),
                legend=_("Which months should the statement cover?"),
                legend_size=Size.MEDIUM,
            ),
        )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("period_from"), cleaned.get("period_to")
        if first and last:
            try:
                rules.check_period(first, last, today=self.today)
            except rules.PeriodError as exc:
                messages = {
                    "order": (
                        "period_to",
                        _("The last month must be the same as or after the first month."),
                    ),
                    "future": ("period_to", _("The last month cannot be after the current month.")),
                    "too_long": (
                        "period_from",
                        _("The period can be at most 5 years (60 months). Choose a later first month."),
                    ),
                }
                field, message = messages[exc.code]
                self.add_error(field, ValidationError(message, code=f"period_{exc.code}"))
        return cleaned


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("In which language do you want the statement?"),
        help_text=_("The official form is published in Kazakh and Russian."),
        choices=Language.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the language of the statement.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Continue"), Field.radios("language", legend_size=Size.LARGE, legend_tag="h1"))


class ConsentForm(forms.Form):
    consent = forms.ChoiceField(
        label=_("Do you consent to the Fund accessing your personal data for this statement?"),
        help_text=_(
            "The Fund needs your payments and insured status, which are personal data of restricted access "
            "(Law “On personal data and their protection”, article 8). Without your consent the request is refused."
        ),
        choices=[("yes", _("Yes, I consent")), ("no", _("No, I do not consent"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you consent to access to your personal data.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Continue"), Field.radios("consent", legend_size=Size.LARGE, legend_tag="h1"))


class SendForm(forms.Form):
    """The check-your-answers page: how to confirm the request (asked only when EDS is offered)."""

    method = forms.ChoiceField(
        label=_("How do you want to confirm the request?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how to confirm the request.")},
    )

    def __init__(self, *args, methods: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(code, method.label) for code, method in methods.items()]
        self.fields["method"].initial = "sms"
        if len(methods) > 1:
            self.helper = _helper(_("Send the request"), Field.radios("method", legend_size=Size.MEDIUM))
        else:
            self.fields["method"].widget = forms.HiddenInput()
            self.helper = _helper(_("Send the request"), Field("method"))


class SignedRequestForm(forms.Form):
    signature = forms.CharField(
        label=_("Signed request"),
        help_text=_("NCALayer fills this in when you sign; you may also paste the signed XML or CMS here."),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        error_messages={"required": _("Sign the request with your EDS first.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send the signed request"), Field.textarea("signature"))


class ComplaintForm(forms.Form):
    text = forms.CharField(
        label=_("What went wrong?"),
        help_text=_(
            "Describe the problem with this request: for example, it took longer than 15 minutes, or the statement "
            "lacks a payment. Do not write passwords or codes."
        ),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Describe what went wrong."),
            "max_length": _("The complaint can be at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Send the complaint"), Field.textarea("text", label_size=Size.LARGE, label_tag="h1", max_characters=5000)
        )


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Document number"),
        help_text=_("As printed under the QR code, for example P2-20261123-00000042."),
        max_length=24,
        error_messages={"required": _("Enter the document number.")},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "characters"}),
    )
    iin = IINField(
        help_text=_("The IIN printed on the document."),
        error_messages={"required": _("Enter the IIN printed on the document: 12 digits.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["iin"].widget.attrs["autocomplete"] = "off"
        self.helper = _helper(
            _("Check the document"), Field.text("number", field_width=20), Field.text("iin", field_width=20)
        )

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip().upper()


class RefuseForm(forms.Form):
    """A fund officer's refusal: the ground of Приложение 1 item 9 and the reason the citizen reads."""

    ground = forms.ChoiceField(
        label=_("Ground of refusal (Appendix 1, item 9)"),
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a ground of refusal.")},
    )
    reason = forms.CharField(
        label=_("Reason, as the citizen will read it"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        error_messages={"required": _("Write the reason the citizen will read.")},
    )

    def __init__(self, *args, grounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = [(ground.value, ground.label) for ground in grounds]
