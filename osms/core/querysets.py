"""Deadlines as queries, said once for admins, sweeps and selectors.

A deadline is a stored moment (`due_at`, `review_due_at`, …) computed on the business calendar
(DOMAIN §9). DOMAIN gives terms as "within N working days", "the deadline is the same moment one
working day later": the stored moment is the **last moment still in time**. An answer given at that
very moment is in time (the clinics' `answered_in_time = answered_at <= due_at`, the statements'
breach `finished_at > due_at`). Hence the two words, each with one comparison:

* **overdue** — the term has run out: `deadline < now` (strictly after the last moment in time);
* **due** — the moment a planned step (a reminder, a notice, a closing) is to be taken has come:
  `moment <= now`.

`overdue_q`/`due_q` say it for any field; `DeadlineQuerySet` offers them as QuerySet methods.
"""

from __future__ import annotations

import datetime as dt

from django.db import models


def overdue_q(field: str, now: dt.datetime) -> models.Q:
    """The term in `field` has run out at `now` (the stored moment itself is still in time)."""
    return models.Q(**{f"{field}__lt": now})


def in_time_q(field: str, now: dt.datetime) -> models.Q:
    """The negation of `overdue_q`: `now` is at or before the last moment in time."""
    return models.Q(**{f"{field}__gte": now})


def due_q(field: str, now: dt.datetime) -> models.Q:
    """The moment in `field` for a planned step has come."""
    return models.Q(**{f"{field}__lte": now})


def is_overdue(deadline: dt.datetime | None, now: dt.datetime) -> bool:
    """The same rule for one value in Python (pages, admin columns)."""
    return deadline is not None and deadline < now


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
