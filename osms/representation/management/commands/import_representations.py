from osms.coverage.management.commands._register_import import RegisterImportCommand
from osms.representation.importer import KIND


class Command(RegisterImportCommand):
    help = "Import the representation register (DOMAIN §13); idempotent; bad rows are reported and skipped."
    kind = KIND
