"""Each lesson keeps its body as the sanitiser wrote it (`Lesson.body_html`), so the lesson
page prints it instead of rendering the Markdown on every request. Existing lessons are
rendered here, by `markup.render` as it is now (the only path to their HTML); going back drops
the two columns."""

from django.db import migrations, models


def render_bodies(apps, schema_editor):
    from amparo.learning import markup  # noqa: PLC0415 -- the sanitiser in force

    Lesson = apps.get_model("learning", "Lesson")
    lessons = list(Lesson.objects.using(schema_editor.connection.alias).only("id", "body"))
    for lesson in lessons:
        lesson.body_html = str(markup.render(lesson.body))
        lesson.body_html_by = markup.SOURCE_SHA256
    Lesson.objects.using(schema_editor.connection.alias).bulk_update(
        lessons, ["body_html", "body_html_by"], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0004_team_version_and_protected_answers"),
    ]

    operations = [
        migrations.AddField(
            model_name="lesson",
            name="body_html",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="lesson",
            name="body_html_by",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.RunPython(render_bodies, migrations.RunPython.noop, elidable=True),
    ]
