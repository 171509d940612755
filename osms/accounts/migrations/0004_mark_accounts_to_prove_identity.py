"""Accounts made before the identity proof (DOMAIN §14): a citizen whose phone is not the number the
persons register holds for the IIN (or whose IIN has no number there) must prove identity again.
Staff accounts are not marked: the back office proves them by TOTP (docs/adr/0008-identity-proof.md)."""

from django.db import migrations


def mark(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Person = apps.get_model("coverage", "Person")
    citizens = User.objects.filter(is_staff=False)
    for start in range(0, citizens.count() + 1, 2000):
        batch = list(citizens.order_by("pk").values_list("pk", "iin", "phone")[start : start + 2000])
        register = dict(Person.objects.filter(iin__in=[iin for _, iin, _ in batch]).values_list("iin", "phone"))
        unproven = [pk for pk, iin, phone in batch if not register.get(iin) or register[iin] != phone]
        User.objects.filter(pk__in=unproven).update(identity_proof_required=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_identity_proof"),
        ("coverage", "0003_payment_covering_identity"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
