"""The request's events take the columns of the workflow kernel's event (osms/core/workflow.py):
`detail` renamed to `note` in place, so every row is kept."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("temporary_status", "0002_draft_expiry")]

    operations = [
        migrations.RenameField("temporarystatusevent", "detail", "note"),
        migrations.AddField(
            model_name='temporarystatusevent',
            name='acting_for',
            field=models.CharField(blank=True, max_length=12, verbose_name='on behalf of (IIN)'),
        ),
        migrations.AddField(
            model_name='temporarystatusevent',
            name='from_status',
            field=models.CharField(blank=True, max_length=16, verbose_name='status before'),
        ),
        migrations.AddField(
            model_name='temporarystatusevent',
            name='to_status',
            field=models.CharField(blank=True, max_length=16, verbose_name='status after'),
        ),
        migrations.AlterField(
            model_name='temporarystatusevent',
            name='at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='when'),
        ),
        migrations.AlterField(
            model_name='temporarystatusevent',
            name='note',
            field=models.TextField(blank=True, verbose_name='note'),
        ),
    ]
