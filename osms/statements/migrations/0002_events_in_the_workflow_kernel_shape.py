"""The request's stages take the columns of the workflow kernel's event (osms/core/workflow.py):
`stage` renamed to `kind` in place, so every row is kept; complaints get a story of their own."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.conf import settings


class Migration(migrations.Migration):
    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL), ("statements", "0001_initial")]

    operations = [
        migrations.RenameField("statementstage", "stage", "kind"),
        migrations.AddField(
            model_name='statementstage',
            name='acting_for',
            field=models.CharField(blank=True, max_length=12, verbose_name='on behalf of (IIN)'),
        ),
        migrations.AddField(
            model_name='statementstage',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by'),
        ),
        migrations.AddField(
            model_name='statementstage',
            name='from_status',
            field=models.CharField(blank=True, max_length=16, verbose_name='status before'),
        ),
        migrations.AddField(
            model_name='statementstage',
            name='to_status',
            field=models.CharField(blank=True, max_length=16, verbose_name='status after'),
        ),
        migrations.AlterField(
            model_name='statementstage',
            name='at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='when'),
        ),
        migrations.AlterField(
            model_name='statementstage',
            name='note',
            field=models.TextField(blank=True, verbose_name='note'),
        ),
        migrations.CreateModel(
            name='StatementComplaintEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_status', models.CharField(blank=True, max_length=16, verbose_name='status before')),
                ('to_status', models.CharField(blank=True, max_length=16, verbose_name='status after')),
                ('acting_for', models.CharField(blank=True, max_length=12, verbose_name='on behalf of (IIN)')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='when')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('kind', models.CharField(choices=[('registered', 'Registered'), ('satisfied', 'Satisfied by the Fund'), ('forwarded', 'Forwarded to the reviewing body'), ('answered', 'Decided by the reviewing body')], max_length=10, verbose_name='step')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('complaint', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='statements.statementcomplaint')),
            ],
            options={
                'verbose_name': 'step of a complaint',
                'verbose_name_plural': 'steps of complaints',
                'ordering': ['at', 'id'],
            },
        ),
    ]
