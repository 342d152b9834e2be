"""The editorial workflow behind the editing pages and the import: services on top of
services.py.

Editors never change a published record directly. Their work goes into a `Revision`: the
proposed content of an instrument or a country's narrative, or the review of a draft
evaluation or framework version. A second editor approves it, which writes it to the record
and publishes it, or returns it with a comment. Each step runs in one transaction with its
audit event; what readers see changing lands in the public change log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.audit.services import record_event
from amparo.core.locking import EditConflict, save_versioned
from amparo.observatory import rules, services
from amparo.observatory.content import (
    InstrumentContent,
    content_of,
    parse_dated,
    problems,
)
from amparo.observatory.enums import (
    OPEN_REVISION_STATES,
    ChangeKind,
    EditorialState,
    RevisionKind,
)
from amparo.observatory.models import (
    UNDATED,
    Axis,
    ChangeLogEntry,
    Country,
    CountryNarrative,
    Criterion,
    CriterionScore,
    Document,
    Evaluation,
    Framework,
    InstrumentRelation,
    InstrumentTranslation,
    PolicyInstrument,
    Revision,
    Source,
    SubnationalUnit,
)

if TYPE_CHECKING:
    from amparo.accounts.models import User

ObservatoryError = services.ObservatoryError


def _audit(actor: User | None, action: str, target: Any, *ids: Any) -> None:
    record_event(actor=actor, action=action, organisation=None, target=target, object_ids=ids)


def _require_editor(actor: User | None) -> None:
    if actor is not None and not rules.can_edit_observatory(actor):
        raise ObservatoryError(_("Only observatory editors change the observatory."))


def _invalid(content: InstrumentContent, own_key: str) -> None:
    known_keys = set(
        PolicyInstrument.objects.filter(key__in=[r.related for r in content.relations]).values_list(
            "key", flat=True
        )
    )
    found = problems(
        content,
        known_countries=set(Country.objects.values_list("code", flat=True)),
        known_keys=known_keys,
        own_key=own_key,
    )
    if found:
        raise ObservatoryError(found[0].message)


# --- instruments ---


def open_revision(instrument: PolicyInstrument) -> Revision | None:
    return Revision.objects.filter(instrument=instrument, state__in=OPEN_REVISION_STATES).first()


@transaction.atomic
def create_instrument(
    *, key: str, content: InstrumentContent, actor: User | None
) -> PolicyInstrument:
    """A new instrument in draft, as the content says.

    Side effects: audit `observatory.instrument_created` (and one event per document and
    relation, through services.py). Raises ObservatoryError when the content is not valid or
    the key is taken.
    """
    _require_editor(actor)
    _invalid(content, key)
    adopted_on, precision = parse_dated(content.adopted_on)
    data = services.InstrumentData(
        key=key,
        jurisdiction_level=content.jurisdiction_level,
        instrument_type=content.instrument_type,
        status=content.status,
        counts_as_national_policy=content.counts_as_national_policy,
        country=Country.objects.get(pk=content.country) if content.country else None,
        subdivision=content.subdivision.strip(),
        scope_area=content.scope_area,
        adopted_on=adopted_on,
        adopted_on_precision=precision,
        authority=content.authority,
        title_original=content.title_original,
        original_language=content.original_language,
        translations=[
            services.TranslationData(t.language, t.title, t.summary, t.is_official)
            for t in content.translations
        ],
        sources=[
            services.SourceData(url=s.url, confidence=s.confidence, title=s.title, note=s.note)
            for s in content.sources
        ],
        status_note=content.status_note,
    )
    instrument = services.create_instrument(data=data, actor=actor)
    since, since_precision = parse_dated(content.status_since)
    if since is not None:
        instrument.status_changes.update(effective_on=since, effective_on_precision=since_precision)
    if content.is_verified:
        PolicyInstrument.objects.filter(pk=instrument.pk).update(is_verified=True)
        instrument.is_verified = True
    for document in content.documents:
        services.add_document(
            instrument=instrument,
            actor=actor,
            kind=document.kind,
            url=document.url,
            title=document.title,
            language=document.language,
        )
    related = PolicyInstrument.objects.in_bulk(
        [r.related for r in content.relations], field_name="key"
    )
    for relation in content.relations:
        services.relate_instruments(
            instrument=instrument,
            kind=relation.kind,
            related=related[relation.related],
            actor=actor,
            note=relation.note,
        )
    return instrument


def _lock_open(instrument: PolicyInstrument) -> Revision | None:
    return (
        Revision.objects.select_for_update()
        .filter(instrument=instrument, state__in=OPEN_REVISION_STATES)
        .first()
    )


@transaction.atomic
def save_instrument_draft(
    *,
    instrument: PolicyInstrument,
    content: InstrumentContent,
    actor: User | None,
    expected_version: int,
    note: str = "",
) -> Revision:
    """Keep the editor's work on the instrument in its open revision (created at the first
    save: `expected_version` 0), leaving what readers see untouched.

    Side effects: audit `observatory.revision_saved`. Raises EditConflict when someone saved
    the revision since `expected_version` (or started one meanwhile), ObservatoryError when
    the content is not valid or the revision waits for review.
    """
    _require_editor(actor)
    _invalid(content, instrument.key)
    revision = _lock_open(instrument)
    if revision is None and expected_version != 0:
        raise ObservatoryError(_("This draft was published or discarded meanwhile."))
    if revision is not None and revision.state != EditorialState.DRAFT:
        raise ObservatoryError(_("The work waits for review: ask the reviewer to return it first."))
    if revision is None:
        try:
            with transaction.atomic():
                revision = Revision.objects.create(
                    kind=RevisionKind.INSTRUMENT,
                    instrument=instrument,
                    content=content.to_json(),
                    note=note,
                    created_by=actor,
                    updated_by=actor,
                )
        except IntegrityError:
            raise EditConflict(open_revision(instrument) or instrument) from None
    else:
        save_versioned(
            revision,
            expected_version=expected_version,
            content=content.to_json(),
            note=note,
            updated_by=actor,
        )
    _audit(actor, "observatory.revision_saved", revision, instrument.pk)
    return revision


@transaction.atomic
def submit_instrument(
    *, instrument: PolicyInstrument, actor: User, expected_version: int | None = None
) -> Revision:
    """Send the instrument's draft for review by a second editor; without a draft, its
    current content (republishing a withdrawn instrument as it was).

    Side effects: audit `observatory.revision_submitted`; a draft instrument moves to review
    too (services.submit_instrument). Raises EditConflict, ObservatoryError.
    """
    _require_editor(actor)
    instrument = PolicyInstrument.objects.select_for_update().get(pk=instrument.pk)
    revision = _lock_open(instrument)
    if revision is None:
        if instrument.is_public:
            raise ObservatoryError(_("There is nothing to review: no change was saved."))
        revision = Revision.objects.create(
            kind=RevisionKind.INSTRUMENT,
            instrument=instrument,
            content=content_of(instrument).to_json(),
            created_by=actor,
            updated_by=actor,
        )
    elif revision.state != EditorialState.DRAFT:
        raise ObservatoryError(_("The work is already waiting for review."))
    elif expected_version is not None and revision.version != expected_version:
        raise EditConflict(revision)
    _to_review(revision, actor)
    if instrument.editorial_state == EditorialState.DRAFT:
        services.submit_instrument(instrument=instrument, actor=actor)
    elif instrument.editorial_state == EditorialState.REVIEW:
        # Sent to review by services.submit_instrument alone (a script): this submitter now
        # answers for it, and someone else reviews.
        PolicyInstrument.objects.filter(pk=instrument.pk).update(submitted_by=actor)
    return revision


def _to_review(revision: Revision, actor: User) -> None:
    revision.state = EditorialState.REVIEW
    revision.submitted_by = actor
    revision.submitted_at = timezone.now()
    revision.review_comment = ""
    revision.version += 1
    revision.save(
        update_fields=[
            "state",
            "submitted_by",
            "submitted_at",
            "review_comment",
            "version",
            "updated_at",
        ]
    )
    _audit(actor, "observatory.revision_submitted", revision)


@transaction.atomic
def discard_instrument_draft(*, revision: Revision, actor: User, expected_version: int) -> None:
    """Drop an unsubmitted draft; the instrument stays as it is.

    Side effects: audit `observatory.revision_discarded`.
    """
    _require_editor(actor)
    deleted, _counts = Revision.objects.filter(
        pk=revision.pk, state=EditorialState.DRAFT, version=expected_version
    ).delete()
    if not deleted:
        raise EditConflict(Revision.objects.filter(pk=revision.pk).first() or revision)
    _audit(actor, "observatory.revision_discarded", revision.instrument, revision.pk)


def _unit(country: Country | None, name: str) -> SubnationalUnit | None:
    if country is None or not name.strip():
        return None
    unit, _created = SubnationalUnit.objects.get_or_create(country=country, name=name.strip())
    return unit


def _apply(instrument: PolicyInstrument, content: InstrumentContent, actor: User) -> bool:
    """Write the content to the instrument's rows. Returns whether anything other than the
    status changed (the status has its own history and change-log line)."""
    before = content_of(instrument)
    instrument = PolicyInstrument.objects.select_for_update().get(pk=instrument.pk)
    adopted_on, precision = parse_dated(content.adopted_on)
    country = Country.objects.get(pk=content.country) if content.country else None
    save_versioned(
        instrument,
        expected_version=instrument.version,
        country=country,
        jurisdiction_level=content.jurisdiction_level,
        subnational_unit=_unit(country, content.subdivision),
        scope_area=content.scope_area,
        instrument_type=content.instrument_type,
        adopted_on=adopted_on,
        adopted_on_precision=precision,
        listed_on=adopted_on or UNDATED,
        authority=content.authority,
        title_original=content.title_original,
        original_language=content.original_language,
        counts_as_national_policy=content.counts_as_national_policy,
        is_verified=content.is_verified,
        updated_by=actor,
    )
    _sync_translations(instrument, content)
    _sync_links(instrument, content)
    _sync_relations(instrument, content)
    if content.status != instrument.status:
        since, since_precision = parse_dated(content.status_since)
        services.change_status(
            instrument=instrument,
            actor=actor,
            status=content.status,
            effective_on=since,
            effective_on_precision=since_precision,
            note=content.status_note,
        )
    instrument.refresh_from_db()
    services.refresh_search_text(instrument)
    _audit(actor, "observatory.instrument_updated", instrument)
    return replace(before, status=content.status).comparable() != content.comparable()


def _sync_translations(instrument: PolicyInstrument, content: InstrumentContent) -> None:
    wanted = {t.language: t for t in content.translations}
    instrument.translations.exclude(language__in=list(wanted)).delete()
    for t in wanted.values():
        InstrumentTranslation.objects.update_or_create(
            instrument=instrument,
            language=t.language,
            defaults={"title": t.title, "summary": t.summary, "is_official": t.is_official},
        )


def _sync_links(instrument: PolicyInstrument, content: InstrumentContent) -> None:
    sources = {s.url: s for s in content.sources}
    instrument.sources.exclude(url__in=list(sources)).delete()
    for s in sources.values():
        Source.objects.update_or_create(
            instrument=instrument,
            url=s.url,
            defaults={"confidence": s.confidence, "title": s.title, "note": s.note},
        )
    documents = {d.url: d for d in content.documents}
    instrument.documents.exclude(url__in=list(documents)).delete()
    for d in documents.values():
        Document.objects.update_or_create(
            instrument=instrument,
            url=d.url,
            defaults={"kind": d.kind, "title": d.title, "language": d.language},
        )


def _sync_relations(instrument: PolicyInstrument, content: InstrumentContent) -> None:
    related = PolicyInstrument.objects.in_bulk(
        [r.related for r in content.relations], field_name="key"
    )
    kept = []
    for r in content.relations:
        relation, _created = InstrumentRelation.objects.update_or_create(
            instrument=instrument,
            kind=r.kind,
            related=related[r.related],
            defaults={"note": r.note},
        )
        kept.append(relation.pk)
    instrument.relations_out.exclude(pk__in=kept).delete()


# --- review, for every kind of work ---


def _lock(revision: Revision) -> Revision:
    return Revision.objects.select_for_update().get(pk=revision.pk)


@transaction.atomic
def return_revision(*, revision: Revision, actor: User, comment: str) -> Revision:
    """Send submitted work back to draft with the reviewer's comment.

    Side effects: audit `observatory.revision_returned`; the draft instrument, evaluation or
    framework returns to draft too. Raises ObservatoryError.
    """
    if not rules.can_review_observatory(actor):
        raise ObservatoryError(_("Only observatory editors change the observatory."))
    if not comment.strip():
        raise ObservatoryError(_("Tell the editor what to change."))
    revision = _lock(revision)
    if revision.state != EditorialState.REVIEW:
        raise ObservatoryError(_("The work is not waiting for review."))
    revision.state = EditorialState.DRAFT
    revision.review_comment = comment
    revision.reviewed_by = actor
    revision.version += 1
    revision.save(update_fields=["state", "review_comment", "reviewed_by", "version", "updated_at"])
    if revision.instrument_id:
        instrument = PolicyInstrument.objects.get(pk=revision.instrument_id)
        if instrument.editorial_state == EditorialState.REVIEW:
            services.return_instrument(instrument=instrument, actor=actor)
    elif revision.evaluation_id:
        Evaluation.objects.filter(
            pk=revision.evaluation_id, editorial_state=EditorialState.REVIEW
        ).update(editorial_state=EditorialState.DRAFT, updated_at=timezone.now())
    elif revision.framework_id:
        Framework.objects.filter(
            pk=revision.framework_id, editorial_state=EditorialState.REVIEW
        ).update(editorial_state=EditorialState.DRAFT, updated_at=timezone.now())
    _audit(actor, "observatory.revision_returned", revision)
    return revision


@transaction.atomic
def approve_revision(*, revision: Revision, actor: User) -> Revision:
    """Publish submitted work: a second editor, never the one who submitted it.

    Side effects: the record takes the revision's content and is published (services.py:
    audit, public change-log line, data-set version); earlier published revisions of the
    instrument become superseded; audit `observatory.revision_approved`.
    Raises ObservatoryError.
    """
    revision = _lock(revision)
    if revision.state != EditorialState.REVIEW:
        raise ObservatoryError(_("The work is not waiting for review."))
    if not rules.can_review(actor, revision.submitted_by_id):
        raise ObservatoryError(
            _("Another observatory editor must review and publish what you submitted.")
        )
    now = timezone.now()
    if revision.kind == RevisionKind.INSTRUMENT:
        _approve_instrument(revision, actor, now)
    elif revision.kind == RevisionKind.NARRATIVE:
        _approve_narrative(revision, actor, now)
    elif revision.kind == RevisionKind.EVALUATION:
        services.publish_evaluation(evaluation=revision.evaluation, actor=actor)  # type: ignore[arg-type]
    else:
        services.publish_framework(framework=revision.framework, actor=actor)  # type: ignore[arg-type]
    revision.state = EditorialState.PUBLISHED
    revision.reviewed_by = actor
    revision.published_at = now
    revision.version += 1
    revision.save(update_fields=["state", "reviewed_by", "published_at", "version", "updated_at"])
    _audit(actor, "observatory.revision_approved", revision)
    return revision


def _approve_instrument(revision: Revision, actor: User, now: datetime) -> None:
    assert revision.instrument_id is not None  # noqa: S101 -- the database constraint says so
    instrument = PolicyInstrument.objects.select_for_update().get(pk=revision.instrument_id)
    was_public = instrument.is_public
    _invalid(InstrumentContent.from_json(revision.content), instrument.key)
    changed = _apply(instrument, InstrumentContent.from_json(revision.content), actor)
    instrument.refresh_from_db()
    if was_public:
        if changed:
            ChangeLogEntry.objects.create(
                kind=ChangeKind.CORRECTED,
                instrument=instrument,
                note=revision.note,
                occurred_at=now,
                created_by=actor,
            )
        services.touch_dataset(now=now)
    else:
        services.publish_instrument(instrument=instrument, actor=actor)
    Revision.objects.filter(instrument=instrument, state=EditorialState.PUBLISHED).update(
        state=EditorialState.SUPERSEDED
    )


# --- country narratives ---


def open_narrative(country: Country, language: str) -> Revision | None:
    return Revision.objects.filter(
        country=country, language=language, state__in=OPEN_REVISION_STATES
    ).first()


@transaction.atomic
def save_narrative_draft(
    *,
    country: Country,
    language: str,
    text: str,
    actor: User,
    expected_version: int,
    note: str = "",
) -> Revision:
    """Keep a proposed narrative of the country's profile in one language, for review.

    Side effects: audit `observatory.revision_saved`. Raises EditConflict, ObservatoryError.
    """
    _require_editor(actor)
    revision = (
        Revision.objects.select_for_update()
        .filter(country=country, language=language, state__in=OPEN_REVISION_STATES)
        .first()
    )
    if revision is not None and revision.state != EditorialState.DRAFT:
        raise ObservatoryError(_("The work waits for review: ask the reviewer to return it first."))
    if revision is None:
        if expected_version != 0:
            raise ObservatoryError(_("This draft was published or discarded meanwhile."))
        try:
            with transaction.atomic():
                revision = Revision.objects.create(
                    kind=RevisionKind.NARRATIVE,
                    country=country,
                    language=language,
                    content={"text": text},
                    note=note,
                    created_by=actor,
                    updated_by=actor,
                )
        except IntegrityError:
            raise EditConflict(open_narrative(country, language) or country) from None
    else:
        save_versioned(
            revision,
            expected_version=expected_version,
            content={"text": text},
            note=note,
            updated_by=actor,
        )
    _audit(actor, "observatory.revision_saved", revision, country.pk)
    return revision


@transaction.atomic
def submit_revision(*, revision: Revision, actor: User, expected_version: int) -> Revision:
    """Send a saved draft (of a narrative, or of an instrument) for review."""
    if revision.kind == RevisionKind.INSTRUMENT:
        return submit_instrument(
            instrument=revision.instrument,  # type: ignore[arg-type]
            actor=actor,
            expected_version=expected_version,
        )
    _require_editor(actor)
    revision = _lock(revision)
    if revision.state != EditorialState.DRAFT:
        raise ObservatoryError(_("The work is already waiting for review."))
    if revision.version != expected_version:
        raise EditConflict(revision)
    _to_review(revision, actor)
    return revision


def _approve_narrative(revision: Revision, actor: User, now: datetime) -> None:
    narrative, _created = CountryNarrative.objects.update_or_create(
        country_id=revision.country_id,
        language=revision.language,
        defaults={"text": revision.content.get("text", ""), "updated_by": actor},
    )
    _audit(actor, "observatory.narrative_published", narrative, revision.country_id)
    ChangeLogEntry.objects.create(
        kind=ChangeKind.NARRATIVE_UPDATED,
        country_id=revision.country_id,
        note=revision.note,
        occurred_at=now,
        created_by=actor,
    )
    services.touch_dataset(now=now)


# --- evaluations ---


@dataclass(frozen=True)
class EvaluationData:
    evaluator_name: str
    evaluated_on: date
    summary: str
    language: str
    scores: list[services.ScoreData]


def _same_moment(token: str, saved: datetime) -> bool:
    return token == saved.isoformat()


def lock_token(record: Evaluation | Framework) -> str:
    """What an edit form carries to notice that someone saved the record meanwhile: these
    records count versions of their content, so the time of the last save stands in."""
    return record.updated_at.isoformat()


@transaction.atomic
def update_evaluation(
    *, evaluation: Evaluation, data: EvaluationData, actor: User, token: str
) -> Evaluation:
    """Rewrite a draft evaluation and its scores, if nobody saved it since `token`.

    Side effects: audit `observatory.evaluation_updated`. Raises EditConflict,
    ObservatoryError (not a draft; a score without evidence or source, OBS-3).
    """
    _require_editor(actor)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.editorial_state != EditorialState.DRAFT:
        raise ObservatoryError(_("Only a draft evaluation can be changed."))
    if not _same_moment(token, evaluation.updated_at):
        raise EditConflict(evaluation)
    _check_scores(evaluation.framework_id, data.scores)
    if not data.evaluator_name.strip():
        raise ObservatoryError(_("Name who answers for the evaluation."))
    evaluation.evaluator_name = data.evaluator_name
    evaluation.evaluated_on = data.evaluated_on
    evaluation.summary = data.summary
    evaluation.language = data.language
    evaluation.save(
        update_fields=["evaluator_name", "evaluated_on", "summary", "language", "updated_at"]
    )
    evaluation.scores.all().delete()
    CriterionScore.objects.bulk_create(
        CriterionScore(
            evaluation=evaluation,
            criterion=score.criterion,
            score=score.score,
            evidence=score.evidence,
            source_url=score.source_url,
            source_instrument=score.source_instrument,
        )
        for score in data.scores
    )
    _audit(actor, "observatory.evaluation_updated", evaluation)
    return evaluation


def _check_scores(framework_id: Any, scores: Iterable[services.ScoreData]) -> None:
    for score in scores:
        if score.criterion.axis.framework_id != framework_id:
            raise ObservatoryError(_("Every criterion must come from the chosen framework."))
        if not score.evidence.strip():
            raise ObservatoryError(_("Every score cites its evidence."))
        if not (score.source_url or score.source_instrument):
            raise ObservatoryError(_("Every score cites a source."))


@transaction.atomic
def submit_evaluation(*, evaluation: Evaluation, actor: User) -> Revision:
    """Draft -> review, with the review's record.

    Side effects: audit `observatory.evaluation_submitted`, `observatory.revision_submitted`.
    """
    services.submit_evaluation(evaluation=evaluation, actor=actor)
    revision = (
        Revision.objects.select_for_update()
        .filter(evaluation=evaluation, state__in=OPEN_REVISION_STATES)
        .first()
    ) or Revision.objects.create(
        kind=RevisionKind.EVALUATION, evaluation=evaluation, created_by=actor, updated_by=actor
    )
    _to_review(revision, actor)
    return revision


@transaction.atomic
def new_evaluation_version(*, evaluation: Evaluation, actor: User) -> Evaluation:
    """A draft next version of a published evaluation, with its scores copied, to revise.

    Raises ObservatoryError when the evaluation is not the published one of its series or a
    newer version is already being written.
    """
    _require_editor(actor)
    if evaluation.editorial_state != EditorialState.PUBLISHED:
        raise ObservatoryError(_("Start a new version from the published one."))
    if Evaluation.objects.filter(
        series=evaluation.series,
        editorial_state__in=(EditorialState.DRAFT, EditorialState.REVIEW),
    ).exists():
        raise ObservatoryError(_("A newer version of this evaluation is already being written."))
    scores = evaluation.scores.select_related("criterion__axis", "source_instrument")
    return services.create_evaluation(
        framework=evaluation.framework,
        evaluator_name=evaluation.evaluator_name,
        evaluated_on=timezone.localdate(),
        scores=[
            services.ScoreData(
                criterion=s.criterion,
                score=s.score,
                evidence=s.evidence,
                source_url=s.source_url,
                source_instrument=s.source_instrument,
            )
            for s in scores
        ],
        actor=actor,
        instrument=evaluation.instrument,
        country=evaluation.country,
        summary=evaluation.summary,
        language=evaluation.language,
        previous=evaluation,
    )


# --- framework versions ---


def framework_data(framework: Framework) -> dict[str, Any]:
    """A framework version in the structure of `data/framework_amparo.json`."""
    axes = framework.axes.order_by("position").prefetch_related("criteria")
    return {
        "key": framework.key,
        "version": framework.version,
        "title": framework.title,
        "description": framework.description,
        "i18n": framework.i18n,
        "axes": [
            {
                "key": axis.key,
                "name": axis.name,
                "description": axis.description,
                "i18n": axis.i18n,
                "criteria": [
                    {
                        "key": c.key,
                        "name": c.name,
                        "question": c.question,
                        "guidance": c.guidance,
                        "good_practice": c.good_practice,
                        "i18n": c.i18n,
                    }
                    for c in axis.criteria.order_by("position")
                ],
            }
            for axis in axes
        ],
    }


@transaction.atomic
def new_framework_version(*, framework: Framework, actor: User) -> Framework:
    """A draft copy of a framework version, numbered after the latest, to edit.

    Raises ObservatoryError when a draft or reviewed version of the framework exists.
    """
    _require_editor(actor)
    versions = Framework.objects.select_for_update().filter(key=framework.key)
    if versions.filter(editorial_state__in=(EditorialState.DRAFT, EditorialState.REVIEW)).exists():
        raise ObservatoryError(_("A new version of this framework is already being written."))
    latest = max(v.version for v in versions)
    data = framework_data(framework)
    data["version"] = latest + 1
    return services.create_framework(data=data, actor=actor)


@dataclass(frozen=True)
class CriterionText:
    name: str
    question: str
    guidance: str
    good_practice: str


@transaction.atomic
def update_framework_texts(
    *,
    framework: Framework,
    actor: User,
    token: str,
    title: str,
    description: str,
    axes: dict[int, tuple[str, str]],
    criteria: dict[int, CriterionText],
) -> Framework:
    """Rewrite the English texts of a draft framework version: its title, each axis's name
    and description (`axes` by axis id), each criterion's name, question, guidance and good
    practice (`criteria` by criterion id). Translations stay as they were, to be revised.

    Side effects: audit `observatory.framework_updated`. Raises EditConflict,
    ObservatoryError.
    """
    _require_editor(actor)
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.editorial_state != EditorialState.DRAFT:
        raise ObservatoryError(_("Only a draft framework version can be changed."))
    if not _same_moment(token, framework.updated_at):
        raise EditConflict(framework)
    framework.title = title
    framework.description = description
    framework.save(update_fields=["title", "description", "updated_at"])
    own_axes = list(framework.axes.all())
    for axis in own_axes:
        if axis.pk in axes:
            axis.name, axis.description = axes[axis.pk]
    Axis.objects.bulk_update(own_axes, ["name", "description"])
    own_criteria = list(Criterion.objects.filter(axis__framework=framework))
    for criterion in own_criteria:
        text = criteria.get(criterion.pk)
        if text:
            criterion.name = text.name
            criterion.question = text.question
            criterion.guidance = text.guidance
            criterion.good_practice = text.good_practice
    Criterion.objects.bulk_update(own_criteria, ["name", "question", "guidance", "good_practice"])
    _audit(actor, "observatory.framework_updated", framework)
    return framework


def _translated(i18n: dict[str, Any], language: str, texts: dict[str, str]) -> dict[str, Any]:
    """`i18n` with `language`'s texts replaced by `texts`; a blank text is no translation
    (readers get the English), and a language left with none is dropped."""
    kept = {field: text.strip() for field, text in texts.items() if text.strip()}
    result = {lang: dict(values) for lang, values in i18n.items() if lang != language}
    if kept:
        result[language] = kept
    return result


@transaction.atomic
def update_framework_translation(
    *,
    framework: Framework,
    actor: User,
    token: str,
    language: str,
    title: str,
    description: str,
    axes: dict[int, tuple[str, str]],
    criteria: dict[int, CriterionText],
) -> Framework:
    """Rewrite one language's translation of a draft framework version: the same texts as
    `update_framework_texts`, kept in each record's `i18n`; a blank one falls back to the
    English. Refused for English (that is the source text) and unknown languages.

    Side effects: audit `observatory.framework_translated`. Raises EditConflict,
    ObservatoryError.
    """
    _require_editor(actor)
    if language == "en" or language not in dict(settings.LANGUAGES):
        raise ObservatoryError(_("Choose one of the languages Amparo is translated into."))
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.editorial_state != EditorialState.DRAFT:
        raise ObservatoryError(_("Only a draft framework version can be changed."))
    if not _same_moment(token, framework.updated_at):
        raise EditConflict(framework)
    framework.i18n = _translated(
        framework.i18n, language, {"title": title, "description": description}
    )
    framework.save(update_fields=["i18n", "updated_at"])
    own_axes = list(framework.axes.all())
    for axis in own_axes:
        if axis.pk in axes:
            name, axis_description = axes[axis.pk]
            axis.i18n = _translated(
                axis.i18n, language, {"name": name, "description": axis_description}
            )
    Axis.objects.bulk_update(own_axes, ["i18n"])
    own_criteria = list(Criterion.objects.filter(axis__framework=framework))
    for criterion in own_criteria:
        text = criteria.get(criterion.pk)
        if text:
            criterion.i18n = _translated(criterion.i18n, language, asdict(text))
    Criterion.objects.bulk_update(own_criteria, ["i18n"])
    _audit(actor, "observatory.framework_translated", framework)
    return framework


@transaction.atomic
def submit_framework(*, framework: Framework, actor: User) -> Revision:
    """A draft framework version goes to review by a second editor."""
    _require_editor(actor)
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.editorial_state != EditorialState.DRAFT:
        raise ObservatoryError(_("The framework is not in a state that allows this."))
    framework.editorial_state = EditorialState.REVIEW
    framework.save(update_fields=["editorial_state", "updated_at"])
    revision = (
        Revision.objects.select_for_update()
        .filter(framework=framework, state__in=OPEN_REVISION_STATES)
        .first()
    ) or Revision.objects.create(
        kind=RevisionKind.FRAMEWORK, framework=framework, created_by=actor, updated_by=actor
    )
    _to_review(revision, actor)
    return revision
