"""A synthetic payments register shaped like a month of the Fund's (docs/domain.md §13).

Mix (per row): 78% employer отчисления (КНП 121) and withheld взносы from a pool of 60 000
organisations, 16% individuals' взносы (КНП 122, most by the person, some by a relative, a few
prepaid years), 4% пеня (123/124), 2% ВОЗВРАТ. IINs and BINs are valid (check digit), dates lie
in the month after the period, amounts vary with a salary distribution. Memory stays flat: rows
are written as they are made.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import random
import time

from osms.core.iin import check_digit

EMPLOYERS = 60_000


def _with_check(first11: str) -> str | None:
    digit = check_digit(first11)
    return None if digit is None else f"{first11}{digit}"


_BIRTH_DAYS = 21_900  # 60 years of birth dates from 1945
_SERIALS = 2_500  # serials per birth date before the fallbacks below


def person_iin(index: int) -> str:
    """A valid IIN for person number `index`: deterministic (files, tables and load clients agree)
    and distinct for distinct indexes below 54 750 000 (the birth date and the 4-digit serial
    encode the index; when no check digit exists the serial moves up by 2 500, then the sex digit
    flips)."""
    day, serial = index % _BIRTH_DAYS, index // _BIRTH_DAYS
    if serial >= _SERIALS:
        raise ValueError(f"person index {index} is beyond the synthetic population")
    head, century = _birth_head(day)
    for sex in (serial % 2, 1 - serial % 2):
        for shift in range(0, 10_000, _SERIALS):
            iin = _with_check(f"{head}{century + sex}{serial + shift:04d}")
            if iin:
                return iin
    raise ValueError(f"no valid IIN for person index {index}")


_EPOCH = dt.date(1945, 1, 1)


@functools.cache
def _birth_head(day: int) -> tuple[str, int]:
    birth = _EPOCH + dt.timedelta(days=day)
    return birth.strftime("%y%m%d"), 3 if birth.year < 2000 else 5


def employer_bin(index: int) -> str:
    serial = index
    while True:
        first11 = f"{(index % 20) + 5:02d}{(index % 12) + 1:02d}4{serial % 1_000_000:06d}"
        value = _with_check(first11)
        if value:
            return value
        serial += 1_000_003


def generate_payments(*, rows: int, persons: int, month: str, seed: int, out: str) -> None:
    rng = random.Random(seed)
    period_month, period_year = int(month[:2]), int(month[2:])
    received_month = period_month % 12 + 1
    received_year = period_year + (1 if period_month == 12 else 0)
    dates = [dt.date(received_year, received_month, day).strftime("%d.%m.%Y") for day in range(1, 29)]
    employers = [employer_bin(i) for i in range(EMPLOYERS)]
    names = [f'ТОО "Компания {i}"' for i in range(EMPLOYERS)]
    person_cache: dict[int, str] = {}

    def iin_of(index: int) -> str:
        value = person_cache.get(index)
        if value is None:
            if len(person_cache) > 2_000_000:
                person_cache.clear()
            value = person_cache[index] = person_iin(index)
        return value

    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    started = time.perf_counter()
    period = f"{period_month:02d}{period_year}"
    with open(out, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(
            "\ufeffДата поступления;№;КНП;Отправитель;ИИН/БИН;ИИН потребителя;Сумма;Статус;Период;Сумма возврата\n"
        )
        buffer = []
        for n in range(rows):
            consumer = iin_of(rng.randrange(persons))
            kind = rng.random()
            date = dates[rng.randrange(28)]
            status, refund, row_period = "ОБРАБОТАННЫЕ", "", period
            if kind < 0.78:
                e = rng.randrange(EMPLOYERS)
                knp = "121" if rng.random() < 0.6 else "122"
                salary = rng.lognormvariate(12.6, 0.5)
                share = 0.03 if knp == "121" else 0.02
                amount = f"{min(salary, 850_000) * share:.2f}"
                payer, payer_name = employers[e], names[e]
            elif kind < 0.94:
                knp = "122"
                amount = "4250.00" if rng.random() < 0.8 else f"{rng.randrange(500, 20_000)}.00"
                payer = consumer if rng.random() < 0.85 else iin_of(rng.randrange(persons))
                payer_name = "Физическое лицо"
                if rng.random() < 0.05:  # part of a prepaid year: a month ahead
                    ahead = rng.randrange(1, 12)
                    m = (period_month - 1 + ahead) % 12 + 1
                    y = period_year + (period_month - 1 + ahead) // 12
                    row_period = f"{m:02d}{y}"
            elif kind < 0.98:
                knp = rng.choice(("123", "124"))
                amount = f"{rng.randrange(10, 900)}.{rng.randrange(100):02d}"
                e = rng.randrange(EMPLOYERS)
                payer, payer_name = employers[e], names[e]
            else:
                knp = "122"
                amount = "4250.00"
                payer, payer_name = consumer, "Физическое лицо"
                status, refund = "ВОЗВРАТ", "4250.00"
            buffer.append(
                f"{date};{n + 1};{knp};{payer_name};{payer};{consumer};{amount};{status};{row_period};{refund}\n"
            )
            if len(buffer) >= 100_000:
                stream.write("".join(buffer))
                buffer.clear()
        stream.write("".join(buffer))
    elapsed = time.perf_counter() - started
    size = os.path.getsize(out)
    print(f"wrote {rows:,} rows ({size / 1e6:.0f} MB) to {out} in {elapsed:.1f} s")
