"""Reads of the accounts area that views share."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import User


@dataclass(frozen=True)
class CabinetSection:
    title: str | Promise
    description: str | Promise
    url: str


# The cabinet's sections: (title, description, url name). A service adds its own line when it ships;
# a section whose URL is not installed is not shown.
CABINET_SECTIONS = [
    (_("My status"), _("Whether you are insured, until when, your payments and debt."), "coverage:my_status"),
    (_("Statement of payments"), _("The official statement of your deductions and contributions."), "statements:list"),
    (_("My clinic"), _("Your clinic, district and doctor; apply to attach to a clinic."), "clinics:my_attachment"),
    (
        _("Temporary status"),
        _("Ask for one month of status if you belong to a benefit category."),
        "temporary_status:list",
    ),
    (_("My appeals"), _("Appeals to the Fund and their answers."), "appeals:list"),
    (
        _("My requests"),
        _("Statements, clinic attachment, temporary status and appeals, with their stage."),
        "accounts:requests",
    ),
    (_("Notifications"), _("Messages from the Fund and the clinics."), "accounts:notifications"),
    (_("Profile"), _("Your details, email and the language of notifications."), "accounts:profile"),
]


def cabinet_sections(*, user: User) -> list[CabinetSection]:
    sections = []
    for title, description, url_name in CABINET_SECTIONS:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        sections.append(CabinetSection(title=title, description=description, url=url))
    return sections


@dataclass(frozen=True)
class CitizenRequest:
    """One line of "My requests": any service's request, in the shape the page shows."""

    service: str | Promise
    number: str
    submitted_at: object
    stage: str | Promise
    url: str


# Each service registers a callable user -> iterable of CitizenRequest when it ships.
REQUEST_SOURCES: list = []


def citizen_requests(*, user: User) -> list[CitizenRequest]:
    found = [item for source in REQUEST_SOURCES for item in source(user)]
    return sorted(found, key=lambda item: item.submitted_at, reverse=True)
