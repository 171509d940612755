"""Reads of the accounts area that views share."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class CabinetSection:
    """One tile of the cabinet (osms/accounts/cabinet.py composes them)."""

    title: str | Promise
    description: str | Promise
    url: str


@dataclass(frozen=True)
class CitizenRequest:
    """One line of "My requests": any service's request, in the shape the page shows."""

    service: str | Promise
    number: str
    submitted_at: object
    stage: str | Promise
    url: str
