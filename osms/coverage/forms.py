"""Input shape and validation messages of the public status check and the calculator."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from osms.accounts.forms import IINField

from .rates import PayerType, YearRates


class PublicIINField(IINField):
    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["autocomplete"] = "off"  # any person's IIN may be checked, not the visitor's own
        return attrs


class StatusCheckForm(forms.Form):
    """Rendered by templates/coverage/_status_check_form.html (no FormHelper: the busiest page)."""

    iin = PublicIINField(
        label=_("IIN"),
        help_text=_("12 digits. You will see only whether the person is insured and until which month."),
        error_messages={"required": _("Enter the IIN: 12 digits.")},
    )


PAYER_TYPE_CHOICES = [
    # xgettext:no-python-format
    (PayerType.EMPLOYER.value, _("Employer, for one employee (deduction, 3% of the salary)")),
    # xgettext:no-python-format
    (PayerType.EMPLOYEE.value, _("Employee or civil-law contract (contribution, 2% of income)")),
    (PayerType.ENTREPRENEUR.value, _("Individual entrepreneur, private practice, peasant farm")),
    (PayerType.SELF_PAYER.value, _("Self-payer (pays for themselves)")),
]
NEEDS_INCOME = {PayerType.EMPLOYER.value, PayerType.EMPLOYEE.value}


class MoneyField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("required", False)
        kwargs.setdefault("localize", True)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Enter the sum in tenge, for example 350000 or 350000,50."),
                "min_value": _("The sum cannot be negative."),
                "max_decimal_places": _("Tenge have at most two decimals."),
            },
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(" ", "").replace("\u00a0", "")
        return super().to_python(value)


class CalculatorForm(forms.Form):
    payer_type = forms.ChoiceField(
        label=_("Who pays?"),
        choices=PAYER_TYPE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who pays.")},
    )
    year = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        help_text=_("Only the years whose rates the portal knows from an official source."),
        error_messages={
            "required": _("Choose the year."),
            "invalid_choice": _("Choose one of the listed years: the portal knows no sourced rates for that year."),
        },
    )
    income = MoneyField(
        label=_("Monthly salary or income, tenge"),
        help_text=_("Needed for an employer and an employee. Entrepreneurs and self-payers pay a fixed sum."),
    )
    second_income = MoneyField(
        label=_("Income from a second job, tenge (optional)"),
        help_text=_("An employee with two jobs: the cap applies to both incomes together."),
    )

    def __init__(self, *args, rates: dict[int, YearRates], **kwargs):
        super().__init__(*args, **kwargs)
        self.rates = rates  # the offered years, newest first, each with its sourced rates
        self.fields["year"].choices = [(year, _year_label(rates[year])) for year in rates]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.radios("payer_type", legend_size=Size.MEDIUM),
            Field.select("year"),
            Field.text("income", field_width=10),
            Field.text("second_income", field_width=10),
            Submit("calculate", _("Calculate")),
        )

    def clean(self):
        cleaned = super().clean()
        payer_type = cleaned.get("payer_type")
        if payer_type in NEEDS_INCOME and cleaned.get("income") is None and not self.has_error("income"):
            self.add_error("income", _("Enter the monthly salary or income in tenge."))
        if payer_type != PayerType.EMPLOYEE.value:
            cleaned["second_income"] = None
        year = cleaned.get("year")
        if payer_type and year in self.rates and not self.rates[year].knows(payer_type):
            known = [str(y) for y, row in self.rates.items() if row.knows(payer_type)]
            self.add_error(
                "year",
                _("The portal knows no sourced rate of %(year)s for this payer. Years it knows: %(years)s.")
                % {"year": year, "years": ", ".join(known) or "—"},
            )
        return cleaned


def _year_label(rates: YearRates) -> str:
    if len(rates.payers) == len(PayerType):
        return str(rates.year)
    if rates.payers == (PayerType.SELF_PAYER,):
        return _("%(year)s (self-payers only)") % {"year": rates.year}
    return _("%(year)s (some payers only)") % {"year": rates.year}


class InsuredOnForm(forms.Form):
    """ "Was I insured on …?": one past date, asked by GET on "My status" (nothing is written)."""

    on = forms.DateField(
        label=_("Date"),
        help_text=_("For example, the day of a hospital admission: 15.03.2025."),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={
            "required": _("Enter the date, for example 15.03.2025."),
            "invalid": _("Enter a real date as day.month.year, for example 15.03.2025."),
        },
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day > self.today:
            raise forms.ValidationError(_("Enter a date that has passed: the future depends on payments not yet made."))
        if day.year < 2000:
            raise forms.ValidationError(_("Enter a date from 2000 on."))
        return day
