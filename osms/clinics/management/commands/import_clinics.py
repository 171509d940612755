"""Load clinics, districts, streets and doctors from the documented CSV file (docs/clinics-csv.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from osms.clinics.clinics_csv import FileUnreadable
from osms.clinics.services import clinics_import


class Command(BaseCommand):
    help = "Import clinics from FILE (docs/clinics-csv.md); idempotent; bad lines are reported and skipped."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the clinics file: UTF-8, “;”-separated, with the header row")

    def handle(self, *args, **options):
        try:
            with open(options["file"], "rb") as stream:
                summary = clinics_import(stream=stream, file_name=str(options["file"]))
        except (FileUnreadable, OSError) as exc:
            raise CommandError(f"{options['file']}: {exc}") from exc
        for rejection in summary.rejections:
            self.stdout.write(f"line {rejection.line}: {rejection.reason}")
        self.stdout.write(", ".join(f"{name}: {value}" for name, value in summary.counts().items()))
