"""Reads of the representation area: whose rights hold today, the officers' queue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from osms.accounts.selectors import CitizenRequest
from osms.coverage.models import Person

from .models import Representation, RepresentationRequest

REVIEW_PERMISSION = "representation.review_representationrequest"


@dataclass(frozen=True)
class Ward:
    person: Person
    representation: Representation

    @property
    def iin(self) -> str:
        return self.person.iin

    @property
    def name(self) -> str:
        return self.person.full_name


def _candidates(representative_iin: str, on: dt.date):
    """Rights that may hold on `on` (start and end checked in SQL; the 18th birthday in Python)."""
    return (
        Representation.objects.filter(representative_iin=representative_iin, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .select_related("ward")
        .order_by("ward__birth_date", "start")
    )


def wards_of(*, user, on: dt.date) -> list[Ward]:
    """The persons `user` may act for on `on`, each once, oldest first."""
    if not user.is_authenticated or not user.iin:
        return []
    found: dict[str, Ward] = {}
    for right in _candidates(user.iin, on):
        if right.is_in_force(on=on) and right.ward_id not in found:
            found[right.ward_id] = Ward(person=right.ward, representation=right)
    return list(found.values())


def representation_for(*, user, ward_iin: str, on: dt.date) -> Ward | None:
    """The right of `user` to act for `ward_iin` on `on`, or None (not theirs, ended, not started)."""
    if not user.is_authenticated:
        return None
    return right_in_force(representative_iin=user.iin, ward_iin=ward_iin, on=on)


def right_in_force(*, representative_iin: str, ward_iin: str, on: dt.date) -> Ward | None:
    """The right of the person `representative_iin` to act for `ward_iin` on `on`, or None: also for
    a parent who has no account (the clinic's registrar records them, osms/clinics)."""
    if not ward_iin or not representative_iin:
        return None
    for right in _candidates(representative_iin, on).filter(ward_id=ward_iin):
        if right.is_in_force(on=on):
            return Ward(person=right.ward, representation=right)
    return None


def requests_of(*, user):
    return RepresentationRequest.objects.filter(user=user).order_by("-submitted_at")


def pending_request_exists(*, user, ward_iin: str) -> bool:
    return RepresentationRequest.objects.filter(
        user=user, ward_iin=ward_iin, status=RepresentationRequest.Status.SUBMITTED
    ).exists()


def citizen_requests(*, user) -> list[CitizenRequest]:
    """For "My requests" (accounts)."""
    return [
        CitizenRequest(
            service=_("Acting for someone"),
            number=request.number,
            submitted_at=request.submitted_at,
            stage=request.get_status_display(),
            url=reverse("representation:wards"),
        )
        for request in requests_of(user=user)
    ]
