"""Small formatting filters of the statement pages."""

from django import template
from django.utils.translation import get_language

from osms.coverage.periods import Period
from osms.statements.form_text import official_service_name

register = template.Library()


@register.filter
def month(value) -> str:
    """A month as people write it, 11.2025: from a Period or the stored YYYYMM number."""
    if isinstance(value, Period):
        return f"{value.month:02d}.{value.year}"
    if value in (None, ""):
        return ""
    number = int(value)
    return f"{number % 100:02d}.{number // 100}"


@register.filter
def seconds(value) -> str:
    """A duration in seconds for the monitoring page: 0.8 s, 12 s, 3 min 5 s."""
    if value is None:
        return "—"
    value = float(value)
    if value < 10:
        return f"{value:.1f} s"
    if value < 60:
        return f"{value:.0f} s"
    minutes, rest = divmod(round(value), 60)
    return f"{minutes} min {rest} s"


@register.simple_tag
def service_name() -> str:
    """The state service's full name in the reader's language (the order's words in ru and kk)."""
    return official_service_name(get_language())
