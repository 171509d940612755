"""Print the current TOTP code of a staff user's demo device (development only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current 6-digit TOTP code of a demo staff account (refused unless DEBUG)."

    def add_arguments(self, parser):
        parser.add_argument("iin")

    def handle(self, *args, iin, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp is for development only (DEBUG is off).")
        device = TOTPDevice.objects.filter(user__iin=iin, name="demo", confirmed=True).first()
        if device is None:
            raise CommandError(f"No demo TOTP device for IIN {iin}.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        self.stdout.write(f"{code:0{device.digits}d}")
