"""Template tags of the information pages and the home page: `{% load information %}`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import dateformat
from django.utils.formats import number_format

from osms.coverage.periods import Period

from .. import catalogue, selectors

register = template.Library()


@register.simple_tag
def optional_url(*names: str) -> str:
    """`{% optional_url "statements:list" as url %}`: the first installed URL of `names`, or ""."""
    return selectors.optional_url(*names)


@register.simple_tag
def service_links() -> dict[str, str]:
    """`{% service_links as links %}`: the other services' pages, "" for those not installed."""
    return selectors.service_links()


@register.simple_tag
def information_pages() -> list[selectors.PageHeading]:
    """`{% information_pages as pages %}`: every information page in the current language."""
    return selectors.page_headings(language=catalogue.current_language())


@register.filter
def tenge(value: Decimal | int | None) -> str:
    """4250.00 -> "4 250" (with the language's separators); kopecks only when there are some."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    places = 0 if amount == amount.to_integral_value() else 2
    return number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def number(value: Decimal | int) -> str:
    """1.4 -> "1,4" in Kazakh and Russian, "1.4" in English; whole numbers grouped."""
    amount = Decimal(value).normalize()
    places = max(0, -amount.as_tuple().exponent)  # type: ignore[operator]
    return number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def month(value: Period | dt.date) -> str:
    """A month as "November 2026" in the current language (Period or any date in it)."""
    day = value.first_day if isinstance(value, Period) else value
    return dateformat.format(day, "F Y")


@register.filter
def month_name(value: Period | dt.date) -> str:
    """Only the month's name, for languages that put the year first ("2026 жылғы қараша")."""
    day = value.first_day if isinstance(value, Period) else value
    return dateformat.format(day, "F")


@register.inclusion_tag("pages/_search_form.html")
def search_box(field_id: str, label_class: str = "govuk-label--m") -> dict[str, object]:
    """`{% search_box "search-home" %}`: an empty search box of the information pages."""
    from ..forms import SearchForm

    return {"search_form": SearchForm(), "field_id": field_id, "label_class": label_class}


@register.filter
def ru_plural(value: int, forms: str) -> str:
    """The Russian noun form for a number: `{{ n|ru_plural:"месяц,месяца,месяцев" }}` (1, 3, 12)."""
    one, few, many = (form.strip() for form in forms.split(","))
    n = abs(int(value))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many
