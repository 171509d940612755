"""Links from other services' records to a new appeal (issue 7, item 4).

An overdue clinic-attachment application becomes an appeal with its own topic, one click from the
citizen's page: that page links to `appeals:new` with `?attachment=<application number>`. A link
with `?statement=<request number>` leads to the statement service's own complaint instead (one route,
the order's terms: docs/adr/0205-statement-complaints-one-route.md).

Whether the number is the citizen's own, and what to pre-fill, is asked of the owning apps'
selectors (`osms.clinics.selectors.applications_of`, `osms.statements.selectors.request_of`),
one resolver per link kind (docs/adr/0502).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .models import LinkKind, Topic
from .rules import STATEMENT_ROUTE_MESSAGE


@dataclass(frozen=True)
class LinkedRecord:
    """What the owning service tells about one of the citizen's records."""

    reference: str  # the record's number, as the citizen sees it
    label: str = ""  # e.g. "Application № 2026-00042 to Городская поликлиника № 1"
    url: str = ""  # the record's page in the cabinet
    region: str = ""  # Region value to pre-fill, if known
    clinic_id: int | None = None  # the medical organisation to pre-fill, if known


Resolver = Callable[..., LinkedRecord | None]  # (user, number, *, iin) -> the record, or None

# The query parameter of `appeals:new`, the link kind and the topic it gives.
QUERY_PARAMETERS = {
    "attachment": (LinkKind.CLINIC_APPLICATION, Topic.CLINIC_ATTACHMENT),
}
# A complaint about the statement service is not an appeal: `?statement=<number>` leads to the
# request's own complaint, with the order's terms (docs/adr/0205-statement-complaints-one-route.md).
REDIRECTED_PARAMETERS = {"statement": (LinkKind.STATEMENT_REQUEST, "statements:complaint_new")}
TOPIC_OF_LINK = dict(QUERY_PARAMETERS.values())

_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}$")


def _url(name: str, number: str) -> str:
    try:
        return reverse(name, kwargs={"number": number})
    except NoReverseMatch:
        return ""


def _clinic_application(user, number: str, iin: str | None = None) -> LinkedRecord | None:
    """The citizen's own attachment application that reached the clinic: pre-fills its region and clinic."""
    from osms.clinics.selectors import applications_of

    application = applications_of(user=user, iin=iin).filter(number=number).first()
    if application is None:
        return None
    clinic = application.clinic
    return LinkedRecord(
        reference=number,
        label=clinic.name_ru,
        url=_url("clinics:application", number),
        region=clinic.region,
        clinic_id=clinic.pk,
    )


def _statement_request(user, number: str, iin: str | None = None) -> LinkedRecord | None:
    """The citizen's own statement request."""
    from osms.statements.selectors import request_of

    if request_of(user=user, number=number, iin=iin) is None:
        return None
    return LinkedRecord(reference=number, url=_url("statements:detail", number))


_RESOLVERS: dict[str, Resolver] = {
    LinkKind.CLINIC_APPLICATION: _clinic_application,
    LinkKind.STATEMENT_REQUEST: _statement_request,
}


def link_resolve(*, kind: str, reference: str, user, iin: str | None = None) -> LinkedRecord | None:
    """The citizen's record of this kind and number, or None when it is not theirs or not a number."""
    reference = (reference or "").strip().lstrip("№").strip()
    if not _REFERENCE.match(reference):
        return None
    resolver = _RESOLVERS.get(kind)
    if resolver is None:
        return None
    # `iin`: the ward's, while a representative acts for them (docs/adr/0702-services-for-a-ward.md).
    return resolver(user, reference, iin=iin)


def link_redirect(request) -> HttpResponse | None:
    """A link to another service's own route (a complaint about the statement: docs/adr/0205): the
    redirect there with a message saying why, or None (an unknown number: the topic list, told so)."""
    for parameter, (kind, route) in REDIRECTED_PARAMETERS.items():
        reference = request.GET.get(parameter)
        if not reference:
            continue
        record = link_resolve(kind=kind, reference=reference, user=request.user)
        if record is None:
            messages.error(request, _("We could not find this record among yours. Choose the topic from the list."))
            return None
        messages.info(request, STATEMENT_ROUTE_MESSAGE)
        return redirect(route, number=record.reference)
    return None
