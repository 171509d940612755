"""Deadlines as queries, said once for admins, sweeps and selectors.

A deadline is a stored moment (`due_at`, `review_due_at`, …) computed on the business calendar
(DOMAIN §9): "the deadline is the same moment one working day later". The term is the working time
up to that moment; when the clock reaches it the term is used up. So one comparison everywhere:

* **overdue** — the deadline has been reached with the step not done: `deadline <= now`;
* **in time** — the negation: `deadline > now` (an answer given at 11:59:59 for a 12:00 deadline is
  in time; at 12:00 the record is on the overdue lists, and the late answer counts as late);
* **due** — the moment for a planned step (a reminder, a notice, a closing) has come: `moment <= now`.

The same `<=` as the sweeps, the admin filters and the citizens' pages used before (only the
statements' monitoring said `<`); `is_overdue` says it for one value in Python.
"""

from __future__ import annotations

import datetime as dt

from django.db import models


def overdue_q(field: str, now: dt.datetime) -> models.Q:
    """The deadline in `field` has been reached at `now`."""
    return models.Q(**{f"{field}__lte": now})


def in_time_q(field: str, now: dt.datetime) -> models.Q:
    """The negation of `overdue_q`: the deadline is still ahead."""
    return models.Q(**{f"{field}__gt": now})


def due_q(field: str, now: dt.datetime) -> models.Q:
    """The moment in `field` for a planned step has come."""
    return models.Q(**{f"{field}__lte": now})


def breached_q(field: str, now: dt.datetime, *, finished: str = "finished_at") -> models.Q:
    """Finished late (at or after the deadline), or still unfinished with the deadline reached."""
    return models.Q(**{f"{finished}__gte": models.F(field)}) | models.Q(
        overdue_q(field, now), **{f"{finished}__isnull": True}
    )


def is_overdue(deadline: dt.datetime | None, now: dt.datetime) -> bool:
    """The same rule for one value in Python (pages, admin columns)."""
    return deadline is not None and deadline <= now


class DeadlineQuerySet(models.QuerySet):
    """Records with a stored deadline; a model names the statuses in which its deadline runs
    (`OPEN_STATUSES`, a finished record is never overdue) and its deadline field (`DEADLINE_FIELD`)."""

    def _field(self, field: str | None) -> str:
        return field or getattr(self.model, "DEADLINE_FIELD", "due_at")

    def _open(self, statuses):
        return list(getattr(self.model, "OPEN_STATUSES", ()) if statuses is None else statuses)

    def due(self, now: dt.datetime, *, field: str | None = None):
        return self.filter(due_q(self._field(field), now))

    def overdue(self, now: dt.datetime, *, field: str | None = None, statuses=None):
        return self.filter(overdue_q(self._field(field), now), status__in=self._open(statuses))

    def in_time(self, now: dt.datetime, *, field: str | None = None, statuses=None):
        return self.filter(in_time_q(self._field(field), now), status__in=self._open(statuses))
