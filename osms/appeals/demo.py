"""Demo appeals: the demo citizen has one appeal answered and one in progress, built through the services."""

import datetime as dt

from django.contrib.auth.models import Group
from django.utils import timezone

from osms.accounts.demo import DEMO_PASSWORD, demo_user
from osms.accounts.models import Role
from osms.clinics.models import Clinic, Region

from . import services
from .models import Appeal, AppealContact, Channel, Topic

ANSWERED = "Мне отказали в выдаче бесплатного лекарства по рецепту участкового врача, сказали, что его нет в аптеке."
IN_PROGRESS = "В поликлинике не записывают к кардиологу: говорят, что свободных мест нет на три месяца вперёд."


def _officer():
    officer = demo_user(birth=dt.date(1985, 9, 3), female=False, last_name="Фондов", first_name="Ерлан", is_staff=True)
    officer.groups.add(Group.objects.get_or_create(name=Role.FUND_OFFICER)[0])
    return officer


def _file(citizen, *, substance: str, topic: str, now: dt.datetime) -> Appeal:
    clinic = Clinic.objects.filter(region=Region.ASTANA).order_by("code").first()
    return services.appeal_register(
        actor=citizen,
        channel=Channel.PORTAL,
        applicant_iin=citizen.iin,
        applicant_name=citizen.get_full_name(),
        topic=topic,
        region=Region.ASTANA,
        clinic=clinic,
        substance=substance,
        now=now,
    )


def load(*, out) -> list[tuple[str, str, str]]:
    citizen = demo_user(birth=dt.date(1988, 3, 27), female=True, last_name="Серикова", first_name="Асель")
    officer = _officer()
    mine = Appeal.objects.filter(applicant_iin=citizen.iin)
    now = timezone.now()
    if not mine.filter(substance=ANSWERED).exists():
        start = now - dt.timedelta(days=9)
        appeal = _file(citizen, substance=ANSWERED, topic=Topic.MEDICINES, now=start)
        services.appeal_assign(actor=officer, appeal=appeal, officer=officer, now=start + dt.timedelta(hours=2))
        services.appeal_contact_record(
            actor=officer,
            appeal=appeal,
            clinic=appeal.clinic,
            method=AppealContact.Method.PHONE,
            contacted_at=start + dt.timedelta(days=1),
            person="Заведующая аптечным пунктом",
            findings="Препарат поступил в аптечный пункт поликлиники; пациентку не известили.",
            now=start + dt.timedelta(days=1),
        )
        services.appeal_answer(
            actor=officer,
            appeal=appeal,
            text=(
                "Фонд связался с поликлиникой. Лекарство поступило в аптечный пункт поликлиники; "
                "вы можете получить его по рецепту в рабочие часы. Поликлинике указано на обязанность "
                "извещать пациентов о поступлении лекарств."
            ),
            now=start + dt.timedelta(days=2),
        )
    if not mine.filter(substance=IN_PROGRESS).exists():
        start = now - dt.timedelta(days=3)
        appeal = _file(citizen, substance=IN_PROGRESS, topic=Topic.ACCESS_TO_CARE, now=start)
        services.appeal_assign(actor=officer, appeal=appeal, officer=officer, now=start + dt.timedelta(hours=1))
        services.appeal_start(actor=officer, appeal=appeal, now=start + dt.timedelta(hours=1))
    numbers = ", ".join(mine.order_by("registered_at").values_list("number", flat=True))
    return [
        ("Citizen with appeals (answered, in progress)", citizen.iin, f"password {DEMO_PASSWORD}; appeals {numbers}")
    ]
