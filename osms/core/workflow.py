"""The workflow kernel: a record that moves through statuses, declared once per service.

A service declares its workflow with `Workflow(...)`: the model, its status enum (the model's
TextChoices), the event model that tells the record's story, and the table of moves, each with the
actors allowed to make it. Every status change then goes through `transition()` (one record, under a
row lock) or `transition_where()` (a conditional UPDATE for workers that race for a row). Both check
the move against the table, write the event row (from, to, actor, acting-for, at, note), write the
audit entry and queue the side effects on commit. Nothing else may change a workflow's status: the
models inherit `WorkflowModel`, whose `save()` and QuerySet `update()` refuse a status changed
outside the kernel (docs/adr/0010-workflow-kernel.md).
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import DomainError, NotPermitted
from .querysets import DeadlineQuerySet

ANYONE = "anyone"  # a move any caller of the service may make (the service checks ownership itself)
SYSTEM = "system"  # the sweeps and workers (no acting user)

_inside = contextvars.ContextVar("osms_workflow_inside", default=False)


class StatusChangedOutsideTransition(RuntimeError):
    """A programming error: a workflow's status was assigned and saved without `transition()`."""


@contextmanager
def _kernel():
    token = _inside.set(True)
    try:
        yield
    finally:
        _inside.reset(token)


# --- the guard ------------------------------------------------------------------------------------------------


class WorkflowQuerySet(DeadlineQuerySet):
    """The deadline queries (osms/core/querysets.py), and refuses `update(status=…)`/`bulk_update([... "status"])` outside the kernel."""

    def update(self, **kwargs):
        if self.model.STATUS_FIELD in kwargs and not _inside.get():
            raise StatusChangedOutsideTransition(f"{self.model.__name__}: update the status with transition_where()")
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        if self.model.STATUS_FIELD in fields and not _inside.get():
            raise StatusChangedOutsideTransition(f"{self.model.__name__}: bulk status changes go through the kernel")
        return super().bulk_update(objs, fields, batch_size=batch_size)


class WorkflowModel(models.Model):
    """A model whose status only `transition()` changes. A new record may start in any status (a
    registrar's application is created pending); after that, `save()` refuses a changed status."""

    STATUS_FIELD = "status"

    objects = WorkflowQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        current = self.__dict__.get(self.STATUS_FIELD)
        stored = getattr(self, "_stored_status", None)
        if not self._state.adding and stored is not None and current != stored and not _inside.get():
            raise StatusChangedOutsideTransition(
                f"{type(self).__name__} {self.pk}: status {stored!r} -> {current!r} outside transition()"
            )
        super().save(*args, **kwargs)
        self._stored_status = current

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._stored_status = instance.__dict__.get(cls.STATUS_FIELD)
        return instance

    def refresh_from_db(self, using=None, fields=None, **kwargs):
        super().refresh_from_db(using=using, fields=fields, **kwargs)
        if fields is None or self.STATUS_FIELD in fields:
            self._stored_status = self.__dict__.get(self.STATUS_FIELD)


# --- the one event model -------------------------------------------------------------------------------------


class WorkflowEvent(models.Model):
    """One step in a record's story. The subclass adds the foreign key to its record and its `kind`."""

    from_status = models.CharField(_("status before"), max_length=16, blank=True)
    to_status = models.CharField(_("status after"), max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # The IIN of the person a representative acted for (a parent for a child); blank: for themselves.
    acting_for = models.CharField(_("on behalf of (IIN)"), max_length=12, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]  # a subclass's Meta(WorkflowEvent.Meta) keeps it

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d.%m.%Y %H:%M}"

    STATUSES: type[models.TextChoices] | None = None  # the record's status enum, for the labels

    def _label(self, value: str) -> str:
        if not value or self.STATUSES is None:
            return value
        return self.STATUSES(value).label

    @property
    def from_status_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_status_label(self) -> str:
        return self._label(self.to_status)


# --- declaring a workflow ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One allowed move: from `source` by `action` to `target`, made by one of `by` (role names the
    service's `roles_of` returns; ANYONE or SYSTEM). `action` defaults to the target's value."""

    source: str
    target: str
    by: frozenset[str] = frozenset({ANYONE})
    action: str = ""

    @property
    def name(self) -> str:
        return self.action or str(self.target)


@dataclass
class Workflow:
    model: type[WorkflowModel]
    statuses: type[models.TextChoices]
    event_model: type[WorkflowEvent]
    event_record: str  # the event model's foreign key to the record
    moves: Iterable[Move]
    error: type[DomainError] = DomainError
    # Which of the move's roles the actor holds for this record: (record, actor) -> set of role names.
    roles_of: Callable[[object, object], set[str]] | None = None
    # The event kind recorded for a move, by action (or target) name; `kind=` in a call overrides it.
    event_kinds: dict[str, str] = field(default_factory=dict)
    # The message when the move does not exist from the current status (%(current)s, %(target)s are the
    # labels); None: the error type's own message for the code "status".
    refused_message: object = None
    table: dict[tuple[str, str], Move] = field(init=False)

    def __post_init__(self):
        self.moves = tuple(self.moves)
        self.table = {}
        for move in self.moves:
            for value in (move.source, move.target):
                self.statuses(value)  # a misspelt status fails at import, not in production
            self.table[(str(move.source), move.name)] = move

    # pure questions: the table ---------------------------------------------------------------------------------

    def targets(self, source: str) -> frozenset[str]:
        return frozenset(str(move.target) for move in self.moves if move.source == source)

    def sources_of(self, target: str) -> list[str]:
        return sorted({str(move.source) for move in self.moves if move.target == target})

    def can_move(self, source: str, target: str) -> bool:
        return str(target) in self.targets(source)

    def actions_allowed(self, source: str, roles: set[str]) -> set[str]:
        return {move.name for move in self.moves if move.source == source and self._may(move, roles)}

    @staticmethod
    def _may(move: Move, roles: set[str]) -> bool:
        return ANYONE in move.by or bool(move.by & set(roles))

    def check(self, source: str, action: str, *, roles: set[str] | None = None) -> Move:
        """The move by `action` from `source`, or the workflow's error: first whether the move exists,
        then whether the actor's roles allow it."""
        move = self.table.get((str(source), str(action)))
        if move is None:
            raise self.error(self._refusal(source, action), code="status")
        if roles is not None and not self._may(move, roles):
            raise NotPermitted(code="actor") if self.error is DomainError else self.error(code="actor")
        return move

    def _refusal(self, source: str, action: str):
        if self.refused_message is None:
            return None
        target = self.statuses(action).label if action in self.statuses.values else action
        return self.refused_message % {"current": self.statuses(source).label, "target": target}

    # writes -------------------------------------------------------------------------------------------------

    def transition(
        self,
        record: WorkflowModel,
        action: str,
        *,
        actor,
        at: dt.datetime | None = None,
        note: str = "",
        acting_for: str = "",
        kind: str | None = None,
        fields: dict | None = None,
        event: dict | None = None,
        save_all: bool = False,
        on_commit: Iterable[Callable[[], None]] = (),
    ) -> WorkflowEvent:
        """Move `record` by `action` (a target status, or the action's name): lock the row, check the
        move against its stored status and the actor's roles, set the status and `fields`, save, record
        the event, and queue `on_commit`. `save_all` saves every field (the caller changed others too)."""
        at = at or timezone.now()
        with transaction.atomic():
            model = type(record)
            source = (
                model._base_manager.select_for_update()
                .filter(pk=record.pk)
                .values_list(model.STATUS_FIELD, flat=True)
                .get()
            )
            roles = None if self.roles_of is None else self.roles_of(record, actor)
            move = self.check(source, action, roles=roles)
            for name, value in (fields or {}).items():
                setattr(record, name, value)
            setattr(record, model.STATUS_FIELD, move.target)
            with _kernel():
                if save_all:
                    record.save()
                else:
                    record.save(update_fields=[model.STATUS_FIELD, *self._touched(model), *(fields or {})])
            row = self._event(record.pk, source, move, actor=actor, at=at, note=note, acting_for=acting_for, kind=kind)
            if event:
                for name, value in event.items():
                    setattr(row, name, value)
            row.save()
            for effect in on_commit:
                transaction.on_commit(effect)
        return row

    def transition_where(
        self,
        pk: int,
        target: str,
        *,
        when: models.Q | None = None,
        actor=None,
        at: dt.datetime | None = None,
        note: str = "",
        acting_for: str = "",
        kind: str | None = None,
        fields: dict | None = None,
        on_commit: Iterable[Callable[[], None]] = (),
    ) -> bool:
        """The conditional UPDATE for rows that workers race for (Celery redelivery, two workers, the
        sweep): move row `pk` to `target` only if its status is one the table allows it from and `when`
        holds. The row is first locked with SELECT … FOR UPDATE under that condition (to know the status
        it leaves, for the event); the UPDATE then repeats the whole condition, so of two racing callers
        exactly one moves it on any database: the second waits for the lock and finds the condition false
        (PostgreSQL re-reads the locked row), or its UPDATE matches no row. Returns whether it moved."""
        at = at or timezone.now()
        model = self.model
        condition = models.Q(pk=pk, **{f"{model.STATUS_FIELD}__in": self.sources_of(target)})
        if when is not None:
            condition &= when
        with transaction.atomic():
            source = (
                model._base_manager.select_for_update()
                .filter(condition)
                .values_list(model.STATUS_FIELD, flat=True)
                .first()
            )
            if source is None:
                return False
            move = self.check(source, target)
            with _kernel():
                moved = model._base_manager.filter(condition).update(**{model.STATUS_FIELD: target}, **(fields or {}))
            if not moved:
                return False
            self._event(pk, source, move, actor=actor, at=at, note=note, acting_for=acting_for, kind=kind).save()
            _audit_update(model, pk, source, str(target), actor=actor)
            for effect in on_commit:
                transaction.on_commit(effect)
        return True

    def record_event(self, record, *, kind: str, actor=None, at=None, note: str = "", acting_for: str = "", **extra):
        """A step in the story that does not change the status (a reminder, a document opened)."""
        status = getattr(record, self.model.STATUS_FIELD, "")
        row = self._row(record.pk, status, status, kind=kind, actor=actor, at=at, note=note, acting_for=acting_for)
        for name, value in extra.items():
            setattr(row, name, value)
        row.save()
        return row

    def _event(self, pk, source, move: Move, *, actor, at, note, acting_for, kind) -> WorkflowEvent:
        kind = kind or self.event_kinds.get(move.name) or self.event_kinds.get(move.target, move.target)
        return self._row(pk, source, move.target, kind=kind, actor=actor, at=at, note=note, acting_for=acting_for)

    def _row(self, pk, source: str, target: str, *, kind, actor, at, note, acting_for) -> WorkflowEvent:
        return self.event_model(
            **{f"{self.event_record}_id": pk},
            kind=kind,
            from_status=source,
            to_status=target,
            actor=actor,
            at=at or timezone.now(),
            note=note,
            acting_for=acting_for,
        )

    @staticmethod
    def _touched(model) -> list[str]:
        # auto_now fields (`updated_at`) are saved with the status, as a full save would.
        return [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]


def _audit_update(model, pk, source: str, target: str, *, actor) -> None:
    """The audit entry of a conditional UPDATE (a queryset update sends no signal auditlog hears)."""
    from auditlog.models import LogEntry
    from auditlog.registry import auditlog

    if not auditlog.contains(model):
        return
    instance = model._base_manager.get(pk=pk)
    LogEntry.objects.log_create(
        instance,
        action=LogEntry.Action.UPDATE,
        changes={model.STATUS_FIELD: [source, target]},
        actor=actor,
        force_log=True,
    )


def status_changes_allowed():
    """For data migrations and fixtures that must set a status directly (never for services)."""
    return _kernel()
