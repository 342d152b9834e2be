"""Migration 0002 makes each existing cohort's first facilitator its lead, 0003 gives each
cohort a version; both can go back (REL-06)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend

BEFORE = [("learning", "0001_initial")]
AFTER = [("learning", "0002_cohort_lead_and_teams")]
ALIAS = "learning_migration"


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[BaseDatabaseWrapper]:
    """A database of the test's own, migrated only as far as the test asks (going back in the
    shared test database would unapply and reapply every app that depends on learning)."""
    settings_dict = {**connection.settings_dict}
    vendor = connection.vendor
    if vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "scratch.sqlite3")
    else:
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_{ALIAS}"
        with connection._nodb_cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, ALIAS)
    connections[ALIAS] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        del connections[ALIAS]
        if vendor != "sqlite":
            with connection._nodb_cursor() as cursor:  # type: ignore[attr-defined]
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')


def _migrate(database: BaseDatabaseWrapper, targets):
    executor = MigrationExecutor(database)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db
def test_the_first_facilitator_of_an_existing_cohort_becomes_its_lead(scratch):
    old = _migrate(scratch, BEFORE)
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

    new = _migrate(scratch, AFTER)
    leads = dict(
        new.get_model("learning", "Cohort").objects.using(ALIAS).values_list("pk", "lead_id")
    )
    _migrate(scratch, BEFORE)
    back = old.get_model("learning", "Cohort").objects.using(ALIAS).count()

    assert leads == {led.pk: teo.pk, nobody.pk: None}
    assert back == 2


@pytest.mark.django_db
def test_an_existing_cohort_starts_at_version_one_and_the_version_can_go(scratch):
    old = _migrate(scratch, AFTER)
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

    new = _migrate(scratch, [("learning", "0003_cohort_version")])
    versions = list(
        new.get_model("learning", "Cohort").objects.using(ALIAS).values_list("pk", "version")
    )
    back = _migrate(scratch, AFTER)
    names = list(
        back.get_model("learning", "Cohort").objects.using(ALIAS).values_list("name", flat=True)
    )

    assert versions == [(cohort.pk, 1)]
    assert names == ["A"]
