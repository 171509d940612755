"""Links from other services' records to a new appeal (issue 7, item 4).

An overdue clinic-attachment application and a complaint about the statement service each become
an appeal with its own topic, one click from the citizen's page: those pages link to
`appeals:new` with `?attachment=<application number>` or `?statement=<request number>`.

The service that owns the record says whether the number is the citizen's own, and what to pre-fill,
by registering a resolver in its AppConfig.ready():

    from osms.appeals.links import LinkedRecord, register_link_resolver
    register_link_resolver("clinic_application", lambda user, number: LinkedRecord(...) or None)

Until a resolver is registered for a kind, a well-formed number is kept as the citizen gave it and
shown to officers as not checked (docs/adr/0502).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .models import LinkKind, Topic


@dataclass(frozen=True)
class LinkedRecord:
    """What the owning service tells about one of the citizen's records."""

    reference: str  # the record's number, as the citizen sees it
    label: str = ""  # e.g. "Application № 2026-00042 to Городская поликлиника № 1"
    url: str = ""  # the record's page in the cabinet
    region: str = ""  # Region value to pre-fill, if known
    clinic_id: int | None = None  # the medical organisation to pre-fill, if known
    verified: bool = True  # False when no resolver could check the number


Resolver = Callable[[object, str], LinkedRecord | None]

_RESOLVERS: dict[str, Resolver] = {}

# The query parameter of `appeals:new`, the link kind and the topic it gives.
QUERY_PARAMETERS = {
    "attachment": (LinkKind.CLINIC_APPLICATION, Topic.CLINIC_ATTACHMENT),
    "statement": (LinkKind.STATEMENT_REQUEST, Topic.STATEMENT_SERVICE),
}
TOPIC_OF_LINK = dict(QUERY_PARAMETERS.values())

_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}$")


def register_link_resolver(kind: str, resolver: Resolver) -> None:
    if kind not in LinkKind.values or not kind:
        raise ValueError(f"unknown link kind {kind!r}")
    _RESOLVERS[kind] = resolver


def unregister_link_resolver(kind: str) -> None:
    _RESOLVERS.pop(kind, None)


def link_resolve(*, kind: str, reference: str, user) -> LinkedRecord | None:
    """The citizen's record of this kind and number, or None when it is not theirs or not a number."""
    reference = (reference or "").strip().lstrip("№").strip()
    if not _REFERENCE.match(reference):
        return None
    resolver = _RESOLVERS.get(kind)
    if resolver is None:
        return LinkedRecord(reference=reference, verified=False)
    return resolver(user, reference)
