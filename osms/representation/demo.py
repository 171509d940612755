"""Demo data: a parent with two children (the younger under one year old, attached to no clinic)
and a guardian with a ward, linked through the representation register as the Fund would load it.
Idempotent (the register import is)."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.models import Group
from django.utils import timezone

from osms.accounts.demo import DEMO_PASSWORD, demo_user
from osms.accounts.models import Role
from osms.core.iin import make_iin
from osms.coverage.importers import run_import
from osms.coverage.models import BenefitMembership, Person

from . import importer

CHILD_BIRTH = dt.date(2019, 4, 12)
BABY_BIRTH = dt.date(2026, 6, 15)  # under one year old until 15.06.2027
WARD_BIRTH = dt.date(2013, 8, 20)


def _citizen(**fields):
    user = demo_user(phone_verified_at=timezone.now(), **fields)
    user.groups.add(Group.objects.get_or_create(name=Role.CITIZEN)[0])
    Person.objects.get_or_create(
        iin=user.iin,
        defaults={
            "last_name": user.last_name,
            "first_name": user.first_name,
            "patronymic": user.patronymic,
            "birth_date": user.birth_date,
            "phone": user.phone,
        },
    )
    return user


def _person(birth: dt.date, *, female: bool, last_name: str, first_name: str, patronymic: str) -> Person:
    iin = make_iin(birth, female=female, serial=777)
    person, _ = Person.objects.get_or_create(
        iin=iin,
        defaults={"last_name": last_name, "first_name": first_name, "patronymic": patronymic, "birth_date": birth},
    )
    return person


def load(*, out) -> list[tuple[str, str, str]]:
    parent = _citizen(
        birth=dt.date(1990, 11, 5),
        female=True,
        last_name="Қасымова",
        first_name="Динара",
        patronymic="Асқарқызы",
        phone="+77075550201",
    )
    child = _person(CHILD_BIRTH, female=False, last_name="Қасымов", first_name="Әли", patronymic="Нұрланұлы")
    baby = _person(BABY_BIRTH, female=True, last_name="Қасымова", first_name="Аяла", patronymic="Нұрланқызы")
    # Children are category 1 (§5): the benefit register has the older one; the baby is not there yet.
    BenefitMembership.objects.get_or_create(
        iin=child.iin,
        category_id=1,
        start=CHILD_BIRTH,
        source=BenefitMembership.Source.REGISTRY,
        defaults={"end": None},
    )
    guardian = _citizen(
        birth=dt.date(1962, 2, 17),
        female=False,
        last_name="Омаров",
        first_name="Серік",
        patronymic="Болатұлы",
        phone="+77075550202",
    )
    ward = _person(WARD_BIRTH, female=True, last_name="Бекова", first_name="Мадина", patronymic="Ерланқызы")
    register = "\n".join(
        [
            ";".join(importer.HEADER),
            f"{child.iin};{parent.iin};родитель;{CHILD_BIRTH:%d.%m.%Y};",
            f"{baby.iin};{parent.iin};родитель;{BABY_BIRTH:%d.%m.%Y};",
            f"{ward.iin};{guardian.iin};опекун;01.09.2022;19.08.2031",
        ]
    )
    run_import(importer.KIND, io.BytesIO(register.encode("utf-8")))
    return [
        (
            f"Citizen: parent of {child.first_name} and of {baby.first_name} (under 1)",
            parent.iin,
            f"password {DEMO_PASSWORD}",
        ),
        (f"Citizen: guardian of {ward.first_name}", guardian.iin, f"password {DEMO_PASSWORD}"),
    ]
