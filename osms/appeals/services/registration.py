"""Registration: the next number of the year (a locked counter row: no gap, no duplicate), the terms,
the first event, by the citizen or by an operator for a caller."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from osms.accounts.models import Role, User
from osms.clinics.models import Clinic, Region
from osms.core.calendar import ALMATY
from osms.core.errors import NotPermitted
from osms.representation.acting import ActingSubject, subject_or_self

from .. import rules
from ..models import AnswerBy, Appeal, AppealCounter, AppealEvent, AppealFile, Channel, LinkKind, Status, Topic
from .common import applicant_account, deadlines, event_add, notify, now_or_current

STAFF_CHANNELS = frozenset(Channel.values) - {Channel.PORTAL}


# --- Numbers ----------------------------------------------------------------------------------------------


def _take_number(year: int) -> tuple[int, str]:
    """The next number of the year. The counter row stays locked until the caller's transaction ends,
    so concurrent registrations queue here: no duplicate, and a rolled-back one gives its number back."""
    counter = AppealCounter.objects.select_for_update().filter(year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                AppealCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # another registration created it first; wait for its lock below
        counter = AppealCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, rules.format_number(year=year, sequence=counter.last)


# --- Registration -----------------------------------------------------------------------------------------


def _check_registration(
    *, actor: User, channel: str, applicant_iin: str, topic: str, link_kind: str, subject: ActingSubject
) -> None:
    if topic in rules.RETIRED_TOPICS:
        raise ValidationError({"topic": rules.STATEMENT_ROUTE_MESSAGE}, code="topic_retired")
    if channel == Channel.PORTAL:
        if subject.iin != applicant_iin or subject.representative != actor or not actor.is_active:
            raise NotPermitted(_("You may file appeals only on your own behalf."))
        if topic == Topic.CLINIC_ATTACHMENT and not link_kind:
            raise ValidationError({"topic": _("Choose a topic from the list.")}, code="topic_needs_link")
    else:
        if channel not in STAFF_CHANNELS:
            raise ValidationError({"channel": _("Choose the channel the appeal came by.")}, code="channel")
        if not (actor.is_active and (actor.has_role(Role.CALL_CENTRE_OPERATOR) or actor.has_role(Role.FUND_OFFICER))):
            raise NotPermitted(_("Only call-centre operators and fund officers register appeals for callers."))


def _check_content(*, topic, region, substance, clinic, answer_by, contacts, link_kind) -> None:
    """Every problem of the appeal's content at once, by field, as the form shows them."""
    phone, email, address = contacts
    problems = {}
    if topic not in Topic.values:
        problems["topic"] = _("Choose a topic from the list.")
    if region not in Region.values:
        problems["region"] = _("Choose the region.")
    if not substance:
        problems["substance"] = _("Describe your question.")
    elif len(substance) > rules.SUBSTANCE_MAX_CHARS:
        problems["substance"] = _("The text is too long.")
    if clinic is not None and clinic.region != region:
        problems["clinic"] = _("The medical organisation is in another region.")
    contact_problem = rules.answer_contact_problem(answer_by=answer_by, phone=phone, email=email, address=address)
    if contact_problem:
        problems[contact_problem[0]] = contact_problem[1]
    if problems:
        raise ValidationError(problems)
    if link_kind not in LinkKind.values:
        raise ValidationError({"link_kind": _("Unknown link.")})


# long: one keyword per column of the register; the signature and the create() list name each field once.
def appeal_register(
    *,
    actor: User,
    channel: str,
    applicant_iin: str,
    applicant_name: str,
    topic: str,
    region: str,
    substance: str,
    answer_by: str = AnswerBy.CABINET,
    clinic: Clinic | None = None,
    contact_phone: str = "",
    contact_email: str = "",
    postal_address: str = "",
    link_kind: str = LinkKind.NONE,
    link_reference: str = "",
    draft_file_ids: Sequence[int] = (),
    now: dt.datetime | None = None,
    subject: ActingSubject | None = None,
) -> Appeal:
    """Enter an appeal into the register: the next number of the year, the deadline, the first event.

    A citizen files on their own behalf (channel PORTAL); a call-centre operator or a fund officer
    registers one for a caller identified by IIN, with the channel it came by. `subject`: a ward the
    citizen acts for (the applicant is the ward, the representative is stored beside).
    """
    now = now_or_current(now)
    subject = subject_or_self(subject, actor)
    _check_registration(
        actor=actor,
        channel=channel,
        applicant_iin=applicant_iin,
        topic=topic,
        link_kind=link_kind,
        subject=subject,
    )
    substance = (substance or "").strip()
    _check_content(
        topic=topic,
        region=region,
        substance=substance,
        clinic=clinic,
        answer_by=answer_by,
        contacts=(contact_phone, contact_email, postal_address),
        link_kind=link_kind,
    )

    with transaction.atomic():
        files = list(
            AppealFile.objects.select_for_update().filter(
                pk__in=list(draft_file_ids), uploaded_by=actor, appeal=None, answer=None
            )
        )
        if len(files) > rules.MAX_FILES:
            raise ValidationError(
                _("You can attach at most %(count)d documents."), code="too_many", params={"count": rules.MAX_FILES}
            )
        year = now.astimezone(ALMATY).year
        sequence, number = _take_number(year)
        applicant = actor if channel == Channel.PORTAL else applicant_account(applicant_iin)
        appeal = Appeal.objects.create(
            number=number,
            year=year,
            sequence=sequence,
            applicant=applicant,
            applicant_iin=applicant_iin,
            applicant_name=applicant_name.strip()[:300],
            representative_iin=subject.representative_iin if channel == Channel.PORTAL else "",
            contact_phone=contact_phone,
            contact_email=contact_email,
            postal_address=postal_address.strip(),
            channel=channel,
            topic=topic,
            region=region,
            clinic=clinic,
            substance=substance,
            answer_by=answer_by,
            link_kind=link_kind,
            link_reference=link_reference if link_kind else "",
            registered_by=actor,
            registered_at=now,
            status=Status.REGISTERED,
            **deadlines(start=now, topic=topic),
        )
        AppealFile.objects.filter(pk__in=[item.pk for item in files]).update(appeal=appeal)
        event_add(
            appeal,
            AppealEvent.Kind.REGISTERED,
            actor=actor,
            now=now,
            acting_for=subject.acting_for if channel == Channel.PORTAL else "",
        )
        notify(
            appeal,
            _("Appeal № %(number)s registered"),
            _("Your appeal № %(number)s is in the Fund's register. The answer is due by %(due)s."),
        )
    return appeal
