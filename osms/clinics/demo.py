"""Demo clinics (loaded through the CSV import, like real ones), the demo registrar bound to the first
clinic, one citizen attached by an approved application, and one application waiting for the clinic.
Idempotent: running it again changes nothing."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.models import Group
from django.utils import timezone

from osms.accounts.demo import DEMO_PASSWORD, demo_user
from osms.accounts.models import Role, User
from osms.core.calendar import deadline_after

from .clinics_csv import HEADER, SEPARATOR
from .models import ApplicationEvent, AttachmentApplication, Channel, Clinic, District, Reason
from .services import application_approve, clinics_import

HOURS = "Пн–Пт 8:00–20:00, Сб 9:00–14:00"
CLINICS = [
    (
        "PMSP-0001;№ 1 қалалық емхана;Городская поликлиника № 1;astana;Астана;пр. Абая, 10;+7 7172 00 00 01",
        [
            ("1", "Иванова Мария Петровна", "пр. Абая: 1-40|ул. Кенесары: 1-30"),
            ("2", "Абдрахманов Серик Болатович", "пр. Абая: 41-120|ул. Бейбитшилик"),
            ("3", "Жумабаева Гульнара Ерлановна", "ул. Сарыарка|ул. Кенесары: 31-90"),
        ],
    ),
    (
        "PMSP-0002;№ 5 қалалық емхана;Городская поликлиника № 5;almaty_city;Алматы;ул. Толе би, 95;+7 727 000 00 05",
        [
            ("1", "Ким Елена Викторовна", "ул. Толе би: 1-120|ул. Жарокова"),
            ("2", "Нурланов Бауыржан Ержанович", "ул. Розыбакиева|пр. Абая: 100-200"),
            ("3", "Сейтказина Айжан Муратовна", "мкр. Орбита-1|мкр. Орбита-2"),
        ],
    ),
    (
        "PMSP-0003;Орталық аудандық аурухана емханасы;Поликлиника центральной районной больницы;karaganda;"
        "Караганда;ул. Ерубаева, 40;+7 7212 00 00 03",
        [
            ("1", "Петров Андрей Сергеевич", "ул. Ерубаева|пр. Бухар-Жырау: 1-50"),
            ("2", "Оспанова Динара Кайратовна", "пр. Бухар-Жырау: 51-150|ул. Гоголя"),
        ],
    ),
]


def _csv() -> bytes:
    lines = [SEPARATOR.join(HEADER)]
    for clinic, districts in CLINICS:
        for number, doctor, streets in districts:
            lines.append(SEPARATOR.join([clinic, HOURS, "да", "", "", number, doctor, streets]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _citizen(*, birth: dt.date, female: bool, last_name: str, first_name: str, phone: str) -> User:
    user = demo_user(
        birth=birth,
        female=female,
        last_name=last_name,
        first_name=first_name,
        phone=phone,
        phone_verified_at=timezone.now(),
    )
    user.groups.add(Group.objects.get_or_create(name=Role.CITIZEN)[0])
    return user


def _submitted(user: User, clinic: Clinic, *, reason: str, street: str, house: str) -> AttachmentApplication:
    """An online application as signing it with the SMS code leaves it (the code cannot be typed here)."""
    now = timezone.now()
    application = AttachmentApplication.objects.create(
        iin=user.iin,
        user=user,
        last_name=user.last_name,
        first_name=user.first_name,
        patronymic=user.patronymic,
        phone=user.phone,
        clinic=clinic,
        reason=reason,
        locality=clinic.city,
        street=street,
        house=house,
        channel=Channel.ONLINE,
        created_by=user,
        status=AttachmentApplication.Status.PENDING,
        submitted_at=now,
        due_at=deadline_after(now, working_days=1),
    )
    application.remind_at = application.due_at
    application.number = f"AT-{application.pk:07d}"
    application.save(update_fields=["remind_at", "number"])
    ApplicationEvent.objects.create(application=application, kind=ApplicationEvent.Kind.SUBMITTED, at=now, actor=user)
    return application


def load(*, out) -> list[tuple[str, str, str]]:
    clinics_import(stream=io.BytesIO(_csv()))
    first = Clinic.objects.get(code="PMSP-0001")
    User.objects.filter(groups__name=Role.CLINIC_REGISTRAR, clinic__isnull=True).update(clinic=first)
    registrar = User.objects.filter(groups__name=Role.CLINIC_REGISTRAR, clinic=first, is_active=True).first()

    attached = _citizen(
        birth=dt.date(1975, 6, 9), female=False, last_name="Омаров", first_name="Данияр", phone="+77071234501"
    )
    if registrar is not None and not attached.attachment_applications.exists():
        application = _submitted(attached, first, reason=Reason.FIRST, street="пр. Абая", house="12")
        district = District.objects.select_related("doctor").get(clinic=first, number=1)
        application_approve(actor=registrar, application=application, district=district, doctor=district.doctor)

    waiting = _citizen(
        birth=dt.date(1979, 11, 2), female=False, last_name="Ахметов", first_name="Нурлан", phone="+77071234502"
    )
    if not waiting.attachment_applications.exists():
        _submitted(waiting, first, reason=Reason.FIRST, street="ул. Сарыарка", house="5")
    return [
        ("Citizen attached to a clinic", attached.iin, f"password {DEMO_PASSWORD}"),
        ("Citizen with an application waiting for the clinic", waiting.iin, f"password {DEMO_PASSWORD}"),
    ]
