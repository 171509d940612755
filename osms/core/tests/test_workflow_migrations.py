"""The migrations that gave the events the kernel's columns rename them in place: every row is kept,
with its values (run on SQLite by default and on PostgreSQL with DATABASE_URL)."""

import datetime as dt

import pytest
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("appeals", "0001_initial"),
    ("statements", "0001_initial"),
    ("temporary_status", "0002_draft_expiry"),
]
AFTER = [
    ("appeals", "0002_events_in_the_workflow_kernel_shape"),
    ("statements", "0002_events_in_the_workflow_kernel_shape"),
    ("temporary_status", "0003_events_in_the_workflow_kernel_shape"),
]
MOMENT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def _make(model, _made=None, **given):
    """A row of a historical model with every required column filled in plainly (one row per
    related model, shared)."""
    made = {} if _made is None else _made
    values = dict(given)
    for field in model._meta.concrete_fields:
        if field.name in values or field.attname in values or isinstance(field, models.AutoField | models.BigAutoField):
            continue
        if not field.primary_key and (field.null or field.has_default() or field.blank):
            continue
        if isinstance(field, models.ForeignKey):
            related = field.related_model
            if related._meta.label not in made:
                made[related._meta.label] = related.objects.first() or _make(related, made)
            values[field.name] = made[related._meta.label]
        else:
            values[field.name] = _plain_value(field)
    return model.objects.create(**values)


def _plain_value(field):
    if isinstance(field, models.DateTimeField):
        return MOMENT
    if isinstance(field, models.DateField):
        return MOMENT.date()
    if isinstance(field, models.BooleanField):
        return True
    if isinstance(field, models.IntegerField | models.DecimalField):
        return 1
    if isinstance(field, models.CharField):
        return field.choices[0][0] if field.choices else "1" * min(field.max_length, 12)
    return "x"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # The users' table stays as it is now: its historical model must have every column it has.
    targets = [*targets, *executor.loader.graph.leaf_nodes("accounts")]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_event_columns_are_renamed_with_every_row_kept():
    old = _migrate(BEFORE)
    made = {}
    appeal_event = _make(
        old.get_model("appeals", "AppealEvent"),
        made,
        kind="assigned",
        status_from="registered",
        status_to="assigned",
        created_at=MOMENT,
        note="to officer 7",
    )
    stage = _make(old.get_model("statements", "StatementStage"), made, stage="received", at=MOMENT, note="sms")
    step = _make(old.get_model("temporary_status", "TemporaryStatusEvent"), made, kind="removed", detail="diploma.pdf")

    new = _migrate(AFTER)
    row = new.get_model("appeals", "AppealEvent").objects.get(pk=appeal_event.pk)
    assert (row.from_status, row.to_status, row.at, row.note) == ("registered", "assigned", MOMENT, "to officer 7")
    assert row.acting_for == ""
    row = new.get_model("statements", "StatementStage").objects.get(pk=stage.pk)
    assert (row.kind, row.at, row.note, row.actor_id) == ("received", MOMENT, "sms", None)
    row = new.get_model("temporary_status", "TemporaryStatusEvent").objects.get(pk=step.pk)
    assert (row.kind, row.note) == ("removed", "diploma.pdf")
    _migrate(_latest())


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
