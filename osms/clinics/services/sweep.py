"""The periodic sweep of attachment applications: the database says what is due, the sweep acts.

- A pending application past its deadline is escalated once: the Fund's overdue list shows it (it
  is simply pending past `due_at`), the clinic's registrars are reminded, and the citizen is told
  and offered an appeal in one click. While it stays unanswered the registrars are reminded again
  every working day. Nothing is approved automatically and nothing is dropped.
- An application never signed with its SMS code is closed when `confirm_by` passes.

Rows are taken with `select_for_update(skip_locked=True)` in small batches, and each one leaves
the batch's condition when handled, so two sweeps at once, or the same sweep twice, act once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osms.core.calendar import deadline_after
from osms.core.notifications import notification_create
from osms.representation.links import ward_record_link

from .. import selectors
from ..models import ApplicationEvent, AttachmentApplication
from .applications import _move

Status = AttachmentApplication.Status
BATCH = 100


@dataclass
class SweepResult:
    escalated: int = 0
    reminded: int = 0
    abandoned: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def attachments_sweep(*, now: dt.datetime) -> SweepResult:
    result = SweepResult()
    while _remind_batch(now=now, result=result):
        pass
    while _abandon_batch(now=now, result=result):
        pass
    return result


def _unmoved(application: AttachmentApplication, kind: str, now: dt.datetime) -> ApplicationEvent:
    """An event of a step that leaves the status as it is (written in bulk)."""
    status = application.status
    return ApplicationEvent(application=application, kind=kind, from_status=status, to_status=status, at=now)


def _remind_batch(*, now: dt.datetime, result: SweepResult) -> bool:
    """One batch, one transaction, a handful of queries: the events are the audit record of the
    escalation (docs/adr/0004 on bulk writes), the rows' changes are two UPDATEs."""
    next_reminder = deadline_after(now, working_days=1)  # the same for the whole batch
    with transaction.atomic():
        batch = list(
            AttachmentApplication.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("clinic", "user")
            .filter(status=Status.PENDING)
            .due(now, field="remind_at")
            .order_by("remind_at")[:BATCH]
        )
        if not batch:
            return False
        first_time = [application for application in batch if application.escalated_at is None]
        again = [application for application in batch if application.escalated_at is not None]
        AttachmentApplication.objects.filter(pk__in=[a.pk for a in first_time]).update(
            escalated_at=now, remind_at=next_reminder
        )
        AttachmentApplication.objects.filter(pk__in=[a.pk for a in again]).update(remind_at=next_reminder)
        ApplicationEvent.objects.bulk_create(
            [_unmoved(a, ApplicationEvent.Kind.ESCALATED, now) for a in first_time]
            + [_unmoved(a, ApplicationEvent.Kind.REMINDED, now) for a in again]
        )
        accounts = selectors.accounts_by_iin(iins=[a.iin for a in first_time if a.user_id is None])
        for application in first_time:
            application.escalated_at = now
            _tell_citizen(application, application.user or accounts.get(application.iin))
        result.escalated += len(first_time)
        result.reminded += len(again)
        by_clinic: dict[int, list[AttachmentApplication]] = defaultdict(list)
        for application in batch:
            by_clinic[application.clinic_id].append(application)
        for clinic_id, overdue in by_clinic.items():
            _remind_registrars(clinic_id=clinic_id, overdue=overdue)
    return True


def _abandon_batch(*, now: dt.datetime, result: SweepResult) -> bool:
    with transaction.atomic():
        batch = list(
            AttachmentApplication.objects.select_for_update(skip_locked=True)
            .filter(status=Status.UNCONFIRMED)
            .due(now, field="confirm_by")
            .order_by("confirm_by")[:BATCH]
        )
        for application in batch:
            _move(application, Status.ABANDONED, actor=None, at=now, save_all=False)
            result.abandoned += 1
    return bool(batch)


def _tell_citizen(application: AttachmentApplication, user) -> None:
    if user is None:
        return  # applied at the clinic without a portal account: the clinic tells the person
    with translation.override(user.language):
        appeal = selectors.appeal_url(application=application)
        subject = _("The clinic has not answered your application %(number)s in time") % {"number": application.number}
        body = _(
            "%(clinic)s had to answer by %(due)s. We have told the clinic and the Fund. "
            "You may file an appeal in one click from the application's page."
        ) % {"clinic": application.clinic.name, "due": date_format(application.due_at, "SHORT_DATETIME_FORMAT")}
        url = ward_record_link(
            appeal or reverse("clinics:application", args=[application.number]),
            recipient=user,
            ward_iin=application.iin,
            representative_iin=application.representative_iin,
        )
    notification_create(user=user, subject=subject, body=body, url=url)


def _remind_registrars(*, clinic_id: int, overdue: list[AttachmentApplication]) -> None:
    numbers = ", ".join(application.number for application in overdue[:10])
    for registrar in selectors.registrars_of(clinic_id=clinic_id):
        with translation.override(registrar.language):
            subject = ngettext(
                "%(count)d attachment application is overdue",
                "%(count)d attachment applications are overdue",
                len(overdue),
            ) % {"count": len(overdue)}
            body = _("Answer them in the back office: %(numbers)s.") % {"numbers": numbers}
            url = reverse("admin:clinics_attachmentapplication_changelist")
        notification_create(user=registrar, subject=subject, body=body, url=url)
