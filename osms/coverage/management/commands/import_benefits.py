from osms.coverage.importers import KIND_BENEFITS

from ._register_import import RegisterImportCommand


class Command(RegisterImportCommand):
    help = "Import the benefits register (docs/domain.md §13); idempotent; bad rows are reported and skipped."
    kind = KIND_BENEFITS
