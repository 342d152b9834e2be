"""The hearing calendar's index (issue #7): the page lists hearings in (starts_at, id) order
from a day or from the last one shown, a page at a time, and shows of each its id, case, time,
type and result. With all of those in the index, per organisation, a page is read from the
index alone and stops at its last entry; (organisation, starts_at) made SQLite sort the ties
by id and read every row from the table. The feed's window (organisation, starts_at) is served
by the same index. Created before the old one is dropped, so hearings are never unindexed;
going back restores the old one.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("trials", "0003_unattributed_detention_periods"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="hearing",
            index=models.Index(
                fields=["organisation", "starts_at", "id", "case", "kind", "result"],
                name="trials_hearing_agenda",
            ),
        ),
        migrations.RemoveIndex(model_name="hearing", name="trials_hearing_calendar"),
    ]
