"""Back-office forms: the clinic's answer, an application entered at the clinic, the CSV import,
the figures' period. Input shape only; the services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from osms.accounts.forms import IINField
from osms.accounts.phones import normalise_phone, validate_phone
from osms.core.uploads import ACCEPT, UploadRejected, upload_check

from ..models import InClinicGroup, Reason, RefusalReason, Region
from ..rules import StreetLineError, parse_street_line


class ApproveForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"), queryset=None, error_messages={"required": _("Choose the district.")}
    )
    doctor = forms.ModelChoiceField(
        label=_("District doctor"), queryset=None, error_messages={"required": _("Choose the doctor.")}
    )

    def __init__(self, *args, districts, doctors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["doctor"].queryset = doctors


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Ground of the refusal"),
        choices=[("", "—"), *RefusalReason.choices],
        error_messages={"required": _("Choose the ground of the refusal.")},
    )
    explanation = forms.CharField(
        label=_("Explanation for the person"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Explain the refusal: the person reads this explanation.")},
    )


class InClinicApplicationForm(forms.Form):
    iin = IINField(label=_("IIN of the person"), autocomplete="off")
    representative_iin = IINField(
        label=_("IIN of the parent or guardian (if they apply for the person)"),
        help_text=_("Only for a child or ward: the right is checked in the representation register."),
        autocomplete="off",
        required=False,
    )
    last_name = forms.CharField(label=_("Surname"), max_length=100)
    first_name = forms.CharField(label=_("Name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic (if any)"), max_length=100, required=False)
    phone = forms.CharField(label=_("Contact phone"), max_length=20, help_text=_("+7 701 234 56 78"))
    group = forms.ChoiceField(label=_("Group applying at the clinic"), choices=[("", "—"), *InClinicGroup.choices])
    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices)
    locality = forms.CharField(label=_("City, town or village"), max_length=100)
    street = forms.CharField(label=_("Street, avenue or microdistrict"), max_length=150)
    house = forms.CharField(label=_("House"), max_length=20)
    flat = forms.CharField(label=_("Flat (if any)"), max_length=20, required=False)
    document = forms.FileField(
        label=_("Supporting document or power of attorney"),
        help_text=_("A scan or photo: PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["phone"])
        validate_phone(phone)
        return phone

    def clean_document(self):
        try:
            return upload_check(self.cleaned_data["document"])
        except UploadRejected as exc:
            raise forms.ValidationError(exc.messages, code=getattr(exc, "code", "upload")) from None


class ClinicImportForm(forms.Form):
    file = forms.FileField(
        label=_("Clinics file (CSV)"),
        help_text=_("UTF-8, “;”-separated, with the header row of docs/clinics-csv.md; at most 20 MB."),
    )

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return file


class DistrictForm(forms.ModelForm):
    """A district edited in the clinic's page: each street line must be readable by the suggestion."""

    def clean_streets(self) -> str:
        lines = [line.strip() for line in self.cleaned_data.get("streets", "").splitlines() if line.strip()]
        errors = []
        for line in lines:
            try:
                parse_street_line(line)
            except StreetLineError as exc:
                errors.append(str(exc))
        if errors:
            raise forms.ValidationError(errors)
        return "\n".join(lines)


class FiguresForm(forms.Form):
    date_from = forms.DateField(
        label=_("Submitted from"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("to"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    region = forms.ChoiceField(label=_("Region"), choices=[("", _("All regions")), *Region.choices], required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end is before the start."))
        if start and end and end - start > dt.timedelta(days=366):
            self.add_error("date_to", _("Choose at most a year."))
        return cleaned
