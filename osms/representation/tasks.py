"""Thin Celery tasks of the representation area."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from . import services


@shared_task(name="osms.representation.tasks.requests_sweep")
def requests_sweep(now: str | None = None) -> int:
    """The periodic sweep (beat, every 15 minutes). `now` (ISO 8601 with offset) lets tests move time."""
    moment = dt.datetime.fromisoformat(now) if now else None
    return services.requests_sweep(now=moment)
