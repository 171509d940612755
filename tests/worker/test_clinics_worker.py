"""Clinic attachment through a real Celery worker on Redis and PostgreSQL, with moved time.

The test process moves its clock with time-machine to submit and answer applications; the worker
cannot share that clock, so the sweep task is given the moment to act at (`now`, an ISO string),
which is how the task is designed (the database, not the broker, says what is due). Applications
are signed with the SMS code the worker itself sent."""

import ast
import datetime as dt
import json
import re

import pytest

from osms.clinics import services
from osms.clinics.models import ApplicationEvent, AttachmentApplication
from osms.clinics.tasks import attachments_sweep
from osms.clinics.tests.factories import make_clinic, make_registrar, person_iin
from osms.core.calendar import ALMATY
from osms.core.models import Notification, NotificationDelivery

from .conftest import wait_for

pytestmark = pytest.mark.worker
Status = AttachmentApplication.Status

# Friday 6 March 2026, 16:00 Almaty; Saturday and Sunday, then Monday 9 March is the day off for
# International Women's Day (8 March fell on a Sunday). One working day later is Tuesday 16:00.
FRIDAY = dt.datetime(2026, 3, 6, 16, 0, tzinfo=ALMATY)
DUE = dt.datetime(2026, 3, 10, 16, 0, tzinfo=ALMATY)


def sms_texts(worker, phone: str) -> list[str]:
    texts = []
    for path in sorted(worker.sms_dir.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record["to"] == phone:
            texts.append(record["text"])
    return texts


def sign(worker, user, clinic, *, street: str) -> AttachmentApplication:
    """Fill in online, then sign with the code the worker sent by SMS."""
    sent_before = len(sms_texts(worker, user.phone))
    application = services.application_create(
        actor=user,
        clinic=clinic,
        reason="first",
        locality="Астана",
        street=street,
        house="12",
        flat="",
        phone=user.phone,
    )
    texts = wait_for(lambda: sms_texts(worker, user.phone)[sent_before:])
    code = re.search(r"\b(\d{6})\b", texts[-1]).group(1)
    return services.application_submit(actor=user, application=application, code=code)


def sweep_in_worker(worker, now: dt.datetime) -> dict[str, int]:
    """Run the sweep in the worker at `now` and return what it did (from the worker's log)."""
    result = attachments_sweep.delay(now.isoformat())
    pattern = re.compile(rf"\[{re.escape(result.id)}\] succeeded in [0-9.]+s: (\{{.*\}})")
    match = wait_for(lambda: pattern.search(worker.log_path.read_text()))
    return ast.literal_eval(match.group(1))


def test_an_unanswered_application_is_escalated_after_one_working_day_across_a_weekend_and_a_holiday(
    celery_worker_process, make_user, time_machine
):
    worker = celery_worker_process
    clinic = make_clinic()
    registrar = make_registrar(make_user, clinic)
    waiting_citizen = make_user(iin=person_iin(), phone="+77015550101")
    answered_citizen = make_user(iin=person_iin(), phone="+77015550102")

    time_machine.move_to(FRIDAY)
    waiting = sign(worker, waiting_citizen, clinic, street="пр. Абая")
    answered = sign(worker, answered_citizen, clinic, street="ул. Кенесары")
    assert waiting.due_at.astimezone(ALMATY).date() == DUE.date()

    # Saturday, and Monday evening (74 hours on, but a day off): nothing is due yet.
    for moment in (dt.datetime(2026, 3, 7, 16, 30, tzinfo=ALMATY), dt.datetime(2026, 3, 9, 18, 0, tzinfo=ALMATY)):
        assert sweep_in_worker(worker, moment) == {"escalated": 0, "reminded": 0, "abandoned": 0}

    # Tuesday morning the clinic answers one of them, in time.
    time_machine.move_to(dt.datetime(2026, 3, 10, 11, 0, tzinfo=ALMATY))
    district = clinic.districts.get(number=1)
    services.application_approve(actor=registrar, application=answered, district=district, doctor=district.doctor)

    # Tuesday 16:05, one working day after submission: the other is escalated, once.
    after = DUE + dt.timedelta(minutes=5)
    assert sweep_in_worker(worker, after) == {"escalated": 1, "reminded": 0, "abandoned": 0}
    waiting.refresh_from_db()
    answered.refresh_from_db()
    assert waiting.escalated_at == after and waiting.status == Status.PENDING  # never approved by itself
    assert answered.escalated_at is None and answered.status == Status.APPROVED
    assert waiting.events.filter(kind=ApplicationEvent.Kind.ESCALATED).count() == 1

    # The citizen and the clinic's registrar are told by SMS, sent by the worker.
    told = Notification.objects.get(user=waiting_citizen, subject__contains=waiting.number)
    assert "/appeals/new/?topic=access&attachment=" in told.url
    wait_for(lambda: NotificationDelivery.objects.filter(notification=told, status="sent").exists())
    wait_for(lambda: any(waiting.number in text for text in sms_texts(worker, waiting_citizen.phone)))
    reminder = Notification.objects.get(user=registrar)
    wait_for(lambda: NotificationDelivery.objects.filter(notification=reminder, status="sent").exists())

    # Run again at the same moment: nothing more.
    assert sweep_in_worker(worker, after) == {"escalated": 0, "reminded": 0, "abandoned": 0}
    assert Notification.objects.filter(user=waiting_citizen, subject__contains=waiting.number).count() == 1
