"""A demo citizen with a year of payments and an issued statement (idempotent)."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.models import Group
from django.utils import timezone

from osms.accounts.demo import DEMO_PASSWORD, demo_user
from osms.accounts.models import Role
from osms.core.iin import make_bin
from osms.coverage.importers import KIND_PAYMENTS, KIND_PERSONS, run_import
from osms.coverage.importers.parsing import PAYMENTS_HEADER, PERSONS_HEADER
from osms.coverage.models import Payment
from osms.coverage.periods import Period

from . import rules, services
from .models import StatementRequest

EMPLOYER_BIN = make_bin(dt.date(2011, 9, 1), serial=77)


def _payment_rows(iin: str, today: dt.date) -> list[str]:
    """Three months paid by the person, then nine months of work (the employer's отчисления)."""
    m0 = Period.of(today)
    rows = []
    for period in Period.range(m0 - 9, m0 - 1):
        received = min((period + 1).first_day + dt.timedelta(days=4), today)
        line = [received.strftime("%d.%m.%Y"), f"S{period.code}", "121", 'ТОО "Демо Сервис"', EMPLOYER_BIN, iin]
        rows.append(";".join([*line, "6375.00", "ОБРАБОТАННЫЕ", period.code, ""]))
    for number, period in enumerate(Period.range(m0 - 12, m0 - 10), start=1):
        received = period.first_day + dt.timedelta(days=9)
        line = [received.strftime("%d.%m.%Y"), f"V{number}", "122", "Нурланов Данияр", iin, iin]
        rows.append(";".join([*line, "4250.00", "ОБРАБОТАННЫЕ", period.code, ""]))
    return rows


def load(*, out) -> list[tuple[str, str, str]]:
    today = timezone.localdate()
    birth = dt.date(1992, 7, 12)
    user = demo_user(
        birth=birth,
        female=False,
        last_name="Нурланов",
        first_name="Данияр",
        patronymic="Ерланович",
        phone="+77017654321",
        phone_verified_at=timezone.now(),
        email="daniyar@example.kz",
    )
    user.groups.add(Group.objects.get_or_create(name=Role.CITIZEN)[0])
    if not Payment.objects.filter(consumer_iin=user.iin).exists():
        persons = ";".join([user.iin, "Нурланов", "Данияр", "Ерланович", birth.strftime("%d.%m.%Y"), user.phone])
        run_import(KIND_PERSONS, io.BytesIO("\n".join([";".join(PERSONS_HEADER), persons]).encode()))
        payments = "\n".join([";".join(PAYMENTS_HEADER), *_payment_rows(user.iin, today)])
        run_import(KIND_PAYMENTS, io.BytesIO(payments.encode()))
    if not StatementRequest.objects.filter(user=user, status=StatementRequest.Status.ISSUED).exists():
        first, last = rules.default_period(today)
        request = services.statement_request_create(
            actor=user, period_from=first, period_to=last, language="ru", consent=True
        )
        # The demo confirms as the SMS code would (no phone to read it from) and issues at once.
        services._receive(request, method=StatementRequest.Signature.SMS, signer_iin=user.iin)
        services.statement_process(request_id=request.pk)
        out.write(f"  statement {request.number} issued to {user.iin}\n")
    return [("Citizen with an issued statement", user.iin, f"password {DEMO_PASSWORD}")]
