"""Template helpers of the appeals pages: the colour of a status tag."""

from django import template

from osms.appeals.models import Status

register = template.Library()

STATUS_TAG = {
    Status.REGISTERED: "govuk-tag--grey",
    Status.ASSIGNED: "govuk-tag--blue",
    Status.IN_PROGRESS: "govuk-tag--light-blue",
    Status.ANSWERED: "govuk-tag--green",
    Status.CLOSED: "govuk-tag--grey",
    Status.REOPENED: "govuk-tag--orange",
}


@register.filter
def appeal_status_tag(status: str) -> str:
    """The GOV.UK tag class for an appeal status."""
    return STATUS_TAG.get(status, "govuk-tag--grey")
