"""The three import commands share this: read FILE, print each rejected row and a summary."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from osms.core import csv_safe
from osms.coverage.importers import FileUnreadable, Rejection
from osms.coverage.services import register_import_file


class RegisterImportCommand(BaseCommand):
    kind: str = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="the register file (UTF-8, “;”-separated, header row; docs/domain.md §13)")
        parser.add_argument("--report", help="also write the rejected rows (line, reason, text) to this CSV file")

    def handle(self, *args, **options):
        report_file = None
        report = None
        if options["report"]:
            report_file = open(options["report"], "w", newline="", encoding="utf-8")  # noqa: SIM115
            report = csv_safe.writer(report_file)
            report.writerow(["line", "reason", "text"])

        def rejected(rejection: Rejection) -> None:
            self.stdout.write(f"line {rejection.line}: {rejection.reason}")
            if report is not None:
                report.writerow([rejection.line, rejection.reason, rejection.text])

        try:
            summary = register_import_file(kind=self.kind, path=options["file"], on_rejected=rejected)
        except (FileUnreadable, OSError) as exc:
            raise CommandError(f"{options['file']}: {exc}") from exc
        finally:
            if report_file is not None:
                report_file.close()
        self.stdout.write(", ".join(f"{name}: {value}" for name, value in summary.as_dict().items()))
