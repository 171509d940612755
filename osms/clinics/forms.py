"""The citizen's application, one question a page: input shape and validation messages only.
The rules (which clinic, which reason) are the services' and rules.py's; the forms only ask them
early, so that the citizen reads the reason on the page where the choice was made."""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from osms.accounts.phones import normalise_phone, validate_phone

from . import rules
from .models import Reason, Region


def _helper(*fields, submit_label=None) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit_label or _("Continue")))
    return helper


class RegionForm(forms.Form):
    region = forms.ChoiceField(
        label=_("Where do you live?"),
        help_text=_("Choose the region or the city of republican significance."),
        choices=Region.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the region where you live.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.radios("region", legend_size=Size.LARGE, legend_tag="h1", small=True))


class ClinicSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name or address"),
        help_text=_("For example: 5, Толе би, Абая."),
        required=False,
        max_length=100,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("q", field_width="two-thirds"),
            Submit("search", _("Search"), css_class="govuk-button--secondary"),
        )


class ClinicForm(forms.Form):
    """The clinic among those found; `verdict` is rules.clinic_verdict bound to the person's situation."""

    clinic = forms.TypedChoiceField(
        label=_("Choose a clinic"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a clinic."),
            "invalid_choice": _("Choose a clinic from the list."),
        },
    )

    def __init__(self, *args, clinics, verdict, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinics = {clinic.pk: clinic for clinic in clinics}
        self.verdict = verdict
        self.fields["clinic"].choices = [
            Choice(clinic.pk, clinic.name, hint=f"{clinic.city}, {clinic.address}") for clinic in clinics
        ]
        self.helper = _helper(Field.radios("clinic", legend_size=Size.MEDIUM, legend_tag="h2"))

    def clean_clinic(self):
        clinic = self.clinics[self.cleaned_data["clinic"]]
        verdict = self.verdict(clinic)
        if not verdict.allowed:
            raise forms.ValidationError(verdict.message, code="clinic_not_allowed")
        return clinic


class ReasonForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you want to change your clinic?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why you want to change your clinic.")},
    )

    def __init__(self, *args, verdicts: dict[str, rules.Verdict], **kwargs):
        super().__init__(*args, **kwargs)
        self.verdicts = verdicts
        hints = {
            Reason.RESIDENCE: _("You have moved: possible at any time."),
            Reason.CHOICE: _("You prefer another clinic: possible once a year, or during the attachment campaign."),
            Reason.CLINIC_LEFT: _("Your clinic closed or stopped serving the Fund's patients."),
        }
        self.fields["reason"].choices = [
            Choice(value, label, hint=hints[value]) for value, label in Reason.choices if value in hints
        ]
        self.helper = _helper(Field.radios("reason", legend_size=Size.LARGE, legend_tag="h1"))

    def clean_reason(self):
        reason = self.cleaned_data["reason"]
        verdict = self.verdicts[reason]
        if not verdict.allowed:
            raise forms.ValidationError(verdict.message, code="reason_not_allowed")
        return reason


class AddressForm(forms.Form):
    locality = forms.CharField(
        label=_("City, town or village"),
        max_length=100,
        error_messages={"required": _("Enter the city, town or village where you live.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    street = forms.CharField(
        label=_("Street, avenue or microdistrict"),
        max_length=150,
        error_messages={"required": _("Enter the street, avenue or microdistrict.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    house = forms.CharField(
        label=_("House"),
        max_length=20,
        error_messages={"required": _("Enter the house number.")},
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    flat = forms.CharField(label=_("Flat (if any)"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Fieldset(
                Field.text("locality", field_width="two-thirds"),
                Field.text("street", field_width="two-thirds"),
                Field.text("house", field_width=5),
                Field.text("flat", field_width=5),
                legend=_("Address of residence"),
                legend_size=Size.LARGE,
                legend_tag="h1",
            )
        )


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone number"),
        help_text=_("The clinic calls this number about your attachment. For example +7 701 234 56 78."),
        max_length=20,
        error_messages={"required": _("Enter a mobile phone number.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("phone", field_width=20))

    def clean_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["phone"])
        validate_phone(phone)
        return phone


class SignedApplicationForm(forms.Form):
    """The application signed with NCALayer (the EDS), as XML or a detached CMS."""

    signature = forms.CharField(
        label=_("Signed application"),
        help_text=_("NCALayer fills this in when you sign; you may also paste the signed XML or CMS here."),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        error_messages={"required": _("Sign the application with your EDS first.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("signature"), submit_label=_("Send the signed application"))
