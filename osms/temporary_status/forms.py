"""Input shape and validation messages of the temporary-status pages and the officer's refusal."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from osms.core.uploads import ACCEPT

from .models import TemporaryStatusRequest
from .rules import PENSIONERS_VETERANS


class CategoryForm(forms.Form):
    category = forms.TypedChoiceField(
        label=_("Which benefit category do you belong to?"),
        help_text=_(
            "Choose the one your documents confirm. Persons serving sentences and persons held in pre-trial "
            "detention get status without asking."
        ),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose your benefit category."),
            "invalid_choice": _("Choose one of the categories in the list."),
        },
    )

    # Asked of category 9 only: the WWII veteran's certificate is asked of a veteran alone (seed 004).
    wwii_veteran = forms.TypedChoiceField(
        label=_("If you chose pensioners: are you a veteran of the Great Patriotic War?"),
        help_text=_(
            "Only a veteran is asked for the veteran's certificate; other pensioners send the identity document."
        ),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(category.number, category.label) for category in categories]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("category", legend_size=Size.LARGE, legend_tag="h1"),
            Field.radios("wwii_veteran", legend_size=Size.SMALL),
            Submit("submit", _("Continue")),
        )

    def clean(self):
        data = super().clean()
        if data.get("category") == PENSIONERS_VETERANS and data.get("wwii_veteran") is None:
            self.add_error("wwii_veteran", _("Say whether you are a veteran of the Great Patriotic War."))
        return data


class DocumentsForm(forms.Form):
    """One file field per document the category needs (`document_<slot>`, slot counted from 1).

    Every field is optional here: a document already uploaded need not be sent again, and the page
    keeps whatever was accepted even when another file is refused."""

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = list(slots)  # (slot, kind, label, uploaded document or None)
        for slot, _kind, label, uploaded in self.slots:
            self.fields[self.field_name(slot)] = forms.FileField(
                label=label,
                required=False,
                allow_empty_file=True,  # the upload check says "the file is empty" itself
                widget=forms.FileInput(attrs={"accept": ACCEPT}),
            )
            self.fields[self.field_name(slot)].uploaded = uploaded
        self.helper = FormHelper()

    @staticmethod
    def field_name(slot: int) -> str:
        return f"document_{slot}"

    def files_given(self):
        """(slot, kind, file) for each field the citizen chose a file for."""
        for slot, kind, _label, _uploaded in self.slots:
            file = self.cleaned_data.get(self.field_name(slot))
            if file:
                yield slot, kind, file


class RefusalForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=TemporaryStatusRequest.RefusalReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason for the refusal.")},
    )
    text = forms.CharField(
        label=_("Explanation for the citizen"),
        help_text=_("What exactly is wrong and what to send instead. The citizen reads this text."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"required": _("Explain the refusal to the citizen.")},
    )
