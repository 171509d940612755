"""Demo clinics with districts, and the demo registrar bound to the first one."""

from osms.accounts.models import Role, User

from .models import Clinic, District, Region

CLINICS = [
    ("PMSP-0001", "№ 1 қалалық емхана", "Городская поликлиника № 1", Region.ASTANA, "Астана", "пр. Абая, 10"),
    ("PMSP-0002", "№ 5 қалалық емхана", "Городская поликлиника № 5", Region.ALMATY_CITY, "Алматы", "ул. Толе би, 95"),
    (
        "PMSP-0003",
        "Орталық аудандық аурухана емханасы",
        "Поликлиника центральной районной больницы",
        Region.KARAGANDA,
        "Караганда",
        "ул. Ерубаева, 40",
    ),
]
DOCTORS = ["Иванова Мария Петровна", "Абдрахманов Серик Болатович", "Жумабаева Гульнара Ерлановна"]


def load(*, out) -> list[tuple[str, str, str]]:
    for code, name_kk, name_ru, region, city, address in CLINICS:
        clinic, _ = Clinic.objects.get_or_create(
            code=code,
            defaults={
                "name_kk": name_kk,
                "name_ru": name_ru,
                "region": region,
                "city": city,
                "address": address,
                "phone": "+7 7172 00 00 00",
                "working_hours": "Пн–Пт 8:00–20:00, Сб 9:00–14:00",
            },
        )
        for number, doctor in enumerate(DOCTORS, start=1):
            District.objects.get_or_create(
                clinic=clinic, number=number, defaults={"doctor_name": doctor, "streets": f"{address.split(',')[0]}"}
            )
    first = Clinic.objects.get(code=CLINICS[0][0])
    User.objects.filter(groups__name=Role.CLINIC_REGISTRAR, clinic__isnull=True).update(clinic=first)
    return []
