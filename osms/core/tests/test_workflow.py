"""The workflow kernel (osms/core/workflow.py): a workflow's status changes only through it."""

import pytest
from django.apps import apps
from django.template import Context, Template
from django.utils import translation

from osms.appeals.workflow import APPEAL
from osms.clinics.workflow import APPLICATION
from osms.core.errors import DomainError
from osms.core.querysets import is_overdue
from osms.core.workflow import StatusChangedOutsideTransition, WorkflowModel, status_changes_allowed
from osms.representation.workflow import REQUEST as REPRESENTATION
from osms.statements.workflow import COMPLAINT
from osms.statements.workflow import REQUEST as STATEMENT
from osms.temporary_status.workflow import REQUEST as TEMPORARY_STATUS

WORKFLOWS = [APPEAL, APPLICATION, STATEMENT, COMPLAINT, TEMPORARY_STATUS, REPRESENTATION]


def test_every_workflow_model_is_guarded_and_declared():
    guarded = {model for model in apps.get_models() if issubclass(model, WorkflowModel) and not model._meta.proxy}
    assert guarded == {workflow.model for workflow in WORKFLOWS}
    for workflow in WORKFLOWS:
        # Every status of the enum is in the table, as a source or a target.
        named = {move.source for move in workflow.moves} | {move.target for move in workflow.moves}
        assert named == set(workflow.statuses.values), workflow.model


def _saved(workflow, make_user):
    """A record of the workflow's model in its first status, built the way its tests build it."""
    from osms.statements.models import StatementComplaint, StatementRequest

    user = make_user()
    if workflow is STATEMENT:
        return StatementRequest.objects.create(
            user=user, iin=user.iin, period_from=202601, period_to=202602, language="ru", consent=True
        )
    if workflow is COMPLAINT:
        import datetime as dt

        from django.utils import timezone

        request = _saved(STATEMENT, make_user)
        now = timezone.now()
        return StatementComplaint.objects.create(
            request=request, user=user, text="x", answer_due_at=now + dt.timedelta(days=5), forward_due_at=now
        )
    return None


@pytest.mark.parametrize("workflow", [STATEMENT, COMPLAINT], ids=["statement", "complaint"])
def test_assigning_a_status_and_saving_is_refused(workflow, make_user):
    record = _saved(workflow, make_user)
    record.status = next(move.target for move in workflow.moves if move.source == record.status)
    with pytest.raises(StatusChangedOutsideTransition):
        record.save()
    record.refresh_from_db()
    record.save()


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda workflow: workflow.model.__name__)
def test_a_queryset_update_of_the_status_is_refused(workflow, db):
    target = workflow.moves[0].target
    with pytest.raises(StatusChangedOutsideTransition):
        workflow.model.objects.filter(pk=-1).update(status=target)
    with status_changes_allowed():  # the documented way for fixtures and data migrations
        workflow.model.objects.filter(pk=-1).update(status=target)


def test_transition_checks_the_move_records_the_event_and_the_audit_entry(make_user):
    from auditlog.models import LogEntry

    complaint = _saved(COMPLAINT, make_user)
    officer = make_user()
    event = COMPLAINT.transition(complaint, "forwarded", actor=officer, note="to the committee", fields={})
    complaint.refresh_from_db()
    assert complaint.status == "forwarded"
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        "registered",
        "forwarded",
        officer,
        "to the committee",
    )
    assert event.acting_for == ""
    assert LogEntry.objects.get_for_object(complaint).filter(action=LogEntry.Action.UPDATE).exists()
    with translation.override("en"), pytest.raises(DomainError, match="this step is not possible"):
        COMPLAINT.transition(complaint, "satisfied", actor=officer)
    complaint.refresh_from_db()
    assert complaint.status == "forwarded" and complaint.events.count() == 1


def test_the_conditional_update_moves_a_row_once(make_user):
    request = _saved(STATEMENT, make_user)
    assert STATEMENT.transition_where(request.pk, "received")
    assert not STATEMENT.transition_where(request.pk, "received")  # a second caller finds it moved
    assert list(request.stages.values_list("from_status", "to_status", "kind")) == [("draft", "received", "received")]


def test_a_move_declared_with_a_misspelt_status_fails_at_once():
    from osms.core.workflow import Move, Workflow
    from osms.statements.models import StatementComplaint, StatementComplaintEvent

    with pytest.raises(ValueError):
        Workflow(
            model=StatementComplaint,
            statuses=StatementComplaint.Status,
            event_model=StatementComplaintEvent,
            event_record="complaint",
            moves=[Move("registered", "forwardd")],
        )


def test_overdue_once_the_deadline_is_reached():
    import datetime as dt

    deadline = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
    assert not is_overdue(deadline, deadline - dt.timedelta(seconds=1))
    assert is_overdue(deadline, deadline)
    assert not is_overdue(None, deadline)


def test_the_status_tag_takes_the_colour_declared_beside_the_enum(make_user):
    complaint = _saved(COMPLAINT, make_user)
    with translation.override("en"):
        html = Template("{% load workflow_tags %}{% status_tag complaint %}").render(Context({"complaint": complaint}))
        by_value = Template(
            '{% load workflow_tags %}{% status_tag "answered" label="Done" model="statements.StatementComplaint" %}'
        )
        assert by_value.render(Context()) == '<strong class="govuk-tag govuk-tag--green">Done</strong>'
    assert html == '<strong class="govuk-tag govuk-tag--blue">Registered</strong>'
