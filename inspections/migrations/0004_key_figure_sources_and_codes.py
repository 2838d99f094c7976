"""One key figure per council, metric and date, its other sources kept; official codes for missing values.

The data migration merges figures recorded more than once (the same council, metric and date from
several sources) into one: official statistics' figure stands, or else the one recorded first; the
other sources become also_reported_by, differing values are written in source_disagreement and notes
are kept. A code for a missing value that is not an official one becomes x (not available), with the
source's own code written in the notes.
"""

from collections import defaultdict

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models

OFFICIAL_CODES = ["c", "k", "low", "u", "x", "z"]
OFFICIAL_STATISTICS = ("dataset", "ofsted_statistics")


def _shown(figure):
    return figure.missing_code if figure.value is None else f"{figure.value.normalize():f}"


def _source(source):
    return f"{source.title} ({source.publisher})" if source.publisher else source.title


def _joined(*texts):
    return "\n".join(text for text in texts if text)


def merge_duplicates(apps, schema_editor):
    KeyFigure = apps.get_model("inspections", "KeyFigure")
    groups = defaultdict(list)
    for figure in KeyFigure.objects.select_related("source").order_by("pk"):
        groups[(figure.council_id, figure.metric, figure.date)].append(figure)
    for figures in groups.values():
        if len(figures) == 1:
            continue
        kept = next((f for f in figures if f.source.kind in OFFICIAL_STATISTICS), figures[0])
        for other in figures:
            if other is kept:
                continue
            if (other.value, other.missing_code) != (kept.value, kept.missing_code):
                line = f"{_source(other.source)} gives {_shown(other)}; the figure keeps {_shown(kept)} from {_source(kept.source)}."
                kept.source_disagreement = _joined(kept.source_disagreement, line)
            if other.notes and other.notes not in kept.notes:
                kept.notes = _joined(kept.notes, other.notes)
            kept.also_reported_by.add(other.source_id)
            other.delete()
        kept.save()


def official_missing_codes(apps, schema_editor):
    KeyFigure = apps.get_model("inspections", "KeyFigure")
    for figure in KeyFigure.objects.exclude(missing_code="").exclude(missing_code__in=OFFICIAL_CODES):
        code = figure.missing_code.strip().lower()
        if code not in OFFICIAL_CODES:
            note = f"The source's code for the missing value was “{figure.missing_code}”, not an official code: recorded as x (not available)."
            figure.notes = _joined(figure.notes, note)
            code = "x"
        figure.missing_code = code
        figure.save(update_fields=["missing_code", "notes"])


def merge_and_recode(apps, schema_editor):
    merge_duplicates(apps, schema_editor)
    official_missing_codes(apps, schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        # Run the deferred foreign key checks of the rows just changed now, so that the constraints
        # below may alter the table in this same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ('councils', '0002_performance_indexes'),
        ('inspections', '0003_inspection_date_bounds'),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalKeyFigure_also_reported_by',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'HistoricalKeyFigure_also_reported_by',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RemoveConstraint(
            model_name='keyfigure',
            name='key_figure_unique',
        ),
        migrations.AddField(
            model_name='historicalkeyfigure',
            name='source_disagreement',
            field=models.TextField(blank=True, help_text='For editors, never shown on public pages: what the other sources give where it differs.'),
        ),
        migrations.AddField(
            model_name='keyfigure',
            name='also_reported_by',
            field=models.ManyToManyField(blank=True, help_text='Other sources that give the same figure (same council, measure and date).', related_name='key_figures_also_reported', to='inspections.source'),
        ),
        migrations.AddField(
            model_name='keyfigure',
            name='source_disagreement',
            field=models.TextField(blank=True, help_text='For editors, never shown on public pages: what the other sources give where it differs.'),
        ),
        migrations.RunPython(merge_and_recode, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='historicalkeyfigure',
            name='missing_code',
            field=models.CharField(blank=True, choices=[('c', 'confidential data which has been suppressed'), ('k', 'rounds to 0 but is not 0'), ('low', 'less than half the final digit shown and different from a real zero'), ('u', 'observation is of low reliability'), ('x', 'data is unavailable for other reason(s)'), ('z', 'observation is not applicable')], help_text="The source's code where it gives no number.", max_length=10),
        ),
        migrations.AlterField(
            model_name='historicalkeyfigure',
            name='source',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The source the value comes from.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inspections.source'),
        ),
        migrations.AlterField(
            model_name='keyfigure',
            name='missing_code',
            field=models.CharField(blank=True, choices=[('c', 'confidential data which has been suppressed'), ('k', 'rounds to 0 but is not 0'), ('low', 'less than half the final digit shown and different from a real zero'), ('u', 'observation is of low reliability'), ('x', 'data is unavailable for other reason(s)'), ('z', 'observation is not applicable')], help_text="The source's code where it gives no number.", max_length=10),
        ),
        migrations.AlterField(
            model_name='keyfigure',
            name='source',
            field=models.ForeignKey(help_text='The source the value comes from.', on_delete=django.db.models.deletion.PROTECT, related_name='key_figures', to='inspections.source'),
        ),
        migrations.AddConstraint(
            model_name='keyfigure',
            constraint=models.UniqueConstraint(fields=('council', 'metric', 'date'), name='key_figure_unique', violation_error_message='This council already has this figure for this date; add the source to it instead.'),
        ),
        migrations.AddConstraint(
            model_name='keyfigure',
            constraint=models.CheckConstraint(condition=models.Q(('missing_code__in', ['', 'c', 'k', 'low', 'u', 'x', 'z'])), name='key_figure_official_missing_code', violation_error_message='The code for a missing value must be one of the official codes.'),
        ),
        migrations.AddField(
            model_name='historicalkeyfigure_also_reported_by',
            name='history',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='inspections.historicalkeyfigure'),
        ),
        migrations.AddField(
            model_name='historicalkeyfigure_also_reported_by',
            name='keyfigure',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inspections.keyfigure'),
        ),
        migrations.AddField(
            model_name='historicalkeyfigure_also_reported_by',
            name='source',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inspections.source'),
        ),
    ]
