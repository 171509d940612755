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

    @property
    def user(self):
        """The account that acts: it owns the record and receives its notifications."""
        return self.representative

    @property
    def representative_iin(self) -> str:
        """Stored on a record made for a ward (blank when the citizen acts for themself)."""
        return self.representative.iin if self.ward is not None else ""

    @property
    def acting_for(self) -> str:
        """The kernel events' `acting_for`: the ward's IIN, blank for oneself."""
        return self.iin if self.ward is not None else ""

    def owns(self, record, *, user_field: str = "user", iin_field: str = "iin") -> bool:
        """Whether `record` belongs to this subject: made by this account, about this person."""
        return getattr(record, f"{user_field}_id") == self.representative.pk and getattr(record, iin_field) == self.iin

    def records(self, queryset, *, user_field: str = "user", iin_field: str = "iin"):
        """The records of this subject: while acting for a ward, the ward's records this account made;
        otherwise the citizen's own. Another family's record is simply not there (a 404)."""
        return queryset.filter(**{user_field: self.representative, iin_field: self.iin})


def for_user(user) -> ActingSubject:
    """The subject of a service call made without a request (tests, the shell): the user themself."""
    return ActingSubject(iin=user.iin, name=user.get_full_name(), representative=user, ward=None)


def subject_or_self(subject: ActingSubject | None, actor) -> ActingSubject:
    """The services' default: a call that names no subject acts for the actor themself."""
    return subject if subject is not None else for_user(actor)


class ActingRefused(PermissionDenied):
    """The chosen right does not hold (any more)."""


def _resolve(request) -> ActingSubject | None:
    user = request.user
    if not user.is_authenticated:
        return None
    ward_iin = request.session.get(SESSION_KEY)
    if not ward_iin:
        return for_user(user)
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


def acting_subject(request, *, audit: bool = True) -> ActingSubject | None:
    """For a view about to show a person's data: whose data (and who acts). Showing a ward's data
    is recorded in the audit trail, naming the ward and the representative.

    `audit=False` only for a page's own background poll (the statement's live progress): the right is
    checked all the same (an ended one is refused), but the viewing was recorded when the page opened,
    and a row per poll would bury the trail."""
    subject = check(request)
    if not audit:
        return subject
    if subject is not None and subject.ward is not None and not getattr(request, "_acting_recorded", False):
        from .services import acting_record

        acting_record(representative=subject.representative, ward=subject.ward, what=request.path)
        request._acting_recorded = True
    return subject


def about_ward(*, ward_iin: str, representative_iin: str) -> str:
    """The first line of a notification about a ward's record, to the representative who made it:
    "For Серикова Аяла." (blank for one's own record). Call it inside the reader's language."""
    if not representative_iin:
        return ""
    from django.utils.translation import gettext

    from osms.coverage.models import Person

    ward = Person.objects.filter(iin=ward_iin).first()
    return gettext("For %(name)s.") % {"name": ward.full_name if ward is not None else ward_iin} + " "


def choose(request, ward: selectors.Ward | None) -> None:
    if ward is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = ward.iin
    request.__dict__.pop("_acting_subject", None)
