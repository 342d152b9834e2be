"""Writes: the editorial workflow, status history, evaluations (OBS-3), audit and versions."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from amparo.audit.models import AuditEvent
from amparo.core.locking import EditConflict
from amparo.observatory import queries, services
from amparo.observatory.enums import ChangeKind, EditorialState, InstrumentStatus, Score
from amparo.observatory.models import ChangeLogEntry, CriterionScore, Evaluation
from amparo.observatory.tests.factories import (
    country,
    make_evaluation,
    make_framework,
    make_instrument,
)

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("occurred_at", "seq").values_list("action", flat=True))


def test_an_instrument_goes_from_draft_through_review_to_published_by_a_second_editor(
    editor, reviewer
):
    instrument = make_instrument(published=False)
    version = queries.dataset_version().version

    services.submit_instrument(instrument=instrument, actor=editor)
    with pytest.raises(services.ObservatoryError, match="Another observatory editor"):
        services.publish_instrument(instrument=instrument, actor=editor)
    published = services.publish_instrument(instrument=instrument, actor=reviewer)

    assert published.editorial_state == EditorialState.PUBLISHED
    assert published.first_published_at == published.published_at
    assert list(ChangeLogEntry.objects.values_list("kind", "instrument_id")) == [
        (ChangeKind.ADDED, instrument.pk)
    ]
    assert queries.dataset_version().version == version + 1
    assert _actions()[-2:] == [
        "observatory.instrument_submitted",
        "observatory.instrument_published",
    ]


def test_only_observatory_editors_change_the_observatory(desk_lead):
    instrument = make_instrument(published=False)

    with pytest.raises(services.ObservatoryError):
        services.submit_instrument(instrument=instrument, actor=desk_lead)

    instrument.refresh_from_db()
    assert instrument.editorial_state == EditorialState.DRAFT


def test_a_draft_cannot_be_published_by_an_editor_without_review(editor, reviewer):
    instrument = make_instrument(published=False)

    with pytest.raises(services.ObservatoryError):
        services.publish_instrument(instrument=instrument, actor=reviewer)

    instrument.refresh_from_db()
    assert instrument.editorial_state == EditorialState.DRAFT


def test_withdrawing_hides_the_instrument_and_says_so_in_the_change_log(editor):
    instrument = make_instrument()

    services.withdraw_instrument(instrument=instrument, actor=editor, note="Date being checked")

    assert list(queries.public_instruments()) == []
    assert ChangeLogEntry.objects.filter(kind=ChangeKind.WITHDRAWN).get().note == (
        "Date being checked"
    )


def test_republishing_after_withdrawal_logs_a_correction_not_an_addition(editor, reviewer):
    instrument = make_instrument()
    first = instrument.first_published_at
    services.withdraw_instrument(instrument=instrument, actor=editor)
    services.submit_instrument(instrument=instrument, actor=editor)

    again = services.publish_instrument(instrument=instrument, actor=reviewer)

    assert again.first_published_at == first
    assert list(ChangeLogEntry.objects.order_by("id").values_list("kind", flat=True)) == [
        ChangeKind.ADDED,
        ChangeKind.WITHDRAWN,
        ChangeKind.CORRECTED,
    ]


def test_a_status_change_is_kept_in_the_history(editor):
    instrument = make_instrument(status=InstrumentStatus.BILL_UNDER_DEBATE, instrument_type="bill")

    services.change_status(
        instrument=instrument,
        actor=editor,
        status=InstrumentStatus.ADOPTED,
        effective_on=date(2024, 12, 27),
        effective_on_precision="day",
        note="Adopted by acclamation",
    )

    instrument.refresh_from_db()
    assert instrument.status == InstrumentStatus.ADOPTED
    assert list(instrument.status_changes.values_list("status", "effective_on")) == [
        (InstrumentStatus.BILL_UNDER_DEBATE, None),
        (InstrumentStatus.ADOPTED, date(2024, 12, 27)),
    ]
    assert ChangeLogEntry.objects.filter(kind=ChangeKind.STATUS_CHANGED).count() == 1


def test_an_update_refuses_a_stale_version(editor):
    instrument = make_instrument()
    services.update_instrument(
        instrument=instrument, actor=editor, expected_version=1, authority="Senate"
    )

    with pytest.raises(EditConflict):
        services.update_instrument(
            instrument=instrument, actor=editor, expected_version=1, authority="House"
        )

    instrument.refresh_from_db()
    assert (instrument.authority, instrument.version) == ("Senate", 2)


def test_an_update_keeps_the_sort_date_and_search_text_current(editor):
    instrument = make_instrument(title_original="")

    services.update_instrument(
        instrument=instrument,
        actor=editor,
        expected_version=1,
        adopted_on=date(2019, 1, 1),
        adopted_on_precision="year",
        title_original="Ley nueva",
    )

    instrument.refresh_from_db()
    assert instrument.listed_on == date(2019, 1, 1)
    assert "ley nueva" in instrument.search_text.splitlines()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "repealed"}, "cannot be changed here"),
        ({"adopted_on": None, "adopted_on_precision": "day"}, "date together"),
    ],
)
def test_an_update_refuses_what_would_break_the_record(editor, changes, message):
    instrument = make_instrument()

    with pytest.raises(services.ObservatoryError, match=message):
        services.update_instrument(
            instrument=instrument, actor=editor, expected_version=1, **changes
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"code": None}, "needs its country"),
        ({"level": "international"}, "have no country"),
        ({"level": "subnational"}, "sub-national unit"),
        ({"adopted_on": None, "precision": "day"}, "date together"),
        ({"title": "", "title_original": "", "translations": []}, "title"),
    ],
)
def test_create_refuses_facts_that_contradict_each_other(kwargs, message):
    with pytest.raises(services.ObservatoryError, match=message):
        make_instrument(**kwargs)


def test_keys_are_unique():
    make_instrument("co-law-1")

    with pytest.raises(services.ObservatoryError, match="key"):
        make_instrument("co-law-1")


# --- evaluations ---


def test_every_score_cites_evidence_and_a_source():
    framework = make_framework()
    instrument = make_instrument()
    criterion = framework.axes.first().criteria.first()

    for evidence, url in (("", "https://example.org"), ("Article 3", "")):
        with pytest.raises(services.ObservatoryError):
            services.create_evaluation(
                framework=framework,
                evaluator_name="Maria",
                evaluated_on=date(2025, 1, 1),
                scores=[
                    services.ScoreData(
                        criterion=criterion, score=Score.WEAK, evidence=evidence, source_url=url
                    )
                ],
                actor=None,
                instrument=instrument,
            )

    assert Evaluation.objects.count() == 0


def test_the_database_itself_refuses_a_score_without_evidence():
    evaluation = make_evaluation(make_framework(), instrument=make_instrument(), scores={})
    criterion = evaluation.framework.axes.first().criteria.first()

    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionScore.objects.create(
            evaluation=evaluation,
            criterion=criterion,
            score=Score.ABSENT,
            evidence="",
            source_url="https://example.org",
        )


def test_an_evaluation_has_exactly_one_subject():
    framework = make_framework()

    with pytest.raises(services.ObservatoryError, match="either"):
        make_evaluation(framework, instrument=make_instrument(), code="CO")
    with pytest.raises(services.ObservatoryError, match="either"):
        make_evaluation(framework)


def test_criteria_must_belong_to_the_evaluated_framework():
    old = make_framework(version=1)
    new = make_framework(version=2)
    criterion = old.axes.first().criteria.first()

    with pytest.raises(services.ObservatoryError, match="framework"):
        services.create_evaluation(
            framework=new,
            evaluator_name="Maria",
            evaluated_on=date(2025, 1, 1),
            scores=[
                services.ScoreData(
                    criterion=criterion, score=Score.WEAK, evidence="x", source_url="https://e.org"
                )
            ],
            actor=None,
            country=country("CO"),
        )


def test_a_new_framework_version_supersedes_the_old_one():
    old = make_framework(version=1)
    new = make_framework(version=2)

    old.refresh_from_db()
    assert (old.editorial_state, new.editorial_state) == (
        EditorialState.SUPERSEDED,
        EditorialState.PUBLISHED,
    )
    assert queries.current_framework() == new


def test_publishing_a_new_version_supersedes_the_previous_one(editor, reviewer):
    framework = make_framework()
    first = make_evaluation(framework, code="CO")
    second = services.create_evaluation(
        framework=framework,
        evaluator_name="Maria Evaluadora",
        evaluated_on=date(2026, 1, 1),
        scores=[],
        actor=editor,
        country=country("CO"),
        previous=first,
    )
    services.submit_evaluation(evaluation=second, actor=editor)

    with pytest.raises(services.ObservatoryError, match="Another observatory editor"):
        services.publish_evaluation(evaluation=second, actor=editor)
    services.publish_evaluation(evaluation=second, actor=reviewer)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.series, second.series, second.version) == (first.series, first.series, 2)
    assert (first.editorial_state, second.editorial_state) == (
        EditorialState.SUPERSEDED,
        EditorialState.PUBLISHED,
    )
    assert second.reviewed_by == reviewer
    assert [e.version for e in queries.versions_of(second)] == [2, 1]


def test_sync_countries_creates_the_iso_list_once():
    created = services.sync_countries()
    again = services.sync_countries()

    assert (created, again) == (249, 0)
    assert AuditEvent.objects.filter(action="observatory.countries_synced").count() == 1
