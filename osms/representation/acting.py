"""Whose data the cabinet shows: the signed-in citizen's, or a ward's they chose to act for.

The choice lives in the session as the ward's IIN and is checked again on every request
(ActingForMiddleware): a right that has ended (the 18th birthday, the decision's end) or never
existed (a tampered session) is refused at once with 403 and the choice is dropped. Views read
the subject through `acting_subject(request)`; nothing else reads the session key.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from . import selectors

SESSION_KEY = "acting_for_iin"


@dataclass(frozen=True)
class ActingSubject:
    iin: str  # whose data is shown
    name: str
    representative: object  # the signed-in user, who acts
    ward: selectors.Ward | None  # None when the user acts for themself

    @property
    def for_ward(self) -> bool:
        return self.ward is not None


class ActingRefused(PermissionDenied):
    """The chosen right does not hold (any more)."""


def _resolve(request) -> ActingSubject | None:
    user = request.user
    if not user.is_authenticated:
        return None
    ward_iin = request.session.get(SESSION_KEY)
    if not ward_iin:
        return ActingSubject(iin=user.iin, name=user.get_full_name(), representative=user, ward=None)
    ward = selectors.representation_for(user=user, ward_iin=ward_iin, on=timezone.localdate())
    if ward is None:
        request.session.pop(SESSION_KEY, None)
        raise ActingRefused
    return ActingSubject(iin=ward.iin, name=ward.name, representative=user, ward=ward)


def check(request) -> ActingSubject | None:
    """Resolve (once per request) whom the request acts for; raises ActingRefused (403)."""
    if not hasattr(request, "_acting_subject"):
        request._acting_subject = _resolve(request)
    return request._acting_subject


def acting_subject(request) -> ActingSubject | None:
    """For a view about to show a person's data: whose data (and who acts). Showing a ward's data
    is recorded in the audit trail, naming the ward and the representative."""
    subject = check(request)
    if subject is not None and subject.ward is not None and not getattr(request, "_acting_recorded", False):
        from .services import acting_record

        acting_record(representative=subject.representative, ward=subject.ward, what=request.path)
        request._acting_recorded = True
    return subject


def choose(request, ward: selectors.Ward | None) -> None:
    if ward is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = ward.iin
    request.__dict__.pop("_acting_subject", None)
