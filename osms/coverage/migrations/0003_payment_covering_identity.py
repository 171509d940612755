"""The payments table read by index alone (docs/adr/0102-payments-covering-index.md).

- The (consumer_iin, received) index goes: every read of one person's payments filters on the
  consumer, which the identity index leads with, and a person has a few dozen rows a year.
- On PostgreSQL the identity constraint carries amount, KNP and status (UNIQUE ... INCLUDE), so
  the status answer never visits the table. Elsewhere the constraint stays as it was.

On the production table (hundreds of millions of rows) run the steps of the ADR instead:
CREATE UNIQUE INDEX CONCURRENTLY, then swap the constraint onto it, so imports are not blocked.
"""

from django.db import migrations

# As models.PAYMENT_IDENTITY_SQL at the time of writing (a migration keeps its own copy).
PAYMENT_IDENTITY_SQL = (
    "ALTER TABLE coverage_payment ADD CONSTRAINT coverage_payment_identity"
    " UNIQUE (consumer_iin, period, received, payer_id, number) INCLUDE (amount, knp, status)"
)


def covering_identity(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE coverage_payment DROP CONSTRAINT coverage_payment_identity")
    schema_editor.execute(PAYMENT_IDENTITY_SQL)


def plain_identity(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE coverage_payment DROP CONSTRAINT coverage_payment_identity")
    schema_editor.execute(
        "ALTER TABLE coverage_payment ADD CONSTRAINT coverage_payment_identity"
        " UNIQUE (consumer_iin, period, received, payer_id, number)"
    )


class Migration(migrations.Migration):
    dependencies = [("coverage", "0002_shipped_data")]

    operations = [
        migrations.RemoveIndex(model_name="payment", name="coverage_payment_iin_received"),
        migrations.RunPython(covering_identity, plain_identity, elidable=False),
    ]
