"""Clinics, registrars and applications for the tests, built through the same services people use."""

from __future__ import annotations

import io
import itertools
import re

from django.contrib.auth.models import Group
from django.test import TestCase
from PIL import Image

from osms.clinics import services
from osms.clinics.clinics_csv import HEADER, SEPARATOR
from osms.clinics.models import Clinic, District, Doctor, Reason
from osms.core.sms import LocmemSmsBackend
from osms.core.uploads import upload_check

_codes = itertools.count(1)
_serials = itertools.count(7000)


_issued: set[str] = set()


def person_iin(birth=None) -> str:
    """An IIN no fixture hands out: born in 1950 (the conftest's are born in 1990), never the same twice
    (make_iin moves on to the next serial when one has no check digit, so serials alone can repeat)."""
    import datetime as dt

    from osms.core.iin import make_iin

    while True:
        iin = make_iin(birth or dt.date(1950, 5, 5), female=False, serial=next(_serials))
        if iin not in _issued:
            _issued.add(iin)
            return iin


DEFAULT_DISTRICTS = (
    (1, "Иванова Мария Петровна", "пр. Абая: 1-40\nул. Кенесары"),
    (2, "Абдрахманов Серик Болатович", "пр. Абая: 41-120"),
)


def make_clinic(*, region="astana", city="Астана", districts=DEFAULT_DISTRICTS, **fields) -> Clinic:
    number = next(_codes)
    values = {
        "code": f"T-{number:04d}",
        "name_kk": f"№ {number} емхана",
        "name_ru": f"Поликлиника № {number}",
        "address": f"ул. Тестовая, {number}",
        "phone": "+7 7172 00 00 00",
        **fields,
    }
    clinic = Clinic.objects.create(region=region, city=city, **values)
    for district_number, doctor_name, streets in districts:
        doctor = Doctor.objects.create(clinic=clinic, full_name=doctor_name)
        District.objects.create(clinic=clinic, number=district_number, doctor=doctor, streets=streets)
    return clinic


def make_registrar(make_user, clinic: Clinic, **fields):
    from osms.accounts.roles import roles_sync

    roles_sync()
    return make_user(role="clinic_registrar", clinic=clinic, iin=person_iin(), **fields)


def make_fund_officer(make_user, **fields):
    from osms.accounts.roles import roles_sync

    roles_sync()
    return make_user(role="fund_officer", iin=person_iin(), **fields)


def last_code(phone: str) -> str:
    texts = [message["text"] for message in LocmemSmsBackend.outbox if message["to"] == phone]
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def draft(user, clinic, *, reason=Reason.FIRST, street="пр. Абая", house="12", **fields):
    """An unsigned online application; the SMS code is in the outbox."""
    kwargs = {
        "actor": user,
        "clinic": clinic,
        "reason": reason,
        "locality": clinic.city,
        "street": street,
        "house": house,
        "flat": "",
        "phone": user.phone,
        **fields,
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.application_create(**kwargs)


def submitted(user, clinic, **fields):
    """An online application signed with its SMS code: pending with the clinic."""
    application = draft(user, clinic, **fields)
    return services.application_submit(actor=user, application=application, code=last_code(user.phone))


def png_upload(name: str = "spravka.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def in_clinic(registrar, *, iin, reason=Reason.FIRST, group="pensioner", street="пр. Абая", house="12", **fields):
    values = {
        "actor": registrar,
        "iin": iin,
        "last_name": "Байжанов",
        "first_name": "Ерлан",
        "patronymic": "",
        "phone": "+77015550000",
        "group": group,
        "reason": reason,
        "locality": registrar.clinic.city if registrar.clinic else "Астана",
        "street": street,
        "house": house,
        "flat": "",
        "document": upload_check(png_upload()),
        **fields,
    }
    return services.application_create_in_clinic(**values)


def csv_bytes(*rows: str, header: str = SEPARATOR.join(HEADER), bom: bool = False) -> bytes:
    text = "\n".join([header, *rows]) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def csv_row(
    code="PMSP-9001",
    name_kk="№ 9 емхана",
    name_ru="Поликлиника № 9",
    region="astana",
    city="Астана",
    address="пр. Абая, 10",
    phone="+7 7172 00 00 09",
    hours="Пн–Пт 8:00–20:00",
    supplier="да",
    supplier_from="",
    supplier_until="",
    district="1",
    doctor="Иванова Мария Петровна",
    streets="пр. Абая: 1-40|ул. Кенесары",
) -> str:
    return SEPARATOR.join(
        [
            code,
            name_kk,
            name_ru,
            region,
            city,
            address,
            phone,
            hours,
            supplier,
            supplier_from,
            supplier_until,
            district,
            doctor,
            streets,
        ]
    )


def citizen_group():
    return Group.objects.get_or_create(name="citizen")[0]
