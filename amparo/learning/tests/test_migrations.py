"""Migration 0002 makes each existing cohort's first facilitator its lead, 0003 gives each
cohort a version, 0004 each team a version; each can go back (REL-06)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper

from amparo.testing.migrations import migrate_to, scratch_database

BEFORE = [("learning", "0001_initial")]
AFTER = [("learning", "0002_cohort_lead_and_teams")]
ALIAS = "learning_migration"


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[BaseDatabaseWrapper]:
    with scratch_database(tmp_path, ALIAS) as database:
        yield database


@pytest.mark.django_db
def test_the_first_facilitator_of_an_existing_cohort_becomes_its_lead(scratch):
    old = migrate_to(scratch, BEFORE)
    User = old.get_model("accounts", "User")
    teo, tess = (
        User.objects.using(ALIAS).create(id=uuid.uuid4(), email=f"{name}@example.org")
        for name in ("teo", "tess")
    )
    Course = old.get_model("learning", "Course")
    course = Course.objects.using(ALIAS).create(
        id=uuid.uuid4(), slug="basics", language="en", title="Basics", level="beginner"
    )
    Cohort = old.get_model("learning", "Cohort")
    dates = {"starts_on": date(2026, 3, 1), "ends_on": date(2026, 5, 31)}
    led = Cohort.objects.using(ALIAS).create(id=uuid.uuid4(), course=course, name="A", **dates)
    led.facilitators.add(teo)
    led.facilitators.add(tess)
    nobody = Cohort.objects.using(ALIAS).create(id=uuid.uuid4(), course=course, name="B", **dates)

    new = migrate_to(scratch, AFTER)
    leads = dict(
        new.get_model("learning", "Cohort").objects.using(ALIAS).values_list("pk", "lead_id")
    )
    migrate_to(scratch, BEFORE)
    back = old.get_model("learning", "Cohort").objects.using(ALIAS).count()

    assert leads == {led.pk: teo.pk, nobody.pk: None}
    assert back == 2


@pytest.mark.django_db
def test_an_existing_cohort_starts_at_version_one_and_the_version_can_go(scratch):
    old = migrate_to(scratch, AFTER)
    Course = old.get_model("learning", "Course")
    course = Course.objects.using(ALIAS).create(
        id=uuid.uuid4(), slug="basics", language="en", title="Basics", level="beginner"
    )
    Cohort = old.get_model("learning", "Cohort")
    cohort = Cohort.objects.using(ALIAS).create(
        id=uuid.uuid4(),
        course=course,
        name="A",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 5, 31),
    )

    new = migrate_to(scratch, [("learning", "0003_cohort_version")])
    versions = list(
        new.get_model("learning", "Cohort").objects.using(ALIAS).values_list("pk", "version")
    )
    back = migrate_to(scratch, AFTER)
    names = list(
        back.get_model("learning", "Cohort").objects.using(ALIAS).values_list("name", flat=True)
    )

    assert versions == [(cohort.pk, 1)]
    assert names == ["A"]


@pytest.mark.django_db
def test_an_existing_team_starts_at_version_one_and_the_version_can_go(scratch):
    old = migrate_to(scratch, [("learning", "0003_cohort_version")])
    Course = old.get_model("learning", "Course")
    course = Course.objects.using(ALIAS).create(
        id=uuid.uuid4(), slug="basics", language="en", title="Basics", level="beginner"
    )
    cohort = (
        old.get_model("learning", "Cohort")
        .objects.using(ALIAS)
        .create(
            id=uuid.uuid4(),
            course=course,
            name="A",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 5, 31),
        )
    )
    team = (
        old.get_model("learning", "Team")
        .objects.using(ALIAS)
        .create(id=uuid.uuid4(), cohort=cohort, name="Team 1")
    )

    new = migrate_to(scratch, [("learning", "0004_team_version_and_protected_answers")])
    versions = list(
        new.get_model("learning", "Team").objects.using(ALIAS).values_list("pk", "version")
    )
    back = migrate_to(scratch, [("learning", "0003_cohort_version")])
    names = list(
        back.get_model("learning", "Team").objects.using(ALIAS).values_list("name", flat=True)
    )

    assert versions == [(team.pk, 1)]
    assert names == ["Team 1"]
