"""Demo accounts: one staff user of each role (with a TOTP device), a registered citizen, an account made
before the identity proof (its phone is not the register's: it must prove identity again), and a
person the persons register holds no number for (can register only with an EDS)."""

import datetime as dt

from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from osms.core.iin import make_iin

from .models import Role, User

DEMO_PASSWORD = "Demo-Portal-2026"  # nosec B105 # the published password of demo accounts (make demo, never production)
# A fixed, public TOTP key: the demo staff accounts are for a developer's machine only.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"

STAFF = [
    (Role.ADMINISTRATOR, dt.date(1980, 5, 12), "Администратова", "Айгерим", True),
    (Role.FUND_OFFICER, dt.date(1985, 9, 3), "Фондов", "Ерлан", False),
    (Role.CLINIC_REGISTRAR, dt.date(1990, 2, 14), "Регистраторова", "Динара", False),
    (Role.CALL_CENTRE_OPERATOR, dt.date(1995, 7, 21), "Операторов", "Нурлан", False),
]


def demo_user(*, birth: dt.date, female: bool, last_name: str, first_name: str, **fields) -> User:
    iin = make_iin(birth, female=female, serial=777)
    user, created = User.objects.get_or_create(
        iin=iin,
        defaults={"last_name": last_name, "first_name": first_name, "birth_date": birth, **fields},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def load(*, out) -> list[tuple[str, str, str]]:
    rows = []
    for role, birth, last_name, first_name, superuser in STAFF:
        female = last_name.endswith("а")
        user = demo_user(
            birth=birth,
            female=female,
            last_name=last_name,
            first_name=first_name,
            is_staff=True,
            is_superuser=superuser,
            phone="+77010000001",
            phone_verified_at=timezone.now(),
        )
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        TOTPDevice.objects.get_or_create(user=user, name="demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True})
        rows.append((str(Role(role).label), user.iin, f"password {DEMO_PASSWORD} + TOTP"))
    citizen = demo_user(
        birth=dt.date(1988, 3, 27),
        female=True,
        last_name="Серикова",
        first_name="Асель",
        patronymic="Маратовна",
        phone="+77071234567",
        phone_verified_at=timezone.now(),
        email="asel@example.kz",
    )
    citizen.groups.add(Group.objects.get_or_create(name=Role.CITIZEN)[0])
    _in_register(citizen, phone=citizen.phone)
    rows.append(("Citizen (registered)", citizen.iin, f"password {DEMO_PASSWORD}"))
    return rows + _identity_people()


def _in_register(user: User, *, phone: str) -> None:
    from osms.coverage.models import Person

    Person.objects.get_or_create(
        iin=user.iin,
        defaults={
            "last_name": user.last_name,
            "first_name": user.first_name,
            "patronymic": user.patronymic,
            "birth_date": user.birth_date,
            "phone": phone,
        },
    )


def _identity_people() -> list[tuple[str, str, str]]:
    """An account made before the identity proof, and a person the register holds no number for."""
    from osms.coverage.models import Person

    legacy = demo_user(
        birth=dt.date(1983, 8, 19),
        female=False,
        last_name="Старов",
        first_name="Данияр",
        phone="+77019990000",  # typed at registration before the proof existed; the register has another
        phone_verified_at=timezone.now(),
    )
    legacy.groups.add(Group.objects.get_or_create(name=Role.CITIZEN)[0])
    _in_register(legacy, phone="+77475550077")
    if not legacy.identity_proven_at:
        User.objects.filter(pk=legacy.pk).update(identity_proof_required=True)
    eds_only = make_iin(dt.date(1996, 12, 5), female=True, serial=777)
    Person.objects.get_or_create(
        iin=eds_only,
        defaults={"last_name": "Нуриева", "first_name": "Камила", "birth_date": dt.date(1996, 12, 5), "phone": ""},
    )
    return [
        (
            "Citizen made before the identity proof (must prove it again)",
            legacy.iin,
            f"password {DEMO_PASSWORD}; the code goes to the register's +77475550077",
        ),
        ("Person with no number in the register (no account yet)", eds_only, "register with an EDS (test chain)"),
    ]
