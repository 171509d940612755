from osms.coverage.importers import KIND_PAYMENTS

from ._register_import import RegisterImportCommand


class Command(RegisterImportCommand):
    help = "Import the payments register (docs/domain.md §13); idempotent; bad rows are reported and skipped."
    kind = KIND_PAYMENTS
