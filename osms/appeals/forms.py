"""Input shape and validation messages of the appeals pages: the citizen's steps, the public check,
the reply to an answer, and the back office's forms (registration for a caller, assignment, contact,
answer)."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osms.accounts.forms import IINField
from osms.accounts.models import Role, User
from osms.accounts.phones import normalise_phone, validate_phone
from osms.clinics.models import Clinic, Region
from osms.core.uploads import ACCEPT, MAX_REQUEST_BYTES, CheckedUpload, UploadRejected, upload_check

from . import rules
from .models import AnswerBy, AppealContact, Channel, Topic


def _helper(submit_label, *fields, form_tag: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.form_tag = form_tag
    helper.layout = Layout(*fields, Submit("submit", submit_label))
    return helper


class FileInput(forms.FileInput):
    """A file input that takes several files at once. (Named FileInput so that crispy-forms-gds marks
    it in error like its own.)"""

    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"multiple": True, "accept": ACCEPT, "class": "govuk-file-upload", **(attrs or {})})


class DocumentsField(forms.FileField):
    """Up to `rules.MAX_FILES` documents, each checked by content (osms.core.uploads); cleans to a list
    of CheckedUpload."""

    widget = FileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if self.required and not items:
            raise ValidationError(self.error_messages["required"], code="required")
        return items


def check_documents(files, *, already: int = 0, already_bytes: int = 0) -> list[CheckedUpload]:
    """Check each file; a refusal names the file. At most MAX_FILES together with `already`."""
    if already + len(files) > rules.MAX_FILES:
        raise ValidationError(
            _("You can attach at most %(count)d documents."), code="too_many", params={"count": rules.MAX_FILES}
        )
    checked, errors, used = [], [], already_bytes
    for item in files:
        try:
            result = upload_check(item, already_used=used, total_limit=MAX_REQUEST_BYTES)
        except UploadRejected as exc:
            errors.append(
                ValidationError(
                    _("%(name)s: %(problem)s"), code=exc.code, params={"name": item.name, "problem": exc.messages[0]}
                )
            )
            continue
        used += result.size
        checked.append(result)
    if errors:
        raise ValidationError(errors)
    return checked


# --- The citizen's steps ---------------------------------------------------------------------------------


class TopicForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("What is your appeal about?"),
        choices=[(topic.value, topic.label) for topic in rules.CHOOSABLE_TOPICS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what your appeal is about.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Continue"), Field.radios("topic", legend_size=Size.LARGE, legend_tag="h1"))


class RegionForm(forms.Form):
    region = forms.ChoiceField(
        label=_("Region"),
        help_text=_("The region of the medical organisation, or where you live."),
        choices=[("", _("Choose the region")), *Region.choices],
        error_messages={"required": _("Choose the region.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Continue"), Field.select("region"))


class ClinicForm(forms.Form):
    clinic = forms.ModelChoiceField(
        label=_("Medical organisation (optional)"),
        help_text=_("Leave it empty if the question is not about one organisation."),
        queryset=Clinic.objects.none(),
        required=False,
        empty_label=_("Not about one organisation"),
        error_messages={"invalid_choice": _("Choose a medical organisation from the list.")},
    )

    def __init__(self, *args, region: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = Clinic.objects.filter(region=region).order_by("name_ru")
        self.fields["clinic"].label_from_instance = lambda clinic: f"{clinic.name_ru}, {clinic.city}, {clinic.address}"
        self.helper = _helper(_("Continue"), Field.select("clinic"))


class SubstanceForm(forms.Form):
    substance = forms.CharField(
        label=_("Your question"),
        help_text=_(
            "What happened, when and where; the names of the doctors or staff if you know them; "
            "what you would like the Fund to do. Do not write your IIN or passwords here."
        ),
        widget=forms.Textarea,
        max_length=rules.SUBSTANCE_MAX_CHARS,
        error_messages={
            "required": _("Describe your question."),
            "max_length": _("The text is too long: at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Continue"),
            Field.textarea("substance", rows=10, max_characters=rules.SUBSTANCE_MAX_CHARS),
        )


class DocumentsForm(forms.Form):
    files = DocumentsField(
        label=_("Upload documents"),
        help_text=_("PDF, JPEG or PNG, each up to 10 MB. You can choose several files at once."),
        error_messages={"required": _("Choose a file to upload.")},
    )

    def __init__(self, *args, already: int = 0, already_bytes: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.already, self.already_bytes = already, already_bytes
        self.fields["files"].required = True
        self.helper = _helper(_("Upload"), Field("files"))
        self.helper.form_id = "upload-form"

    def clean_files(self) -> list[CheckedUpload]:
        return check_documents(self.cleaned_data["files"], already=self.already, already_bytes=self.already_bytes)


class AnswerByForm(forms.Form):
    answer_by = forms.ChoiceField(
        label=_("How do you want the answer?"),
        choices=AnswerBy.choices,
        widget=forms.RadioSelect,
        initial=AnswerBy.CABINET,
        error_messages={"required": _("Choose how you want the answer.")},
    )
    contact_phone = forms.CharField(
        label=_("Phone for the call"),
        help_text=_("If you chose a phone call. For example +7 701 234 56 78."),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("Email for the answer"),
        help_text=_("If you chose email."),
        required=False,
        error_messages={"invalid": _("Enter an email address like name@example.kz.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    postal_address = forms.CharField(
        label=_("Postal address"),
        help_text=_("If you chose post: postcode, town, street, house and flat."),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Continue"),
            Field.radios("answer_by", legend_size=Size.LARGE, legend_tag="h1"),
            Field.text("contact_phone", field_width=20),
            Field.text("contact_email"),
            Field.text("postal_address"),
        )

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip()
        if not phone:
            return ""
        phone = normalise_phone(phone)
        validate_phone(phone)
        return phone

    def clean(self):
        cleaned = super().clean()
        problem = rules.answer_contact_problem(
            answer_by=cleaned.get("answer_by", ""),
            phone=cleaned.get("contact_phone", ""),
            email=cleaned.get("contact_email", ""),
            address=cleaned.get("postal_address", ""),
        )
        if problem and not self.has_error(problem[0]):
            self.add_error(problem[0], problem[1])
        return cleaned


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Your reasons"),
        help_text=_("The appeal goes back to the Fund with your words, and a new term for the answer starts."),
        widget=forms.Textarea,
        max_length=rules.REASON_MAX_CHARS,
        error_messages={
            "required": _("Say why you disagree with the answer."),
            "max_length": _("The text is too long: at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Send"),
            Field.textarea("reason", rows=6, max_characters=rules.REASON_MAX_CHARS),
        )


# --- The public check --------------------------------------------------------------------------------------


class PublicCheckForm(forms.Form):
    number = forms.CharField(
        label=_("Registration number"),
        help_text=_("As in the message you received, for example 2026-000123."),
        max_length=30,
        error_messages={"required": _("Enter the registration number.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    iin = IINField(
        label=_("Applicant's IIN"),
        help_text=_("The IIN of the person the appeal is from: 12 digits."),
        error_messages={"required": _("Enter the applicant's IIN: 12 digits.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["iin"].widget.attrs["autocomplete"] = "off"
        self.helper = _helper(_("Check"), Field.text("number", field_width=10), Field.text("iin", field_width=20))

    def clean_number(self) -> str:
        number = rules.normalise_number(self.cleaned_data["number"])
        if number is None:
            raise ValidationError(
                _("Enter the number as year, dash, sequence, for example 2026-000123."), code="number_shape"
            )
        return number


# --- The back office ---------------------------------------------------------------------------------------------


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name()


def fund_officers():
    return User.objects.filter(is_active=True, groups__name=Role.FUND_OFFICER).order_by("last_name", "first_name")


class AssignForm(forms.Form):
    # The select sits in the appeal's read-only page and belongs to the separate assign form.
    officer = OfficerChoiceField(
        label=_("Officer"), queryset=User.objects.none(), widget=forms.Select(attrs={"form": "appeal-assign"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = fund_officers()


class RegisterForCallerForm(forms.Form):
    """A call-centre operator (or a fund officer) registers an appeal for a caller identified by IIN."""

    channel = forms.ChoiceField(label=_("Channel"), choices=[c for c in Channel.choices if c[0] != Channel.PORTAL])
    applicant_iin = IINField(label=_("Caller's IIN"), help_text=_("12 digits, as the caller says them."))
    applicant_name = forms.CharField(label=_("Caller's surname, name, patronymic"), max_length=300)
    contact_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    contact_email = forms.EmailField(label=_("Email"), required=False)
    postal_address = forms.CharField(label=_("Postal address"), max_length=300, required=False)
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=[(value, label) for value, label in Topic.choices if value not in rules.RETIRED_TOPICS],
    )
    region = forms.ChoiceField(label=_("Region"), choices=[("", "—"), *Region.choices])
    clinic = forms.ModelChoiceField(
        label=_("Medical organisation"), queryset=Clinic.objects.order_by("region", "name_ru"), required=False
    )
    substance = forms.CharField(label=_("Substance"), widget=forms.Textarea, max_length=rules.SUBSTANCE_MAX_CHARS)
    answer_by = forms.ChoiceField(label=_("How to answer"), choices=AnswerBy.choices, initial=AnswerBy.PHONE)
    files = DocumentsField(label=_("Documents"), help_text=_("PDF, JPEG or PNG, each up to 10 MB; at most 5."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant_iin"].widget.attrs["autocomplete"] = "off"

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip()
        if not phone:
            return ""
        phone = normalise_phone(phone)
        validate_phone(phone)
        return phone

    def clean_files(self) -> list[CheckedUpload]:
        return check_documents(self.cleaned_data["files"])


class ContactForm(forms.Form):
    clinic = forms.ModelChoiceField(
        label=_("Medical organisation"), queryset=Clinic.objects.order_by("region", "name_ru"), required=False
    )
    organisation_name = forms.CharField(label=_("Or its name, if not in the list"), max_length=255, required=False)
    method = forms.ChoiceField(label=_("How"), choices=AppealContact.Method.choices)
    contacted_at = forms.DateTimeField(
        label=_("When"),
        input_formats=["%d.%m.%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("day.month.year hours:minutes"),
    )
    person = forms.CharField(label=_("Contact person"), max_length=255, required=False)
    findings = forms.CharField(label=_("What was found"), widget=forms.Textarea)

    def __init__(self, *args, appeal=None, **kwargs):
        super().__init__(*args, **kwargs)
        if appeal is not None and not self.is_bound:
            self.initial.setdefault("clinic", appeal.clinic_id)
            self.initial.setdefault("contacted_at", timezone.localtime().strftime("%d.%m.%Y %H:%M"))


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 12}), max_length=rules.ANSWER_MAX_CHARS
    )
    files = DocumentsField(label=_("Documents"), help_text=_("PDF, JPEG or PNG, each up to 10 MB; at most 5."))

    def clean_files(self) -> list[CheckedUpload]:
        return check_documents(self.cleaned_data["files"])
