"""`{% status_tag record %}`: a workflow record's status as a GOV.UK tag, one way for every service.

The colours are the model's `STATUS_TAGS` (status -> GOV.UK tag colour), declared beside its status
enum; a status without one is grey. Where only the value is at hand (the public check of an appeal),
name the model: `{% status_tag result.status label=result.status_label model="appeals.Appeal" %}`.
"""

from __future__ import annotations

from django import template
from django.apps import apps
from django.utils.html import format_html

register = template.Library()


def status_colour(model, status: str) -> str:
    return getattr(model, "STATUS_TAGS", {}).get(status, "grey")


@register.simple_tag
def status_tag(record, *, label=None, model: str = "", id: str = ""):
    if model:
        model_class, status = apps.get_model(model), record
    else:
        model_class, status = type(record), getattr(record, getattr(record, "STATUS_FIELD", "status"))
        label = record.get_status_display() if label is None else label
    colour = status_colour(model_class, status)
    if id:
        return format_html('<strong class="govuk-tag govuk-tag--{}" id="{}">{}</strong>', colour, id, label)
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, label)
