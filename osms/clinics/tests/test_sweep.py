"""The sweep: an application unanswered 1 working day after submission is escalated (the Fund's overdue
list, the clinic's registrars, the citizen with a one-click appeal); nothing is approved or dropped."""

import datetime as dt

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from osms.clinics import selectors, services
from osms.clinics.models import ApplicationEvent, AttachmentApplication
from osms.clinics.tasks import attachments_sweep as sweep_task
from osms.core.calendar import ALMATY
from osms.core.models import Notification

from .factories import draft, in_clinic, make_clinic, make_registrar, person_iin, submitted

pytestmark = pytest.mark.django_db
Status = AttachmentApplication.Status

FRIDAY = dt.datetime(2026, 3, 6, 16, 0, tzinfo=ALMATY)  # then the weekend and Monday 9 March, a day off
DUE = dt.datetime(2026, 3, 10, 16, 0, tzinfo=ALMATY)


@pytest.fixture
def clinic():
    return make_clinic()


@pytest.fixture
def registrar(make_user, clinic):
    return make_registrar(make_user, clinic, email="registrar@example.kz")


@pytest.fixture
def waiting(citizen, clinic, registrar, time_machine):
    time_machine.move_to(FRIDAY, tick=False)
    return submitted(citizen, clinic)


def sweep(now):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.attachments_sweep(now=now)


def test_not_escalated_over_the_weekend_and_the_holiday(waiting):
    for moment in (
        dt.datetime(2026, 3, 7, 16, 0, tzinfo=ALMATY),  # Saturday: 24 hours later
        dt.datetime(2026, 3, 9, 18, 0, tzinfo=ALMATY),  # Monday, a day off: 74 hours later
        DUE - dt.timedelta(seconds=1),
    ):
        assert sweep(moment).escalated == 0
    waiting.refresh_from_db()
    assert waiting.escalated_at is None and waiting.status == Status.PENDING


def test_escalated_once_one_working_day_later(waiting, citizen, registrar):
    result = sweep(DUE)
    assert result.escalated == 1
    waiting.refresh_from_db()
    assert waiting.escalated_at == DUE and waiting.status == Status.PENDING  # never approved automatically
    assert list(selectors.applications_overdue(now=DUE)) == [waiting]  # the Fund's overdue list
    told = Notification.objects.get(user=citizen)
    assert waiting.number in told.subject
    reminder = Notification.objects.get(user=registrar)
    assert waiting.number in reminder.body
    with translation.override(registrar.language):
        assert reminder.url == reverse("admin:clinics_attachmentapplication_changelist")
    assert [event.kind for event in waiting.events.all()][-1] == ApplicationEvent.Kind.ESCALATED
    # The same sweep again (or a second one at once) does nothing more.
    assert sweep(DUE).as_dict() == {"escalated": 0, "reminded": 0, "abandoned": 0}
    assert Notification.objects.count() == 2


def test_the_citizen_is_offered_an_appeal_in_one_click(waiting, citizen):
    sweep(DUE)
    told = Notification.objects.get(user=citizen)
    with translation.override(citizen.language):
        assert told.url == f"{reverse('appeals:new')}?topic=access&attachment={waiting.number}"


def test_without_the_appeals_service_the_link_is_the_application_page(waiting, citizen, monkeypatch):
    from django.urls import NoReverseMatch

    real_reverse = selectors.reverse

    def without_appeals(name, *args, **kwargs):
        if name.startswith("appeals:"):
            raise NoReverseMatch(name)
        return real_reverse(name, *args, **kwargs)

    monkeypatch.setattr(selectors, "reverse", without_appeals)
    sweep(DUE)
    with translation.override(citizen.language):
        assert Notification.objects.get(user=citizen).url == reverse("clinics:application", args=[waiting.number])


def test_an_answered_application_is_not_escalated(waiting, registrar, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 10, 11, 0, tzinfo=ALMATY), tick=False)
    district = waiting.clinic.districts.get(number=1)
    services.application_approve(actor=registrar, application=waiting, district=district, doctor=district.doctor)
    assert sweep(DUE + dt.timedelta(days=3)).escalated == 0
    waiting.refresh_from_db()
    assert waiting.escalated_at is None and waiting.answered_in_time


def test_registrars_are_reminded_every_working_day_until_it_is_answered(waiting, registrar):
    sweep(DUE)
    assert sweep(DUE + dt.timedelta(hours=23)).reminded == 0
    assert sweep(dt.datetime(2026, 3, 11, 16, 0, tzinfo=ALMATY)).reminded == 1
    assert Notification.objects.filter(user=registrar).count() == 2
    waiting.refresh_from_db()
    assert waiting.escalated_at == DUE  # escalated once; the citizen was told once
    assert waiting.events.filter(kind=ApplicationEvent.Kind.REMINDED).count() == 1


def test_one_reminder_per_clinic_for_many_overdue_applications(make_user, clinic, registrar, time_machine):
    time_machine.move_to(FRIDAY, tick=False)
    for _ in range(3):
        submitted(make_user(iin=None, phone="+77019998877"), clinic)
    assert sweep(DUE).escalated == 3
    reminder = Notification.objects.get(user=registrar)
    assert "3" in reminder.subject and "3" not in reminder.body.split(":")[0]


def test_unsigned_applications_are_closed_after_a_day(citizen, clinic, time_machine):
    time_machine.move_to(FRIDAY, tick=False)
    application = draft(citizen, clinic)
    assert sweep(FRIDAY + dt.timedelta(hours=23)).abandoned == 0
    assert sweep(FRIDAY + dt.timedelta(hours=24)).abandoned == 1
    application.refresh_from_db()
    assert application.status == Status.ABANDONED


def test_the_task_takes_the_moment_as_an_iso_string(waiting):
    assert sweep_task.delay(DUE.isoformat()).get() == {"escalated": 1, "reminded": 0, "abandoned": 0}
    with pytest.raises(ValueError):
        sweep_task.delay("2026-03-10T16:00:00")


def test_a_person_who_applied_at_the_clinic_is_told_if_they_have_an_account(registrar, make_user, time_machine):
    time_machine.move_to(FRIDAY, tick=False)
    without = in_clinic(registrar, iin=person_iin())
    registered_later = person_iin()
    with_account = in_clinic(registrar, iin=registered_later)
    person = make_user(iin=registered_later, phone="+77015550077")
    assert sweep(DUE).escalated == 2
    assert Notification.objects.filter(user=person, subject__contains=with_account.number).count() == 1
    assert not Notification.objects.filter(subject__contains=without.number).exists()
    assert Notification.objects.filter(user=registrar).count() == 1
