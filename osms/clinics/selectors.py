"""Every read of the clinics area that pages, the admin, services and the sweep share."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osms.accounts.models import Role
from osms.core.querysets import is_overdue

from . import rules
from .models import (
    Attachment,
    AttachmentApplication,
    AttachmentPolicy,
    Clinic,
    District,
    Doctor,
    RefusalReason,
    fold,
)

Status = AttachmentApplication.Status
CLINIC_SEARCH_LIMIT = 50


def local_today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(now or timezone.now()).date()


# --- rules in force and the person's situation ---------------------------------------------------------


def policy_current() -> rules.Policy:
    row = AttachmentPolicy.objects.order_by("pk").first()
    if row is None:
        return rules.Policy()
    return rules.Policy(
        choice_interval_months=row.choice_interval_months,
        campaign_starts=row.campaign_starts,
        campaign_ends=row.campaign_ends,
    )


def clinic_facts(clinic: Clinic) -> rules.ClinicFacts:
    return rules.ClinicFacts(
        id=clinic.pk,
        is_fund_supplier=clinic.is_fund_supplier,
        supplier_from=clinic.supplier_from,
        supplier_until=clinic.supplier_until,
    )


def attachment_current(*, iin: str) -> Attachment | None:
    return (
        Attachment.objects.select_related("clinic", "district", "doctor").filter(iin=iin, ended_at__isnull=True).first()
    )


def attachment_facts(attachment: Attachment | None, *, today: dt.date) -> rules.CurrentAttachment | None:
    if attachment is None:
        return None
    return rules.CurrentAttachment(
        clinic_id=attachment.clinic_id,
        started_on=local_today(attachment.started_at),
        clinic_is_supplier=rules.is_supplier_on(clinic_facts(attachment.clinic), today),
    )


def attachment_history(*, iin: str) -> QuerySet[Attachment]:
    return Attachment.objects.select_related("clinic").filter(iin=iin).order_by("-started_at")


def application_open(*, iin: str) -> AttachmentApplication | None:
    return (
        AttachmentApplication.objects.select_related("clinic")
        .filter(iin=iin, status__in=AttachmentApplication.OPEN)
        .first()
    )


def application_pending(*, iin: str) -> AttachmentApplication | None:
    return AttachmentApplication.objects.select_related("clinic").filter(iin=iin, status=Status.PENDING).first()


def _applications_seen_by(user, iin: str | None) -> QuerySet[AttachmentApplication]:
    """A citizen sees every signed application about themself, however made. For a ward (`iin`), the
    account sees those it made and those made at the clinic, not another representative's online
    application: that one carries the other parent's own address and phone."""
    seen = AttachmentApplication.objects.filter(iin=iin or user.iin)
    if iin and iin != user.iin:
        seen = seen.filter(Q(user=user) | Q(user__isnull=True))
    return seen.exclude(status__in=[Status.UNCONFIRMED, Status.ABANDONED])


def applications_of(*, user, iin: str | None = None) -> QuerySet[AttachmentApplication]:
    """The person's applications that reached the clinic (signed ones), newest first: the citizen's own,
    or (`iin`) the ward's the account acts for (see `_applications_seen_by`)."""
    return _applications_seen_by(user, iin).select_related("clinic", "district", "doctor").order_by("-submitted_at")


def application_of(*, user, number: str, iin: str | None = None) -> AttachmentApplication | None:
    return (
        _applications_seen_by(user, iin)
        .select_related("clinic", "district", "doctor")
        .prefetch_related("events")
        .filter(number=number)
        .first()
    )


def application_unconfirmed(*, user, application_id) -> AttachmentApplication | None:
    return (
        AttachmentApplication.objects.select_related("clinic")
        .filter(pk=application_id, user=user, status=Status.UNCONFIRMED)
        .first()
    )


# --- choosing a clinic -----------------------------------------------------------------------------------


def suppliers_on(day: dt.date) -> Q:
    return (
        Q(is_fund_supplier=True)
        & (Q(supplier_from__isnull=True) | Q(supplier_from__lte=day))
        & (Q(supplier_until__isnull=True) | Q(supplier_until__gte=day))
    )


def clinics_for_choice(*, region: str, query: str = "", today: dt.date) -> tuple[list[Clinic], int]:
    """The Fund's suppliers in the region whose name or address contains every word searched;
    at most CLINIC_SEARCH_LIMIT of them, and how many matched in all."""
    found = Clinic.objects.filter(suppliers_on(today), region=region)
    for word in fold(query).split()[:6]:
        found = found.filter(search_text__contains=word)
    total = found.count()
    return list(found.order_by("city", "name_ru")[:CLINIC_SEARCH_LIMIT]), total


def clinic_for_choice(*, clinic_id, today: dt.date) -> Clinic | None:
    return Clinic.objects.filter(suppliers_on(today), pk=clinic_id).first()


# --- the clinic's answer --------------------------------------------------------------------------------


def district_suggestions(*, application: AttachmentApplication) -> list[District]:
    """The clinic's districts serving the application's address, best first (may be empty)."""
    districts = list(District.objects.select_related("doctor").filter(clinic_id=application.clinic_id))
    order = rules.suggest_districts(
        street=application.street,
        house=application.house,
        districts=[(district.pk, district.streets) for district in districts],
    )
    by_id = {district.pk: district for district in districts}
    return [by_id[pk] for pk in order]


def clinic_districts(*, clinic_id: int) -> QuerySet[District]:
    return District.objects.select_related("doctor").filter(clinic_id=clinic_id).order_by("number")


def clinic_doctors(*, clinic_id: int) -> QuerySet[Doctor]:
    return Doctor.objects.filter(clinic_id=clinic_id, is_active=True).order_by("full_name")


def accounts_by_iin(*, iins: list[str]) -> dict:
    """Active portal accounts of these IINs (people who applied at the clinic may have registered since)."""
    if not iins:
        return {}
    return {user.iin: user for user in get_user_model().objects.filter(iin__in=iins, is_active=True)}


def registrars_of(*, clinic_id: int):
    return (
        get_user_model()
        .objects.filter(clinic_id=clinic_id, is_active=True, groups__name=Role.CLINIC_REGISTRAR)
        .distinct()
    )


def working_time_left(application: AttachmentApplication, *, now: dt.datetime | None = None) -> dt.timedelta | None:
    """Working time until the answer is due (negative when overdue); None when not waiting for one."""
    from osms.core.calendar import working_time_between

    if application.status != Status.PENDING or application.due_at is None:
        return None
    return working_time_between(now or timezone.now(), application.due_at)


def applications_overdue(*, now: dt.datetime | None = None) -> QuerySet[AttachmentApplication]:
    return AttachmentApplication.objects.overdue(now or timezone.now())


# --- links to other services ------------------------------------------------------------------------------


def appeal_url(*, application: AttachmentApplication) -> str:
    """One click to an appeal about access to care for this application; '' until the appeals app ships."""
    try:
        base = reverse("appeals:new")
    except NoReverseMatch:
        return ""
    return f"{base}?topic=access&attachment={application.number}"


def citizen_requests(*, user, iin: str | None = None):
    """The citizen's applications as lines of "My requests" (osms/accounts/cabinet.py)."""
    from osms.accounts.selectors import CitizenRequest

    for application in applications_of(user=user, iin=iin):
        yield CitizenRequest(
            service=_("Attachment to a clinic"),
            number=application.number,
            submitted_at=application.submitted_at,
            stage=application.get_status_display(),
            url=reverse("clinics:application", args=[application.number]),
        )


# --- the Fund's figures -------------------------------------------------------------------------------------


@dataclass
class ClinicFigures:
    clinic: Clinic
    applications: int = 0
    approved: int = 0
    refused: int = 0
    withdrawn: int = 0
    pending: int = 0
    overdue: int = 0  # pending past the deadline now
    refusals: Counter = field(default_factory=Counter)
    answer_seconds: list[int] = field(default_factory=list)
    in_time: int = 0
    late: int = 0  # answered late, or still unanswered past the deadline

    def count(self, status: str, refusal: str, seconds: int | None, in_time: bool | None, due_at, *, now) -> None:
        """Count one application in."""
        self.applications += 1
        if status == Status.APPROVED:
            self.approved += 1
        elif status == Status.REFUSED:
            self.refused += 1
            self.refusals[refusal] += 1
        elif status == Status.WITHDRAWN:
            self.withdrawn += 1
        elif status == Status.PENDING:
            self.pending += 1
            if is_overdue(due_at, now):
                self.overdue += 1
                self.late += 1
        if seconds is not None:
            self.answer_seconds.append(seconds)
        if in_time is True:
            self.in_time += 1
        elif in_time is False:
            self.late += 1

    @property
    def median_answer(self) -> dt.timedelta | None:
        value = rules.median(self.answer_seconds)
        return None if value is None else dt.timedelta(seconds=round(value))

    @property
    def share_in_time(self) -> float | None:
        return rules.share(self.in_time, self.in_time + self.late)

    @property
    def refusals_by_reason(self) -> list[tuple[str, int]]:
        labels = dict(RefusalReason.choices)
        return [(labels[reason], count) for reason, count in self.refusals.most_common()]


def clinic_figures(
    *, date_from: dt.date, date_to: dt.date, region: str = "", now: dt.datetime | None = None
) -> list[ClinicFigures]:
    """Per clinic, the applications submitted in [date_from, date_to] (local dates) and their fate.

    The median is of working time from submission to answer; "in time" counts answers by the
    deadline against answers after it plus applications still unanswered past it."""
    now = now or timezone.now()
    start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
    submitted = AttachmentApplication.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    if region:
        submitted = submitted.filter(clinic__region=region)
    rows = submitted.values_list(
        "clinic_id", "status", "refusal_reason", "answer_seconds", "answered_in_time", "due_at"
    ).order_by()
    figures: dict[int, ClinicFigures] = {}
    grouped: dict[int, list] = defaultdict(list)
    for row in rows.iterator(chunk_size=5000):
        grouped[row[0]].append(row)
    clinics = Clinic.objects.in_bulk(list(grouped))
    for clinic_id, items in grouped.items():
        item = figures[clinic_id] = ClinicFigures(clinic=clinics[clinic_id])
        for _clinic, status, refusal, seconds, in_time, due_at in items:
            item.count(status, refusal, seconds, in_time, due_at, now=now)
    return sorted(figures.values(), key=lambda item: (item.clinic.region, item.clinic.name_ru))
