from django import template
from django.utils import timezone

from .. import selectors

register = template.Library()


@register.inclusion_tag("representation/cabinet_switch.html", takes_context=True)
def acting_switch(context):
    """The cabinet's "acting for" switch: myself or one of the wards whose right holds today."""
    request = context["request"]
    acting = getattr(request, "acting", None)
    return {
        "wards": selectors.wards_of(user=request.user, on=timezone.localdate()),
        "current": acting.iin if acting else "",
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
