"""Queue a task when the caller's transaction commits, without making the broker the record.

Every task of the portal takes the id of a row that already says what is to be done (a received
statement request, a pending notification delivery, a queued import, an SMS waiting to be sent):
that row is the outbox. So a broker that cannot take the message — Redis down, restarting,
unreachable — must not fail the citizen's request: the row has committed, the error is logged,
and the area's periodic sweep queues the row again once the broker is back (docs/adr/0013).
"""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger("osms.outbox")

__all__ = ["enqueue", "enqueue_on_commit"]


def enqueue(task, *args, **kwargs) -> bool:
    """Send the task now; False (logged) when the broker could not take it. Never raises.

    Tasks run in-process (CELERY_TASK_ALWAYS_EAGER, the tests) touch no broker: their own errors
    propagate as they would without this helper.
    """
    if task.app.conf.task_always_eager:
        task.delay(*args, **kwargs)
        return True
    try:
        task.delay(*args, **kwargs)
    except Exception as exc:  # kombu's OperationalError, redis' ConnectionError, a timeout, ...
        logger.warning(
            "task %s%r not queued (%s: %s); the sweep will queue it again",
            getattr(task, "name", task),
            args,
            type(exc).__name__,
            exc,
        )
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send the task when the current transaction commits (at once outside one), never raising."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
