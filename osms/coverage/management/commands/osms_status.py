"""`manage.py osms_status IIN [--on YYYY-MM-DD]`: the status answer of docs/domain.md §13 as JSON on stdout."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from osms.core.iin import validate_iin
from osms.coverage.api import parse_iso_date
from osms.coverage.selectors import status_answer


class Command(BaseCommand):
    help = "Print the insured status of an IIN on a date (default today) as the JSON of docs/domain.md §13."

    def add_arguments(self, parser):
        parser.add_argument("iin")
        parser.add_argument("--on", help="the status date, YYYY-MM-DD (default: today in Almaty)")

    def handle(self, *args, iin: str, on: str | None, **options):
        try:
            validate_iin(iin)
        except ValidationError as exc:
            raise CommandError(f"invalid IIN {iin!r}: {' '.join(exc.messages)}") from None
        if on is None:
            day = timezone.localdate()
        else:
            day = parse_iso_date(on)
            if day is None:
                raise CommandError(f"invalid date {on!r}: expected YYYY-MM-DD")
        answer = status_answer(iin=iin, on=day)
        self.stdout.write(json.dumps(answer.as_json_dict(), ensure_ascii=False))
