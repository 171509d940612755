"""The appeal's events take the columns of the workflow kernel's event (osms/core/workflow.py):
renamed in place, so every row is kept."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]

    operations = [
        migrations.RenameField("appealevent", "status_from", "from_status"),
        migrations.RenameField("appealevent", "status_to", "to_status"),
        migrations.RenameField("appealevent", "created_at", "at"),
        migrations.AlterModelOptions(
            name='appealevent',
            options={'ordering': ['at', 'id'], 'verbose_name': 'appeal event', 'verbose_name_plural': 'appeal events'},
        ),
        migrations.AddField(
            model_name='appealevent',
            name='acting_for',
            field=models.CharField(blank=True, max_length=12, verbose_name='on behalf of (IIN)'),
        ),
        migrations.AlterField(
            model_name='appealevent',
            name='at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='when'),
        ),
        migrations.AlterField(
            model_name='appealevent',
            name='from_status',
            field=models.CharField(blank=True, max_length=16, verbose_name='status before'),
        ),
        migrations.AlterField(
            model_name='appealevent',
            name='to_status',
            field=models.CharField(blank=True, max_length=16, verbose_name='status after'),
        ),
    ]
