"""Thin Celery tasks of the temporary-status area."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from . import services


@shared_task(name="osms.temporary_status.tasks.temporary_status_sweep")
def temporary_status_sweep(now: str | None = None) -> dict[str, int]:
    """The periodic sweep (beat, every 15 minutes). `now` (ISO 8601 with offset) lets tests move time."""
    moment = dt.datetime.fromisoformat(now) if now else None
    return services.temporary_status_sweep(now=moment).as_dict()
