"""Detention periods: the services that write them, the status a case takes from them and the
days they count (issue #7: "detention status and periods")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import get_args

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.core.locking import EditConflict
from amparo.trials import detention, services
from amparo.trials.enums import DETAINED_KINDS
from amparo.trials.models import CriminalisationCase, DetentionPeriod
from amparo.trials.schemas import DetainedKind
from amparo.trials.tests.factories import make_case, make_defender, make_period

TODAY = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _reads_audited():
    with audit_context(actor=None):
        yield


@pytest.fixture
def frozen_today():
    with time_machine.travel(datetime(2026, 6, 1, 12, tzinfo=UTC), tick=False):
        yield TODAY


def _status(case: CriminalisationCase) -> str:
    return CriminalisationCase.objects.values_list("detention", flat=True).get(pk=case.pk)


# --- services ---


@pytest.mark.django_db
def test_a_rearrest_is_a_new_period_and_the_case_status_follows(trial, record, desk_officer):
    custody = services.add_detention_period(
        case=trial, actor=desk_officer, defender=record, kind="custody", starts_on=date(2025, 3, 1)
    )
    assert _status(trial) == "custody"

    services.end_detention_period(
        period=custody, actor=desk_officer, expected_version=1, ends_on=date(2025, 3, 3)
    )
    released = _status(trial)
    services.add_detention_period(
        case=trial,
        actor=desk_officer,
        defender=record,
        kind="pre_trial",
        starts_on=date(2025, 9, 1),
        place="Cárcel La Picota",
    )

    assert (released, _status(trial)) == ("released", "pre_trial")
    assert list(trial.detention_periods.values_list("kind", "starts_on", "ends_on")) == [
        ("custody", date(2025, 3, 1), date(2025, 3, 3)),
        ("pre_trial", date(2025, 9, 1), None),
    ]
    assert list(
        AuditEvent.objects.filter(action__startswith="trials.detention").values_list(
            "action", flat=True
        )
    ) == [
        "trials.detention_period_added",
        "trials.detention_period_ended",
        "trials.detention_period_added",
    ]
    # The case's version is its facts': a period does not make a case edit stale.
    assert CriminalisationCase.objects.values_list("version", flat=True).get() == 1


@pytest.mark.django_db
def test_place_and_notes_are_encrypted_and_the_audit_holds_ids_only(trial, desk_officer):
    period = make_period(trial, place="Estación Norte", notes="Held incommunicado")

    raw = DetentionPeriod.objects.values_list("place", "notes").get()
    event = AuditEvent.objects.get(action="trials.detention_period_added")
    assert [value.startswith("amp1:") for value in raw] == [True, True]
    assert event.object_ids == [str(trial.pk), str(period.pk)]
    assert "Estación" not in str(vars(event))
    assert DetentionPeriod.objects.get().place == "Estación Norte"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts_on", "ends_on", "message"),
    [
        (date(2025, 3, 5), date(2025, 3, 4), "The release cannot come before the detention."),
        (TODAY + timedelta(days=1), None, "A detention cannot start in the future."),
        (
            date(2025, 3, 5),
            TODAY + timedelta(days=1),
            "The release cannot be in the future: leave it empty while the detention lasts.",
        ),
    ],
)
def test_impossible_dates_are_refused(trial, frozen_today, starts_on, ends_on, message):
    with pytest.raises(services.TrialsError) as refused:
        make_period(trial, starts_on=starts_on, ends_on=ends_on)

    assert refused.value.message == message
    assert (DetentionPeriod.objects.count(), _status(trial)) == (0, "free")


@pytest.mark.django_db
def test_one_defender_cannot_be_held_twice_at_once_but_may_be_moved_the_same_day(trial):
    make_period(trial, kind="custody", starts_on=date(2025, 3, 1), ends_on=date(2025, 3, 3))
    make_period(trial, kind="pre_trial", starts_on=date(2025, 3, 3))  # moved to prison that day

    with pytest.raises(services.TrialsError) as overlapping:
        make_period(trial, kind="house_arrest", starts_on=date(2025, 4, 1))
    with pytest.raises(services.TrialsError):
        make_period(trial, kind="custody", starts_on=date(2025, 2, 20), ends_on=date(2025, 3, 2))

    assert overlapping.value.message == (
        "This defender already has a detention period on those dates in this case."
    )
    assert DetentionPeriod.objects.count() == 2


@pytest.mark.django_db
def test_two_defenders_of_one_case_may_be_held_together(organisation, record, desk_officer):
    other = make_defender(organisation, "Jorge")
    case = make_case(record, desk_officer)
    services.update_case(
        case=case, actor=desk_officer, expected_version=1, changes={}, defenders=[record, other]
    )

    for defender in (record, other):
        make_period(case, defender=defender, starts_on=date(2025, 3, 2))

    assert DetentionPeriod.objects.count() == 2


@pytest.mark.django_db
def test_a_period_names_an_individual_of_the_case_unless_it_is_against_a_collective(
    organisation, record, foreign_record, desk_officer
):
    collective = make_defender(organisation, "Radio Comunitaria", kind="collective")
    individual_case = make_case(record, desk_officer)
    collective_case = make_case(collective, desk_officer)

    refusals = []
    for case, defender in [
        (individual_case, None),
        (individual_case, foreign_record),
        (collective_case, collective),
    ]:
        with pytest.raises(services.TrialsError) as refused:
            make_period(case, defender=defender)
        refusals.append(refused.value.message)
    members = make_period(collective_case, defender=None)
    again = make_period(collective_case, defender=None)  # another member, held the same day

    assert refusals == [
        "Choose which defender of the case was detained.",
        "Choose an individual defender of this case.",
        "Choose an individual defender of this case.",
    ]
    assert [members.defender_id, again.defender_id, _status(collective_case)] == [
        None,
        None,
        "pre_trial",
    ]


@pytest.mark.django_db
def test_a_stale_correction_is_refused_and_keeps_the_saved_period(trial, desk_officer):
    period = make_period(trial)
    services.update_detention_period(
        period=period, actor=desk_officer, expected_version=1, changes={"place": "Bogotá"}
    )
    stale = DetentionPeriod.objects.get()
    stale.version = 1

    with pytest.raises(EditConflict):
        services.update_detention_period(
            period=stale, actor=desk_officer, expected_version=1, changes={"kind": "custody"}
        )

    saved = DetentionPeriod.objects.get()
    assert (saved.kind, saved.place, saved.version) == ("pre_trial", "Bogotá", 2)


@pytest.mark.django_db
def test_ending_twice_is_refused(trial, desk_officer):
    period = make_period(trial, ends_on=date(2025, 3, 9))

    with pytest.raises(services.TrialsError) as refused:
        services.end_detention_period(
            period=period, actor=desk_officer, expected_version=1, ends_on=date(2025, 4, 1)
        )

    assert refused.value.message == "This detention period has ended already."


@pytest.mark.django_db
def test_removing_the_only_period_leaves_the_case_not_detained(trial, desk_officer):
    period = make_period(trial)

    with pytest.raises(EditConflict):
        services.remove_detention_period(period=period, actor=desk_officer, expected_version=7)
    services.remove_detention_period(period=period, actor=desk_officer, expected_version=1)

    assert (DetentionPeriod.objects.count(), _status(trial)) == (0, "free")
    assert AuditEvent.objects.filter(action="trials.detention_period_removed").count() == 1


@pytest.mark.django_db
def test_a_defender_with_periods_stays_on_the_case(organisation, trial, record, desk_officer):
    make_period(trial)
    other = make_defender(organisation, "Jorge")

    with pytest.raises(services.TrialsError) as refused:
        services.update_case(
            case=trial, actor=desk_officer, expected_version=1, changes={}, defenders=[other]
        )

    assert refused.value.message == (
        "A defender with detention periods in this case stays on it: remove those first."
    )
    assert list(trial.defenders.all()) == [record]


@pytest.mark.django_db
def test_a_migrated_period_of_several_individuals_does_not_block_editing_the_case(
    organisation, trial, record, desk_officer
):
    """Migration 0002 leaves a period without a defender where the case named several
    individuals (ADR 0051): to be told apart by hand, which must not lock the case's facts."""
    other = make_defender(organisation, "Jorge")
    services.update_case(
        case=trial, actor=desk_officer, expected_version=1, changes={}, defenders=[record, other]
    )
    DetentionPeriod.objects.create(
        organisation=organisation, case=trial, kind="pre_trial", starts_on=date(2025, 2, 1)
    )

    services.update_case(
        case=trial,
        actor=desk_officer,
        expected_version=2,
        changes={"stage": "trial"},
        defenders=[record, other],
    )

    assert CriminalisationCase.objects.values_list("stage", "version").get() == ("trial", 3)


@pytest.mark.django_db
def test_a_collective_whose_members_were_held_stays_on_the_case(organisation, record, desk_officer):
    collective = make_defender(organisation, "Radio Comunitaria", kind="collective")
    case = make_case(collective, desk_officer)
    make_period(case, defender=None)

    with pytest.raises(services.TrialsError) as refused:
        services.update_case(
            case=case, actor=desk_officer, expected_version=1, changes={}, defenders=[record]
        )

    assert refused.value.message.startswith("Members of the collective have detention periods")
    assert list(case.defenders.all()) == [collective]


# --- days and status, pure ---


class Span:
    def __init__(self, starts_on: date, ends_on: date | None, kind: str = "pre_trial") -> None:
        self.starts_on, self.ends_on, self.kind = starts_on, ends_on, kind


def test_days_count_both_ends_and_each_day_once():
    periods = [
        Span(date(2025, 3, 1), date(2025, 3, 3)),  # 3 days
        Span(date(2025, 3, 3), date(2025, 3, 10)),  # moved the 3rd: 7 more
        Span(date(2025, 5, 1), date(2025, 5, 1)),  # arrested and released the same day: 1
        Span(date(2026, 5, 30), None),  # still held: 30 and 31 May, 1 June
    ]

    assert [detention.days_of(p, TODAY) for p in periods] == [3, 8, 1, 3]
    assert detention.days_detained(periods, TODAY) == 14
    assert detention.days_detained([], TODAY) == 0


def test_the_status_is_the_latest_running_kind_else_released_else_free():
    ended = Span(date(2025, 1, 1), date(2025, 1, 2), "custody")
    running = Span(date(2025, 2, 1), None, "house_arrest")
    later = Span(date(2025, 3, 1), None, "sentence")

    assert [
        detention.status_of([]),
        detention.status_of([ended]),
        detention.status_of([ended, running]),
        detention.status_of([later, running, ended]),
    ] == ["free", "released", "house_arrest", "sentence"]


def test_the_api_offers_exactly_the_kinds_of_detention():
    assert set(get_args(DetainedKind)) == {kind.value for kind in DETAINED_KINDS}


days = st.integers(min_value=0, max_value=60)


@given(st.lists(st.tuples(days, st.one_of(st.none(), days)), max_size=6))
def test_days_detained_counts_the_days_any_period_covers(spans):
    start = date(2026, 3, 1)
    periods = [
        Span(start + timedelta(days=a), None if b is None else start + timedelta(days=a + b))
        for a, b in spans
    ]
    covered = {
        p.starts_on + timedelta(days=n)
        for p in periods
        for n in range(((p.ends_on or TODAY) - p.starts_on).days + 1)
    }

    assert detention.days_detained(periods, TODAY) == len(covered)
