"""Detention periods whose defender is not stated (issue #7, ADR 0056).

Migration 0002 turned each case's "detained since / released on" into one period, naming the
case's only individual; where the case named several, the period names nobody, as a period of
"members of the collective" does. The case page then called it a collective's, and the
services refused to record its release. This marks those periods, so that the page says
"defender not stated" and a person with `trials.edit` assigns the defender.

A period naming nobody is marked when its case has no collective (the services never allowed
such a period: it can only come from 0002), or when it came from 0002 (created before 0002
was recorded as applied) and its case names an individual: whom the old record meant is then
unknown, and a person confirms it, even if the answer is "members of the collective". Periods
recorded for a collective since then stay as they are. Going back drops the mark.
"""

from django.db import migrations, models
from django.db.migrations.recorder import MigrationRecorder


def mark_unattributed(apps, schema_editor):
    alias = schema_editor.connection.alias
    Period = apps.get_model("trials", "DetentionPeriod")
    Defender = apps.get_model("defenders", "Defender")
    applied = (
        MigrationRecorder(schema_editor.connection)
        .migration_qs.filter(app="trials", name="0002_detention_periods")
        .values_list("applied", flat=True)
        .first()
    )
    unnamed = Period.objects.using(alias).filter(defender__isnull=True).order_by("pk")
    marked = []
    for pk, case_id, created_at in unnamed.values_list("pk", "case_id", "created_at").iterator(
        chunk_size=500
    ):
        kinds = set(
            Defender.objects.using(alias)
            .filter(criminalisation_cases=case_id)
            .values_list("kind", flat=True)
        )
        migrated = applied is not None and created_at <= applied
        if "collective" not in kinds or (migrated and "individual" in kinds):
            marked.append(pk)
    for start in range(0, len(marked), 500):
        Period.objects.using(alias).filter(pk__in=marked[start : start + 500]).update(
            is_unattributed=True
        )


class Migration(migrations.Migration):
    dependencies = [
        ("defenders", "0004_list_order"),
        ("trials", "0002_detention_periods"),
    ]

    operations = [
        migrations.AddField(
            model_name="detentionperiod",
            name="is_unattributed",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="defender not stated"
            ),
        ),
        migrations.RunPython(mark_unattributed, migrations.RunPython.noop),
    ]
