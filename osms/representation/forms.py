"""The citizen's request to act for someone and the officer's decision."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from osms.accounts.forms import IINField
from osms.core.uploads import ACCEPT

from .models import Ground


class RequestForm(forms.Form):
    ward_iin = IINField(
        label=_("The IIN of your child or ward"),
        help_text=_("12 digits, as on the birth certificate or the identity document."),
        autocomplete="off",  # the child's IIN, not the parent's own
        error_messages={"required": _("Enter the IIN of your child or ward.")},
    )
    ground = forms.ChoiceField(
        label=_("Who are you to them?"),
        choices=Ground.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who you are to them.")},
    )
    document = forms.FileField(
        label=_("The birth certificate or the guardianship decision"),
        help_text=_(
            "A parent sends the child's birth certificate; a guardian or trustee, the decision of the guardianship authority. PDF, JPEG or PNG, up to 10 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": _("Choose the file of the document.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.layout = Layout(
            Field.text("ward_iin", field_width=10),
            Field.radios("ground", legend_size=Size.MEDIUM),
            Field("document"),
            Submit("submit", _("Send the request")),
        )


class DecisionForm(forms.ModelForm):
    """The officer's decision on the request's page in the back office."""

    APPROVE = "approve"
    REFUSE = "refuse"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve: the document proves the right")), (REFUSE, _("Refuse"))],
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason for refusal (the citizen reads it)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    class Meta:
        fields: list[str] = []

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Write the reason for the refusal: the citizen will read it."))
        return data
