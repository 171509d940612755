"""Thin Celery tasks of the clinics area: the periodic sweep, safe to run twice."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="osms.clinics.tasks.attachments_sweep")
def attachments_sweep(now: str | None = None) -> dict[str, int]:
    """Beat runs it with no argument (the current time); `now` (ISO 8601 with offset) lets an operator
    or a test replay the sweep at a given moment."""
    moment = dt.datetime.fromisoformat(now) if now else timezone.now()
    if timezone.is_naive(moment):
        raise ValueError("now must carry a UTC offset")
    return services.attachments_sweep(now=moment).as_dict()
