"""Demo citizens that show each status rule (docs/domain.md §4), with accounts to sign in as.

Payments are dated relative to the day the demo is loaded and are put in through the register
import, as the Fund's files arrive. A person who already has payments or memberships is left as
they are, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.models import Group
from django.utils import timezone

from osms.accounts.demo import DEMO_PASSWORD, demo_user
from osms.accounts.models import Role
from osms.core.iin import make_bin

from .importers import KIND_BENEFITS, KIND_PAYMENTS, run_import
from .importers.parsing import BENEFITS_HEADER, PAYMENTS_HEADER
from .models import BenefitMembership, Payment, Person
from .periods import Period
from .rules import DEFAULT_MZP, monthly_contribution

EMPLOYER_BIN = make_bin(dt.date(2008, 3, 1), serial=2024)
EMPLOYER_NAME = 'ТОО "Алатау Строй"'


def _employer_rows(iin: str, first: Period, last: Period, today: dt.date) -> list[str]:
    """Monthly отчисления by the employer, each received on the 1st of the following month."""
    rows = []
    for period in Period.range(first, last):
        received = min((period + 1).first_day, today)
        rows.append(
            ";".join(
                [
                    received.strftime("%d.%m.%Y"),
                    f"D{period.code}",
                    "121",
                    EMPLOYER_NAME,
                    EMPLOYER_BIN,
                    iin,
                    "7650.00",
                    "ОБРАБОТАННЫЕ",
                    period.code,
                    "",
                ]
            )
        )
    return rows


def _prepaid_rows(iin: str, first: Period, name: str, today: dt.date) -> list[str]:
    """The Fund's recipe: 12 separate взносы, the current month first, all paid today."""
    rows = []
    for number, period in enumerate(Period.range(first, first + 11), start=1):
        amount = monthly_contribution(mzp=DEFAULT_MZP, year=period.year)
        rows.append(
            ";".join(
                [
                    today.strftime("%d.%m.%Y"),
                    f"K{number}",
                    "122",
                    name,
                    iin,
                    iin,
                    f"{amount}",
                    "ОБРАБОТАННЫЕ",
                    period.code,
                    "",
                ]
            )
        )
    return rows


def _load(kind: str, header: tuple[str, ...], rows: list[str]) -> None:
    if rows:
        data = "\n".join([";".join(header), *rows]).encode("utf-8")
        run_import(kind, io.BytesIO(data))


# (label for the sign-in table, birth date, female, surname, name, patronymic, scenario)
PEOPLE = [
    ("Citizen: insured employee", dt.date(1986, 4, 11), False, "Жумабаев", "Данияр", "Серикович", "employee"),
    ("Citizen: insured in the 3 grace months", dt.date(1991, 8, 2), True, "Нурланова", "Мадина", "Ерлановна", "grace"),
    ("Citizen: not insured, with debt", dt.date(1979, 12, 19), False, "Касымов", "Ержан", "Болатович", "debt"),
    ("Citizen: prepaid year", dt.date(1994, 6, 25), True, "Ахметова", "Айжан", "", "prepaid"),
    (
        "Citizen: benefit category (disability)",
        dt.date(1968, 2, 7),
        False,
        "Омаров",
        "Бауыржан",
        "Кайратович",
        "benefit",
    ),
    ("Citizen: never paid", dt.date(1999, 10, 30), True, "Тулегенова", "Сабина", "", "never"),
]


def load(*, out) -> list[tuple[str, str, str]]:
    today = timezone.localdate()
    m0 = Period.of(today)
    rows = []
    citizens = Group.objects.get_or_create(name=Role.CITIZEN)[0]
    for label, birth, female, last_name, first_name, patronymic, scenario in PEOPLE:
        user = demo_user(
            birth=birth,
            female=female,
            last_name=last_name,
            first_name=first_name,
            patronymic=patronymic,
            phone="+77015550000",
            phone_verified_at=timezone.now(),
        )
        user.groups.add(citizens)
        iin = user.iin
        Person.objects.get_or_create(
            iin=iin,
            defaults={
                "last_name": last_name,
                "first_name": first_name,
                "patronymic": patronymic,
                "birth_date": birth,
                "phone": user.phone,
            },
        )
        fresh = (
            not Payment.objects.filter(consumer_iin=iin).exists()
            and not BenefitMembership.objects.filter(iin=iin).exists()
        )
        if fresh:
            full_name = f"{last_name} {first_name}"
            if scenario == "employee":  # every month of the last year, up to last month
                _load(KIND_PAYMENTS, PAYMENTS_HEADER, _employer_rows(iin, m0 - 13, m0 - 1, today))
            elif scenario == "grace":  # a year paid, then nothing for the last month: grace, debt accruing
                _load(KIND_PAYMENTS, PAYMENTS_HEADER, _employer_rows(iin, m0 - 14, m0 - 2, today))
            elif scenario == "debt":  # paid until half a year ago, then stopped: not insured
                _load(KIND_PAYMENTS, PAYMENTS_HEADER, _employer_rows(iin, m0 - 20, m0 - 6, today))
            elif scenario == "prepaid":  # 12 separate payments, the current month first
                _load(KIND_PAYMENTS, PAYMENTS_HEADER, _prepaid_rows(iin, m0, full_name, today))
            elif scenario == "benefit":  # an open-ended membership of category 8
                start = dt.date(today.year - 3, 1, 1).strftime("%d.%m.%Y")
                _load(KIND_BENEFITS, BENEFITS_HEADER, [f"{iin};8;{start};"])
        rows.append((label, iin, f"password {DEMO_PASSWORD}"))
    out.write(f"Coverage: {len(PEOPLE)} demo citizens, one per status rule.\n")
    return rows
