"""The citizen's cabinet, composed in one place: its tiles, and "My requests" from each service.

Every service is a part of the portal, always installed: this module imports each one's selector by
name, so a newcomer finds here what the cabinet shows and where each line comes from. A new service
adds its tile and its selector below (docs/adr/0010-workflow-kernel.md).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from osms.appeals import selectors as appeals
from osms.clinics import selectors as clinics
from osms.representation import selectors as representation
from osms.statements import selectors as statements
from osms.temporary_status import selectors as temporary_status

from .models import User
from .selectors import CabinetSection, CitizenRequest

# The cabinet's tiles: (title, description, url name), in the order shown.
TILES = [
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


def cabinet_tiles() -> list[CabinetSection]:
    return [
        CabinetSection(title=title, description=description, url=reverse(url_name))
        for title, description, url_name in TILES
    ]


def my_requests(*, user: User, iin: str | None = None) -> list[CitizenRequest]:
    """Every request the citizen made to any service, newest first, with its stage. `iin`: while acting
    for a ward, the requests made for the ward (docs/adr/0701-representation.md); by default one's own."""
    iin = iin or user.iin
    found = [
        *statements.citizen_requests(user=user, iin=iin),
        *clinics.citizen_requests(user=user, iin=iin),
        *temporary_status.citizen_requests(user=user, iin=iin),
        *appeals.citizen_requests(user=user, iin=iin),
    ]
    if iin == user.iin:
        found += representation.citizen_requests(user=user)
    return sorted(found, key=lambda item: item.submitted_at, reverse=True)
