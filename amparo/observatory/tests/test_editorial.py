"""The editorial workflow: editors' work waits in revisions, a second editor publishes it,
readers see only what was approved, and every step is audited."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from amparo.audit.models import AuditEvent
from amparo.core.locking import EditConflict
from amparo.observatory import editorial, queries, services
from amparo.observatory.content import (
    DocumentContent,
    InstrumentContent,
    RelationContent,
    SourceContent,
    TranslationContent,
    changes,
    content_of,
    parse_dated,
)
from amparo.observatory.enums import ChangeKind, EditorialState, InstrumentStatus, Score
from amparo.observatory.models import (
    ChangeLogEntry,
    CountryNarrative,
    Criterion,
    Evaluation,
    Framework,
    PolicyInstrument,
    Revision,
)
from amparo.observatory.tests.factories import (
    country,
    make_evaluation,
    make_framework,
    make_instrument,
)

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="observatory.")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def _content(**changes_: object) -> InstrumentContent:
    base = InstrumentContent(
        jurisdiction_level="national",
        instrument_type="law",
        status="adopted",
        country="CO",
        adopted_on="2012-06",
        authority="Congress",
        title_original="Ley 1",
        original_language="es",
        counts_as_national_policy=True,
        translations=(TranslationContent("en", "Law 1", "What it does."),),
        sources=(SourceContent("https://example.org/a", "confirmed"),),
    )
    return replace(base, **changes_)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2012-06-25", (date(2012, 6, 25), "day")),
        ("2012-06", (date(2012, 6, 1), "month")),
        ("2012", (date(2012, 1, 1), "year")),
        ("", (None, "unknown")),
    ],
)
def test_dates_keep_their_precision(text, expected):
    assert parse_dated(text) == expected


@pytest.mark.parametrize("text", ["25/06/2012", "2012-13", "12-06-25", "2012-06-25-1", "soon"])
def test_other_date_forms_are_refused(text):
    with pytest.raises(ValueError, match=re.escape(text)):
        parse_dated(text)


def test_a_new_instrument_is_a_draft_with_everything_the_editor_gave(editor):
    country("CO")
    law = make_instrument("co-law-2")

    instrument = editorial.create_instrument(
        key="co-law-9",
        content=_content(
            documents=(DocumentContent("official_text", "https://example.org/text.pdf"),),
            relations=(RelationContent("amends", law.key, "Article 3"),),
            status_since="2012-07",
        ),
        actor=editor,
    )

    assert instrument.editorial_state == EditorialState.DRAFT
    stored = content_of(instrument)
    assert (stored.adopted_on, stored.country, stored.title) == ("2012-06", "CO", "Law 1")
    assert [(d.kind, d.url) for d in stored.documents] == [
        ("official_text", "https://example.org/text.pdf")
    ]
    assert [(r.kind, r.related) for r in stored.relations] == [("amends", "co-law-2")]
    assert list(instrument.status_changes.values_list("effective_on", flat=True)) == [
        date(2012, 7, 1)
    ]
    with pytest.raises(queries.Http404):
        queries.get_public_instrument("co-law-9")


def test_editing_a_published_instrument_leaves_readers_the_published_version(editor):
    instrument = make_instrument("co-law-1", title="Old title")

    revision = editorial.save_instrument_draft(
        instrument=instrument,
        content=replace(content_of(instrument), authority="Senate"),
        actor=editor,
        expected_version=0,
        note="The authority was wrong.",
    )

    instrument.refresh_from_db()
    assert (revision.state, revision.version) == (EditorialState.DRAFT, 1)
    assert instrument.authority == "Congress"
    assert queries.get_public_instrument("co-law-1").authority == "Congress"
    assert _actions()[-1] == "observatory.revision_saved"


def test_a_stale_draft_is_refused_and_the_saved_one_kept(editor, reviewer):
    instrument = make_instrument()
    content = content_of(instrument)
    editorial.save_instrument_draft(
        instrument=instrument,
        content=replace(content, authority="Senate"),
        actor=editor,
        expected_version=0,
    )

    with pytest.raises(EditConflict):
        editorial.save_instrument_draft(
            instrument=instrument,
            content=replace(content, authority="House"),
            actor=reviewer,
            expected_version=0,
        )

    revision = Revision.objects.get()
    assert revision.content["authority"] == "Senate"


def test_a_second_editor_publishes_a_correction_and_readers_are_told(editor, reviewer):
    instrument = make_instrument(status=InstrumentStatus.ADOPTED)
    content = replace(
        content_of(instrument),
        authority="Senate",
        status=InstrumentStatus.IN_FORCE,
        status_since="2013-01-15",
        status_note="Regulations issued",
    )
    editorial.save_instrument_draft(
        instrument=instrument, content=content, actor=editor, expected_version=0, note="Fixed"
    )
    revision = editorial.submit_instrument(instrument=instrument, actor=editor, expected_version=1)

    with pytest.raises(services.ObservatoryError, match="Another observatory editor"):
        editorial.approve_revision(revision=revision, actor=editor)
    editorial.approve_revision(revision=revision, actor=reviewer)

    instrument.refresh_from_db()
    assert (instrument.authority, instrument.status) == ("Senate", InstrumentStatus.IN_FORCE)
    assert list(instrument.status_changes.values_list("status", "effective_on", "note")) == [
        (InstrumentStatus.ADOPTED, None, ""),
        (InstrumentStatus.IN_FORCE, date(2013, 1, 15), "Regulations issued"),
    ]
    assert list(ChangeLogEntry.objects.order_by("id").values_list("kind", "note")) == [
        (ChangeKind.ADDED, ""),
        (ChangeKind.STATUS_CHANGED, "Regulations issued"),
        (ChangeKind.CORRECTED, "Fixed"),
    ]
    revision.refresh_from_db()
    assert (revision.state, revision.reviewed_by) == (EditorialState.PUBLISHED, reviewer)
    assert _actions()[-1] == "observatory.revision_approved"


def test_a_new_instrument_is_published_by_the_second_editor_only(editor, reviewer):
    country("CO")
    instrument = editorial.create_instrument(key="co-law-9", content=_content(), actor=editor)
    revision = editorial.submit_instrument(instrument=instrument, actor=editor)
    instrument.refresh_from_db()
    assert instrument.editorial_state == EditorialState.REVIEW

    editorial.approve_revision(revision=revision, actor=reviewer)

    published = queries.get_public_instrument("co-law-9")
    assert published.first_published_at is not None
    assert list(ChangeLogEntry.objects.values_list("kind", flat=True)) == [ChangeKind.ADDED]


def test_returning_work_keeps_the_comment_and_lets_the_editor_continue(editor, reviewer):
    country("CO")
    instrument = editorial.create_instrument(key="co-law-9", content=_content(), actor=editor)
    revision = editorial.submit_instrument(instrument=instrument, actor=editor)

    with pytest.raises(services.ObservatoryError, match="what to change"):
        editorial.return_revision(revision=revision, actor=reviewer, comment=" ")
    editorial.return_revision(revision=revision, actor=reviewer, comment="Cite the gazette.")

    revision.refresh_from_db()
    instrument.refresh_from_db()
    assert (revision.state, revision.review_comment) == (EditorialState.DRAFT, "Cite the gazette.")
    assert instrument.editorial_state == EditorialState.DRAFT
    again = editorial.save_instrument_draft(
        instrument=instrument,
        content=_content(authority="Official gazette"),
        actor=editor,
        expected_version=revision.version,
    )
    assert again.pk == revision.pk


def test_the_review_compares_against_what_readers_see(editor):
    instrument = make_instrument(title="Law", summary="Old summary")
    proposed = replace(
        content_of(instrument),
        translations=(TranslationContent("en", "Law", "New summary"),),
        sources=(),
    )

    found = changes(content_of(instrument), proposed)

    assert [(str(c.label), c.before, c.after, c.language) for c in found] == [
        ("Summary", "Old summary", "New summary", "en"),
        ("Source", "https://example.org/source · Confirmed", "", ""),
    ]


def test_withdrawn_then_republished_as_it_was(editor, reviewer):
    instrument = make_instrument()
    services.withdraw_instrument(instrument=instrument, actor=editor, note="Checking")

    revision = editorial.submit_instrument(instrument=instrument, actor=editor)
    editorial.approve_revision(revision=revision, actor=reviewer)

    assert queries.get_public_instrument(instrument.key).pk == instrument.pk
    assert list(ChangeLogEntry.objects.order_by("id").values_list("kind", flat=True)) == [
        ChangeKind.ADDED,
        ChangeKind.WITHDRAWN,
        ChangeKind.CORRECTED,
    ]


def test_only_observatory_editors_do_editorial_work(desk_lead, editor):
    instrument = make_instrument()

    with pytest.raises(services.ObservatoryError):
        editorial.save_instrument_draft(
            instrument=instrument,
            content=content_of(instrument),
            actor=desk_lead,
            expected_version=0,
        )
    revision = editorial.save_instrument_draft(
        instrument=instrument, content=content_of(instrument), actor=editor, expected_version=0
    )
    editorial.submit_instrument(instrument=instrument, actor=editor, expected_version=1)
    with pytest.raises(services.ObservatoryError):
        editorial.approve_revision(revision=revision, actor=desk_lead)
    assert Revision.objects.get().state == EditorialState.REVIEW


def test_a_narrative_is_published_after_review_and_logged(editor, reviewer):
    colombia = country("CO")
    revision = editorial.save_narrative_draft(
        country=colombia,
        language="es",
        text="Colombia tiene un programa de protección.",
        actor=editor,
        expected_version=0,
        note="Nuevo texto",
    )
    editorial.submit_revision(revision=revision, actor=editor, expected_version=1)
    assert not CountryNarrative.objects.exists()

    editorial.approve_revision(revision=revision, actor=reviewer)

    assert list(CountryNarrative.objects.values_list("language", "text")) == [
        ("es", "Colombia tiene un programa de protección.")
    ]
    entry = ChangeLogEntry.objects.get()
    assert (entry.kind, entry.country_id, entry.note) == (
        ChangeKind.NARRATIVE_UPDATED,
        "CO",
        "Nuevo texto",
    )


def test_a_draft_evaluation_is_edited_then_published_by_a_second_editor(editor, reviewer):
    framework = make_framework()
    instrument = make_instrument()
    evaluation = make_evaluation(framework, instrument=instrument, published=False)
    criterion = Criterion.objects.get(key="recognition")
    token = editorial.lock_token(evaluation)

    editorial.update_evaluation(
        evaluation=evaluation,
        data=editorial.EvaluationData(
            evaluator_name="Rosa",
            evaluated_on=date(2025, 6, 1),
            summary="",
            language="es",
            scores=[
                services.ScoreData(
                    criterion=criterion,
                    score=Score.PARTIAL,
                    evidence="Art. 2",
                    source_instrument=instrument,
                )
            ],
        ),
        actor=editor,
        token=token,
    )
    with pytest.raises(EditConflict):
        editorial.update_evaluation(
            evaluation=evaluation,
            data=editorial.EvaluationData("Other", date(2025, 6, 1), "", "en", []),
            actor=editor,
            token=token,
        )
    revision = editorial.submit_evaluation(evaluation=evaluation, actor=editor)
    editorial.approve_revision(revision=revision, actor=reviewer)

    evaluation.refresh_from_db()
    assert (evaluation.evaluator_name, evaluation.editorial_state) == ("Rosa", "published")
    assert list(evaluation.scores.values_list("criterion__key", "score")) == [
        ("recognition", Score.PARTIAL)
    ]


def test_a_new_evaluation_version_supersedes_the_published_one(editor, reviewer):
    framework = make_framework()
    first = make_evaluation(framework, code="CO")

    draft = editorial.new_evaluation_version(evaluation=first, actor=editor)
    with pytest.raises(services.ObservatoryError, match="already being written"):
        editorial.new_evaluation_version(evaluation=first, actor=editor)
    revision = editorial.submit_evaluation(evaluation=draft, actor=editor)
    editorial.approve_revision(revision=revision, actor=reviewer)

    assert list(
        Evaluation.objects.filter(series=first.series)
        .order_by("version")
        .values_list("version", "editorial_state")
    ) == [(1, "superseded"), (2, "published")]
    assert draft.scores.count() == first.scores.count() == 2


def test_a_framework_changes_by_reviewed_versions(editor, reviewer):
    current = make_framework()

    draft = editorial.new_framework_version(framework=current, actor=editor)
    criterion = Criterion.objects.get(axis__framework=draft, key="norm-rank")
    editorial.update_framework_texts(
        framework=draft,
        actor=editor,
        token=editorial.lock_token(draft),
        title="Test framework, revised",
        description="",
        axes={},
        criteria={
            criterion.pk: editorial.CriterionText(
                "Rank of the norm", "Is it a law?", "Read article 1.", "A law."
            )
        },
    )
    revision = editorial.submit_framework(framework=draft, actor=editor)
    with pytest.raises(services.ObservatoryError):
        editorial.approve_revision(revision=revision, actor=editor)
    editorial.approve_revision(revision=revision, actor=reviewer)

    assert list(
        Framework.objects.order_by("version").values_list("version", "editorial_state", "title")
    ) == [
        (1, "superseded", "Test framework"),
        (2, "published", "Test framework, revised"),
    ]
    assert Criterion.objects.get(pk=criterion.pk).guidance == "Read article 1."
    assert Criterion.objects.get(axis__framework=current, key="norm-rank").guidance == ""


def test_invalid_content_is_refused_before_anything_is_written(editor):
    country("CO")

    with pytest.raises(services.ObservatoryError, match="needs its country"):
        editorial.create_instrument(key="x-1", content=_content(country=""), actor=editor)
    with pytest.raises(services.ObservatoryError, match="No instrument has this key"):
        editorial.create_instrument(
            key="x-2",
            content=_content(relations=(RelationContent("amends", "nowhere"),)),
            actor=editor,
        )

    assert not PolicyInstrument.objects.exists()
