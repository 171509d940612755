"""`manage.py data_fingerprint [--sample N] [--on YYYY-MM-DD]`: what a restore must give back, as JSON.

The number of rows of every table of the portal, and the status answers (DOMAIN §13) of a sample
of IINs — the persons register's first N, plus every citizen account's — on a date. The restore
drill (scripts/restore-drill, docs/operations.md) prints it for the restored database; the same
command on the live database at the recovery target must print the same.
"""

from __future__ import annotations

import datetime as dt
import json

from django.apps import apps
from django.core.management.base import BaseCommand

from osms.coverage.models import Person
from osms.coverage.selectors import status_answer


class Command(BaseCommand):
    help = "Print the row counts of every table and a sample of status answers, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=int, default=200, help="IINs of the persons register to answer for")
        parser.add_argument("--on", default="2026-11-23", help="the status date, YYYY-MM-DD")

    def handle(self, *args, sample: int, on: str, **options):
        day = dt.date.fromisoformat(on)
        counts = {
            model._meta.label: model._base_manager.count()
            for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy
        }
        User = apps.get_model("accounts", "User")
        iins = sorted(
            set(Person.objects.order_by("iin").values_list("iin", flat=True)[:sample])
            | set(User.objects.values_list("iin", flat=True))
        )
        answers = {iin: status_answer(iin=iin, on=day).as_json_dict() for iin in iins}
        self.stdout.write(
            json.dumps({"rows": counts, "status": answers}, ensure_ascii=False, sort_keys=True, default=str)
        )
