"""Load the demo data of every app (idempotent) and print how to sign in.

Each app that has demo data provides `osms.<app>.demo.load(*, out) -> list[tuple[str, str, str]]`,
returning (who, IIN, password or note) lines for the sign-in table. Running it twice changes nothing.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

ORDER = [
    "core",
    "accounts",
    "clinics",
    "coverage",
    "statements",
    "temporary_status",
    "appeals",
    "representation",
    "pages",
]


class Command(BaseCommand):
    help = "Load demo data (clinics, citizens, staff of each role) and print their sign-in details."

    def handle(self, *args, **options):
        translation.activate("en")  # the sign-in table is for developers
        rows: list[tuple[str, str, str]] = []
        for label in ORDER:
            if not apps.is_installed(f"osms.{label}"):
                continue
            try:
                module = import_module(f"osms.{label}.demo")
            except ModuleNotFoundError:
                continue
            with transaction.atomic():
                rows.extend(module.load(out=self.stdout))
        if rows:
            width = max(len(who) for who, _, _ in rows)
            self.stdout.write("\nDemo sign-in details (development only):")
            for who, iin, secret in rows:
                self.stdout.write(f"  {who.ljust(width)}  IIN {iin}  {secret}")
            self.stdout.write(
                "\nStaff sign in at /ru/admin/ with IIN, password and the 6-digit code that"
                " `.venv/bin/python manage.py demo_totp IIN` prints (or an authenticator app with the key shown).\n"
            )
