"""Thin Celery tasks of the appeals register: a service call, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name="osms.appeals.tasks.appeals_sweep")
def appeals_sweep() -> dict[str, int]:
    """Every 15 minutes (CELERY_BEAT_SCHEDULE): flag near and late appeals, close expired answers."""
    result = services.appeals_sweep()
    return {
        "near": result.near,
        "overdue": result.overdue,
        "closed": result.closed,
        "drafts_removed": result.drafts_removed,
    }
