"""Detention periods (issue #7): a case records each deprivation of liberty as a period of its
own instead of one status with "detained since" and "released on".

Each case whose record says someone was detained becomes one period, then the two date columns
go. The dates the old record lacked come from the nearest it had (ADR 0051):

- kind: the old status when it was a kind of detention; otherwise (released, or not detained
  but with a date) pre-trial detention, the commonest in proceedings;
- first day: "detained since", or else the opening of the proceedings (or the release, if
  earlier);
- last day: "released on" when it is a past date not before the first day; none (still
  detained) when the old status was a kind of detention; otherwise the first day;
- the defender: the case's only individual, or nobody (members of a collective, or several
  individuals to be told apart by hand).

The case's status is then the period's: its kind while it runs, "released" once ended. Writing
a period encrypts its (empty) place and notes, so this needs the master key, as any write of
Tier-1 data does. Reversible: going back writes the latest period's dates into the two columns.
"""

import uuid
from datetime import date

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import amparo.core.crypto.fields

DETAINED = ("custody", "pre_trial", "house_arrest", "sentence")


def _span(detention: str, since: date | None, released: date | None, opened: date, today: date):
    start = since or min(opened, released or opened)
    if released is not None and start <= released <= today:
        return start, released
    if detention in DETAINED:
        return start, None
    return start, start


def periods_from_dates(apps, schema_editor):
    alias = schema_editor.connection.alias
    Case = apps.get_model("trials", "CriminalisationCase")
    Period = apps.get_model("trials", "DetentionPeriod")
    Defender = apps.get_model("defenders", "Defender")
    today = date.today()  # noqa: DTZ011 -- a calendar day is all the rule compares
    cases = Case.objects.using(alias).exclude(
        detention="free", detained_since__isnull=True, released_on__isnull=True
    )
    for case in cases.order_by("pk").iterator(chunk_size=500):
        start, end = _span(
            case.detention, case.detained_since, case.released_on, case.opened_on, today
        )
        individuals = list(
            Defender.objects.using(alias)
            .filter(criminalisation_cases=case.pk, kind="individual")
            .values_list("pk", flat=True)[:2]
        )
        kind = case.detention if case.detention in DETAINED else "pre_trial"
        Period(
            id=uuid.uuid4(),
            organisation_id=case.organisation_id,
            case_id=case.pk,
            defender_id=individuals[0] if len(individuals) == 1 else None,
            kind=kind,
            starts_on=start,
            ends_on=end,
            place="",
            notes="",
            created_by_id=case.created_by_id,
        ).save(using=alias)
        status = kind if end is None else "released"
        Case.objects.using(alias).filter(pk=case.pk).update(detention=status)


def dates_from_periods(apps, schema_editor):
    alias = schema_editor.connection.alias
    Case = apps.get_model("trials", "CriminalisationCase")
    Period = apps.get_model("trials", "DetentionPeriod")
    latest: dict = {}
    rows = Period.objects.using(alias).order_by("starts_on", "created_at")
    for case_id, starts_on, ends_on in rows.values_list("case_id", "starts_on", "ends_on"):
        kept = latest.get(case_id)
        # The latest running period, or else the latest one.
        if kept is None or kept[1] is not None or ends_on is None:
            latest[case_id] = (starts_on, ends_on)
    for case_id, (starts_on, ends_on) in latest.items():
        Case.objects.using(alias).filter(pk=case_id).update(
            detained_since=starts_on, released_on=ends_on
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("defenders", "0004_list_order"),
        ("trials", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DetentionPeriod",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("custody", "Police custody"),
                            ("pre_trial", "Pre-trial detention"),
                            ("house_arrest", "House arrest"),
                            ("sentence", "Serving a sentence"),
                        ],
                        max_length=14,
                        verbose_name="kind of detention",
                    ),
                ),
                ("starts_on", models.DateField(verbose_name="detained on")),
                ("ends_on", models.DateField(blank=True, null=True, verbose_name="released on")),
                (
                    "place",
                    amparo.core.crypto.fields.EncryptedTextField(
                        blank=True, verbose_name="place of detention"
                    ),
                ),
                (
                    "notes",
                    amparo.core.crypto.fields.EncryptedTextField(blank=True, verbose_name="notes"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("version", models.PositiveIntegerField(default=1)),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="detention_periods",
                        to="trials.criminalisationcase",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "defender",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="detention_periods",
                        to="defenders.defender",
                        verbose_name="defender",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "detention period",
                "verbose_name_plural": "detention periods",
                "ordering": ("starts_on", "created_at", "id"),
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("ends_on__isnull", True),
                            ("ends_on__gte", models.F("starts_on")),
                            _connector="OR",
                        ),
                        name="trials_detention_ends_after_start",
                    )
                ],
            },
        ),
        migrations.RunPython(periods_from_dates, dates_from_periods),
        migrations.RemoveField(
            model_name="criminalisationcase",
            name="detained_since",
        ),
        migrations.RemoveField(
            model_name="criminalisationcase",
            name="released_on",
        ),
    ]
