"""Statement requests for the tests, made the way citizens make them: through the services, confirmed
with the code the SMS carried. Payments arrive as a register file through the coverage import."""

from __future__ import annotations

import re
from pathlib import Path

from osms.core.sms import LocmemSmsBackend
from osms.coverage.periods import Period
from osms.coverage.services import register_import_file
from osms.coverage.tests.factories import payment_line, payments_file, persons_file

from .. import services


def last_code(phone: str) -> str:
    texts = [message["text"] for message in LocmemSmsBackend.outbox if message["to"] == phone]
    assert texts, f"no SMS to {phone}"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def import_payments(tmp_path: Path, lines: list[str], *, name: str = "payments.csv") -> None:
    summary = register_import_file(kind="payments", path=payments_file(tmp_path, lines, name=name))
    assert summary.as_dict()["rejected"] == 0, summary.as_dict()


def import_person(tmp_path: Path, *, iin: str, last: str, first: str, patronymic: str = "", birth: str) -> None:
    line = f"{iin};{last};{first};{patronymic};{birth};"
    register_import_file(kind="persons", path=persons_file(tmp_path, [line], name=f"persons-{iin}.csv"))


def draft(user, *, first: Period, last: Period, language: str = "ru", consent: bool = True):
    return services.statement_request_create(
        actor=user, period_from=first, period_to=last, language=language, consent=consent
    )


def submit(user, capture, *, first: Period, last: Period, language: str = "ru", consent: bool = True):
    """Create, send the code, confirm with it: the request is received and (eager Celery) processed.
    `capture` is pytest-django's django_capture_on_commit_callbacks."""
    with capture(execute=True):
        request = draft(user, first=first, last=last, language=language, consent=consent)
        services.statement_confirmation_begin(actor=user, request=request, method="sms")
    with capture(execute=True):
        services.statement_request_confirm(actor=user, request=request, method="sms", proof=last_code(user.phone))
    request.refresh_from_db()
    return request


__all__ = ["draft", "import_payments", "import_person", "last_code", "payment_line", "submit"]
