"""Migration 0002 turns each case's "detained since" and "released on" into a detention period,
and can go back (REL-06). On a scratch database of its own (amparo/testing/migrations.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper

from amparo.audit.services import audit_context
from amparo.testing.migrations import migrate_to, scratch_database

ALIAS = "trials_migration"

BEFORE = [("trials", "0001_initial")]
AFTER = [("trials", "0002_detention_periods")]


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[BaseDatabaseWrapper]:
    with scratch_database(tmp_path, ALIAS) as database:
        yield database


@pytest.mark.django_db
def test_each_detention_becomes_a_period_and_goes_back(scratch, organisation):
    today = date.today()  # noqa: DTZ011 -- the migration compares calendar days
    old = migrate_to(scratch, BEFORE)
    old.get_model("accounts", "Organisation").objects.using(ALIAS).create(
        pk=organisation.pk, name=organisation.name, slug=organisation.slug, kind=organisation.kind
    )
    Defender = old.get_model("defenders", "Defender")
    Case = old.get_model("trials", "CriminalisationCase")

    def person(kind: str = "individual") -> object:
        return Defender.objects.using(ALIAS).create(
            id=uuid.uuid4(), organisation_id=organisation.pk, kind=kind, pseudonym="x"
        )

    def case(key: str, defenders: list[object], **fields: object) -> uuid.UUID:
        made = Case.objects.using(ALIAS).create(
            id=uuid.uuid5(uuid.NAMESPACE_URL, key),
            organisation_id=organisation.pk,
            country="CO",
            opened_on=date(2025, 1, 10),
            **fields,
        )
        made.defenders.set(defenders)
        return made.pk

    marta = person()
    held = case("held", [marta], detention="pre_trial", detained_since=date(2025, 2, 1))
    freed = case(
        "freed",
        [marta, person("collective")],
        detention="released",
        detained_since=date(2025, 2, 1),
        released_on=date(2025, 2, 20),
    )
    undated = case("undated", [marta], detention="house_arrest")
    later = case(
        "later",
        [marta],
        detention="custody",
        detained_since=today,
        released_on=today + timedelta(2),
    )
    free = case("free", [marta])

    new = migrate_to(scratch, AFTER)

    Period = new.get_model("trials", "DetentionPeriod")
    periods = {
        row[0]: row[1:]
        for row in Period.objects.using(ALIAS).values_list(
            "case_id", "defender_id", "kind", "starts_on", "ends_on"
        )
    }
    statuses = dict(
        new.get_model("trials", "CriminalisationCase")
        .objects.using(ALIAS)
        .values_list("id", "detention")
    )
    assert periods == {
        held: (marta.pk, "pre_trial", date(2025, 2, 1), None),
        freed: (marta.pk, "pre_trial", date(2025, 2, 1), date(2025, 2, 20)),
        undated: (marta.pk, "house_arrest", date(2025, 1, 10), None),
        later: (marta.pk, "custody", today, None),
    }
    assert statuses == {
        held: "pre_trial",
        freed: "released",
        undated: "house_arrest",
        later: "custody",
        free: "free",
    }
    with audit_context(actor=None):
        assert {p.place for p in Period.objects.using(ALIAS).all()} == {""}
    assert Period.objects.using(ALIAS).values_list("place", flat=True)[0].startswith("amp1:")

    back = migrate_to(scratch, BEFORE)

    dates = {
        pk: (since, released)
        for pk, since, released in back.get_model("trials", "CriminalisationCase")
        .objects.using(ALIAS)
        .values_list("id", "detained_since", "released_on")
    }
    assert dates == {
        held: (date(2025, 2, 1), None),
        freed: (date(2025, 2, 1), date(2025, 2, 20)),
        undated: (date(2025, 1, 10), None),
        later: (today, None),
        free: (None, None),
    }


@pytest.mark.django_db
def test_periods_migrated_without_knowing_who_was_held_are_marked_not_stated(
    scratch,
    organisation,
):
    """Migration 0003: a period naming nobody is "defender not stated" when its case has no
    collective, or when 0002 made it and the case names an individual; a period recorded for
    a collective's members after 0002 stays theirs."""
    old = migrate_to(scratch, BEFORE)
    old.get_model("accounts", "Organisation").objects.using(ALIAS).create(
        pk=organisation.pk, name=organisation.name, slug=organisation.slug, kind=organisation.kind
    )
    Defender = old.get_model("defenders", "Defender")
    Case = old.get_model("trials", "CriminalisationCase")

    def person(kind: str = "individual") -> object:
        return Defender.objects.using(ALIAS).create(
            id=uuid.uuid4(), organisation_id=organisation.pk, kind=kind, pseudonym="x"
        )

    def case(key: str, defenders: list[object]) -> uuid.UUID:
        made = Case.objects.using(ALIAS).create(
            id=uuid.uuid5(uuid.NAMESPACE_URL, key),
            organisation_id=organisation.pk,
            country="CO",
            opened_on=date(2025, 1, 10),
            detention="pre_trial",
            detained_since=date(2025, 2, 1),
        )
        made.defenders.set(defenders)
        return made.pk

    marta, jorge, radio = person(), person(), person("collective")
    pair = case("pair", [marta, jorge])
    mixed = case("mixed", [marta, jorge, radio])
    members = case("members", [radio])
    alone = case("alone", [marta])
    middle = migrate_to(scratch, AFTER)
    # After 0002, the services record a period of the members of the collective of "mixed".
    middle.get_model("trials", "DetentionPeriod").objects.using(ALIAS).create(
        id=uuid.uuid4(),
        organisation_id=organisation.pk,
        case_id=mixed,
        kind="custody",
        starts_on=date(2025, 4, 1),
        place="",
        notes="",
    )

    new = migrate_to(scratch, [("trials", "0003_unattributed_detention_periods")])

    rows = new.get_model("trials", "DetentionPeriod").objects.using(ALIAS)
    marks = {
        (case_id, kind): (defender_id, unattributed)
        for case_id, kind, defender_id, unattributed in rows.values_list(
            "case_id", "kind", "defender_id", "is_unattributed"
        )
    }
    assert marks == {
        (pair, "pre_trial"): (None, True),
        (mixed, "pre_trial"): (None, True),
        (mixed, "custody"): (None, False),
        (members, "pre_trial"): (None, False),
        (alone, "pre_trial"): (marta.pk, False),
    }

    back = migrate_to(scratch, AFTER)
    assert back.get_model("trials", "DetentionPeriod").objects.using(ALIAS).count() == 5


def _hearing_indexes(database: BaseDatabaseWrapper) -> dict[str, list[str]]:
    with database.cursor() as cursor:
        found = database.introspection.get_constraints(cursor, "trials_hearing")
    return {name: found[name]["columns"] for name in found if name.startswith("trials_hearing_")}


@pytest.mark.django_db
def test_the_calendars_index_replaces_the_old_one_and_goes_back(scratch):
    """0004: the calendar page's index (its order and every column an entry shows) in place of
    (organisation, starts_at); going back restores that one."""
    unapplied = [("trials", "0003_unattributed_detention_periods")]
    migrate_to(scratch, unapplied)
    before = _hearing_indexes(scratch)
    migrate_to(scratch, [("trials", "0004_hearing_agenda_index")])
    after = _hearing_indexes(scratch)
    migrate_to(scratch, unapplied)

    assert before["trials_hearing_calendar"] == ["organisation_id", "starts_at"]
    assert "trials_hearing_calendar" not in after
    columns = ["organisation_id", "starts_at", "id", "case_id", "kind", "result"]
    assert after["trials_hearing_agenda"] == columns
    assert _hearing_indexes(scratch) == before
