"""Every write to the observatory. Each service runs in one transaction with its audit event,
keeps `search_text` current, writes the public change log when readers see a change, and
bumps the data set's version so that cached pages are revalidated.

`actor=None` is the system (the bundled data loader); every other write names an observatory
editor, and the editorial services check `rules` before acting.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.audit.services import record_event
from amparo.core.locking import save_versioned
from amparo.observatory import geography, rules
from amparo.observatory.enums import (
    AREA_LABELS,
    ChangeKind,
    DatePrecision,
    EditorialState,
    InstrumentStatus,
    JurisdictionLevel,
)
from amparo.observatory.models import (
    UNDATED,
    Axis,
    ChangeLogEntry,
    Country,
    Criterion,
    CriterionScore,
    DatasetState,
    Document,
    Evaluation,
    Framework,
    InstrumentRelation,
    InstrumentTranslation,
    PolicyInstrument,
    Source,
    StatusChange,
    SubnationalUnit,
)
from amparo.observatory.search import build_text

if TYPE_CHECKING:
    from amparo.accounts.models import User


class ObservatoryError(Exception):
    """The write would break a rule of the observatory; `message` says which, for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _now() -> datetime:
    return timezone.now()


def _audit(actor: User | None, action: str, target: Any, *ids: Any) -> None:
    # The observatory is one public data set, not an organisation's records: platform chain.
    record_event(actor=actor, action=action, organisation=None, target=target, object_ids=ids)


def touch_dataset(*, now: datetime | None = None) -> None:
    """Something public changed: every ETag and Last-Modified moves on."""
    now = now or _now()
    if not DatasetState.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now):
        DatasetState.objects.create(pk=1, version=1, changed_at=now)


def _log(kind: str, *, actor: User | None, now: datetime, note: str = "", **about: Any) -> None:
    ChangeLogEntry.objects.create(kind=kind, occurred_at=now, created_by=actor, note=note, **about)


# --- countries ---


@transaction.atomic
def sync_countries() -> int:
    """Create the countries of the bundled ISO list that are missing and correct the English
    name and region of the others. Returns how many were created."""
    known = {country.code: country for country in Country.objects.all()}
    missing, changed = [], []
    for code, facts in geography.countries().items():
        values = {
            "name_en": facts.names["en"],
            "region": facts.region,
            "subregion": facts.subregion,
        }
        current = known.get(code)
        if current is None:
            missing.append(Country(code=code, **values))
        elif any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            changed.append(current)
    Country.objects.bulk_create(missing)
    Country.objects.bulk_update(changed, ["name_en", "region", "subregion"])
    if missing or changed:
        record_event(
            actor=None,
            action="observatory.countries_synced",
            organisation=None,
            object_type="observatory.Country",
            object_ids=[country.code for country in missing + changed],
        )
        touch_dataset()
    return len(missing)


# --- instruments ---


@dataclass(frozen=True)
class TranslationData:
    language: str
    title: str
    summary: str = ""
    is_official: bool = False


@dataclass(frozen=True)
class SourceData:
    url: str
    confidence: str
    title: str = ""
    note: str = ""
    accessed_on: date | None = None


@dataclass(frozen=True)
class InstrumentData:
    """What an instrument is, as an editor or the loader states it."""

    key: str
    jurisdiction_level: str
    instrument_type: str
    status: str
    counts_as_national_policy: bool
    country: Country | None = None
    subdivision: str = ""
    scope_area: str = ""
    adopted_on: date | None = None
    adopted_on_precision: str = DatePrecision.UNKNOWN
    authority: str = ""
    title_original: str = ""
    original_language: str = ""
    translations: list[TranslationData] = field(default_factory=list)
    sources: list[SourceData] = field(default_factory=list)
    status_note: str = ""


def _check(data: InstrumentData) -> None:
    domestic = data.jurisdiction_level in (
        JurisdictionLevel.NATIONAL,
        JurisdictionLevel.SUBNATIONAL,
    )
    if domestic and data.country is None:
        raise ObservatoryError(_("A national or sub-national instrument needs its country."))
    if not domestic and data.country is not None:
        raise ObservatoryError(_("International and regional instruments have no country."))
    if (data.jurisdiction_level == JurisdictionLevel.SUBNATIONAL) != bool(data.subdivision):
        raise ObservatoryError(_("Name the sub-national unit of a sub-national instrument only."))
    if data.scope_area and (
        data.jurisdiction_level != JurisdictionLevel.REGIONAL or data.scope_area not in AREA_LABELS
    ):
        raise ObservatoryError(_("Only a regional instrument names the region it concerns."))
    if (data.adopted_on is None) != (data.adopted_on_precision == DatePrecision.UNKNOWN):
        raise ObservatoryError(_("Give the date together with its precision."))
    if not (data.title_original or any(t.title for t in data.translations)):
        raise ObservatoryError(_("An instrument needs a title in at least one language."))


def _unit(country: Country | None, name: str) -> SubnationalUnit | None:
    if country is None or not name:
        return None
    unit, _created = SubnationalUnit.objects.get_or_create(country=country, name=name)
    return unit


def refresh_search_text(instrument: PolicyInstrument) -> None:
    """Rebuild what the search reads (search.py): titles, summaries, authority, place and the
    country's name in every language, so a reader finds it in theirs."""
    parts = [instrument.key, instrument.title_original, instrument.authority]
    for translation in instrument.translations.all():
        parts += [translation.title, translation.summary]
    if instrument.subnational_unit_id:
        parts.append(SubnationalUnit.objects.get(pk=instrument.subnational_unit_id).name)
    if instrument.country_id:
        facts = geography.countries().get(instrument.country_id)
        parts += [instrument.country_id, *(facts.names.values() if facts else ())]
    text = build_text(parts)
    if text != instrument.search_text:
        instrument.search_text = text
        PolicyInstrument.objects.filter(pk=instrument.pk).update(search_text=text)


@transaction.atomic
def create_instrument(*, data: InstrumentData, actor: User | None) -> PolicyInstrument:
    """A new instrument, in draft, with its translations, sources and first status.

    Side effects: audit `observatory.instrument_created`. Raises ObservatoryError when the
    facts contradict each other or the key is taken.
    """
    _check(data)
    if PolicyInstrument.objects.filter(key=data.key).exists():
        raise ObservatoryError(_("Another instrument already has this key."))
    instrument = PolicyInstrument.objects.create(
        key=data.key,
        country=data.country,
        jurisdiction_level=data.jurisdiction_level,
        subnational_unit=_unit(data.country, data.subdivision),
        scope_area=data.scope_area,
        instrument_type=data.instrument_type,
        status=data.status,
        adopted_on=data.adopted_on,
        adopted_on_precision=data.adopted_on_precision,
        listed_on=data.adopted_on or UNDATED,
        authority=data.authority,
        title_original=data.title_original,
        original_language=data.original_language,
        counts_as_national_policy=data.counts_as_national_policy,
        created_by=actor,
        updated_by=actor,
    )
    InstrumentTranslation.objects.bulk_create(
        InstrumentTranslation(
            instrument=instrument,
            language=t.language,
            title=t.title,
            summary=t.summary,
            is_official=t.is_official,
        )
        for t in data.translations
    )
    Source.objects.bulk_create(
        Source(
            instrument=instrument,
            url=s.url,
            title=s.title,
            confidence=s.confidence,
            note=s.note,
            accessed_on=s.accessed_on,
        )
        for s in data.sources
    )
    StatusChange.objects.create(
        instrument=instrument, status=data.status, note=data.status_note, recorded_by=actor
    )
    refresh_search_text(instrument)
    _audit(actor, "observatory.instrument_created", instrument)
    return instrument


#: What `update_instrument` may change; status goes through `change_status` (it has history).
EDITABLE_FIELDS = frozenset(
    {
        "instrument_type",
        "adopted_on",
        "adopted_on_precision",
        "authority",
        "title_original",
        "original_language",
        "counts_as_national_policy",
        "scope_area",
        "is_verified",
    }
)


@transaction.atomic
def update_instrument(
    *,
    instrument: PolicyInstrument,
    actor: User,
    expected_version: int,
    note: str = "",
    **changes: Any,
) -> PolicyInstrument:
    """Correct an instrument's facts, if nobody saved it since `expected_version`.

    Side effects: audit `observatory.instrument_updated`; a public `corrected` line when the
    instrument is published. Raises EditConflict, or ObservatoryError for a forbidden field.
    """
    if not rules.can_edit_observatory(actor):
        raise ObservatoryError(_("Only observatory editors change the observatory."))
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ObservatoryError(_("These facts cannot be changed here."))
    adopted_on = changes.get("adopted_on", instrument.adopted_on)
    precision = changes.get("adopted_on_precision", instrument.adopted_on_precision)
    if (adopted_on is None) != (precision == DatePrecision.UNKNOWN):
        raise ObservatoryError(_("Give the date together with its precision."))
    save_versioned(
        instrument,
        expected_version=expected_version,
        listed_on=adopted_on or UNDATED,
        updated_by=actor,
        **changes,
    )
    refresh_search_text(instrument)
    _audit(actor, "observatory.instrument_updated", instrument)
    if instrument.is_public:
        now = _now()
        _log(ChangeKind.CORRECTED, actor=actor, now=now, note=note, instrument=instrument)
        touch_dataset(now=now)
    return instrument


@transaction.atomic
def change_status(
    *,
    instrument: PolicyInstrument,
    actor: User,
    status: str,
    effective_on: date | None = None,
    effective_on_precision: str = DatePrecision.UNKNOWN,
    note: str = "",
) -> StatusChange:
    """Record that the instrument became `status` (a bill adopted, a decree repealed).

    Side effects: a StatusChange row; audit `observatory.instrument_status_changed`; a public
    `status_changed` line when published.
    """
    if not rules.can_edit_observatory(actor):
        raise ObservatoryError(_("Only observatory editors change the observatory."))
    if status not in InstrumentStatus.values or status == instrument.status:
        raise ObservatoryError(_("Choose a status other than the current one."))
    if (effective_on is None) != (effective_on_precision == DatePrecision.UNKNOWN):
        raise ObservatoryError(_("Give the date together with its precision."))
    instrument = PolicyInstrument.objects.select_for_update().get(pk=instrument.pk)
    change = StatusChange.objects.create(
        instrument=instrument,
        status=status,
        effective_on=effective_on,
        effective_on_precision=effective_on_precision,
        note=note,
        recorded_by=actor,
    )
    PolicyInstrument.objects.filter(pk=instrument.pk).update(
        status=status, updated_by=actor, updated_at=_now(), version=F("version") + 1
    )
    _audit(actor, "observatory.instrument_status_changed", instrument, change.pk)
    if instrument.is_public:
        now = _now()
        _log(ChangeKind.STATUS_CHANGED, actor=actor, now=now, note=note, instrument=instrument)
        touch_dataset(now=now)
    return change


@transaction.atomic
def save_translation(
    *, instrument: PolicyInstrument, actor: User | None, data: TranslationData
) -> InstrumentTranslation:
    """Add or replace the title and summary in one language."""
    if actor is not None and not rules.can_edit_observatory(actor):
        raise ObservatoryError(_("Only observatory editors change the observatory."))
    if not data.title.strip():
        raise ObservatoryError(_("A translation needs a title."))
    translation, _created = InstrumentTranslation.objects.update_or_create(
        instrument=instrument,
        language=data.language,
        defaults={"title": data.title, "summary": data.summary, "is_official": data.is_official},
    )
    refresh_search_text(instrument)
    _audit(actor, "observatory.translation_saved", instrument, translation.pk)
    if instrument.is_public:
        touch_dataset()
    return translation


@transaction.atomic
def add_source(*, instrument: PolicyInstrument, actor: User | None, data: SourceData) -> Source:
    if actor is not None and not rules.can_edit_observatory(actor):
        raise ObservatoryError(_("Only observatory editors change the observatory."))
    if instrument.sources.filter(url=data.url).exists():
        raise ObservatoryError(_("This source is already listed."))
    source = Source.objects.create(
        instrument=instrument,
        url=data.url,
        title=data.title,
        confidence=data.confidence,
        note=data.note,
        accessed_on=data.accessed_on,
    )
    _audit(actor, "observatory.source_added", instrument, source.pk)
    if instrument.is_public:
        touch_dataset()
    return source


@transaction.atomic
def add_document(
    *,
    instrument: PolicyInstrument,
    actor: User | None,
    kind: str,
    url: str,
    title: str = "",
    language: str = "",
) -> Document:
    if actor is not None and not rules.can_edit_observatory(actor):
        raise ObservatoryError(_("Only observatory editors change the observatory."))
    if instrument.documents.filter(url=url).exists():
        raise ObservatoryError(_("This document is already listed."))
    document = Document.objects.create(
        instrument=instrument, kind=kind, url=url, title=title, language=language
    )
    _audit(actor, "observatory.document_added", instrument, document.pk)
    if instrument.is_public:
        touch_dataset()
    return document


@transaction.atomic
def relate_instruments(
    *,
    instrument: PolicyInstrument,
    kind: str,
    related: PolicyInstrument,
    actor: User | None,
    note: str = "",
) -> InstrumentRelation:
    """`instrument` amends, implements or replaces `related`."""
    if actor is not None and not rules.can_edit_observatory(actor):
        raise ObservatoryError(_("Only observatory editors change the observatory."))
    if instrument.pk == related.pk:
        raise ObservatoryError(_("An instrument cannot be related to itself."))
    relation, created = InstrumentRelation.objects.get_or_create(
        instrument=instrument, kind=kind, related=related, defaults={"note": note}
    )
    if created:
        _audit(actor, "observatory.relation_added", instrument, relation.pk, related.pk)
        if instrument.is_public or related.is_public:
            touch_dataset()
    return relation


# --- the editorial workflow of instruments ---


def _move(instrument: PolicyInstrument, target: str) -> PolicyInstrument:
    locked = PolicyInstrument.objects.select_for_update().get(pk=instrument.pk)
    if not rules.can_move(locked.editorial_state, target):
        raise ObservatoryError(_("The instrument is not in a state that allows this."))
    return locked


@transaction.atomic
def submit_instrument(*, instrument: PolicyInstrument, actor: User) -> PolicyInstrument:
    """Draft -> review: a second editor will check it before it is published."""
    if not rules.can_edit_observatory(actor):
        raise ObservatoryError(_("Only observatory editors change the observatory."))
    instrument = _move(instrument, EditorialState.REVIEW)
    instrument.editorial_state = EditorialState.REVIEW
    instrument.submitted_by = actor
    instrument.save(update_fields=["editorial_state", "submitted_by", "updated_at"])
    _audit(actor, "observatory.instrument_submitted", instrument)
    return instrument


@transaction.atomic
def return_instrument(*, instrument: PolicyInstrument, actor: User) -> PolicyInstrument:
    """Review -> draft: the reviewer sends it back for more work."""
    if not rules.can_edit_observatory(actor):
        raise ObservatoryError(_("Only observatory editors change the observatory."))
    instrument = _move(instrument, EditorialState.DRAFT)
    instrument.editorial_state = EditorialState.DRAFT
    instrument.save(update_fields=["editorial_state", "updated_at"])
    _audit(actor, "observatory.instrument_returned", instrument)
    return instrument


@transaction.atomic
def publish_instrument(*, instrument: PolicyInstrument, actor: User | None) -> PolicyInstrument:
    """Review -> published, by an editor other than the one who submitted it; the system
    (the bundled data loader) publishes drafts directly.

    Side effects: audit `observatory.instrument_published`; a public `added` line the first
    time, `corrected` after a withdrawal; the data set's version moves on.
    """
    if actor is None:
        instrument = PolicyInstrument.objects.select_for_update().get(pk=instrument.pk)
        if instrument.editorial_state not in (EditorialState.DRAFT, EditorialState.REVIEW):
            raise ObservatoryError(_("The instrument is not in a state that allows this."))
    else:
        instrument = _move(instrument, EditorialState.PUBLISHED)
        if not rules.can_publish_instrument(actor, instrument):
            raise ObservatoryError(
                _("Another observatory editor must review and publish what you submitted.")
            )
    now = _now()
    first_time = instrument.first_published_at is None
    instrument.editorial_state = EditorialState.PUBLISHED
    instrument.published_at = now
    instrument.first_published_at = instrument.first_published_at or now
    instrument.save(
        update_fields=["editorial_state", "published_at", "first_published_at", "updated_at"]
    )
    _audit(actor, "observatory.instrument_published", instrument)
    _log(
        ChangeKind.ADDED if first_time else ChangeKind.CORRECTED,
        actor=actor,
        now=now,
        instrument=instrument,
    )
    touch_dataset(now=now)
    return instrument


@transaction.atomic
def withdraw_instrument(
    *, instrument: PolicyInstrument, actor: User, note: str = ""
) -> PolicyInstrument:
    """Published -> draft, for correction: it leaves the public pages until republished."""
    if not rules.can_edit_observatory(actor):
        raise ObservatoryError(_("Only observatory editors change the observatory."))
    instrument = _move(instrument, EditorialState.DRAFT)
    instrument.editorial_state = EditorialState.DRAFT
    instrument.save(update_fields=["editorial_state", "updated_at"])
    now = _now()
    _audit(actor, "observatory.instrument_withdrawn", instrument)
    _log(ChangeKind.WITHDRAWN, actor=actor, now=now, note=note, instrument=instrument)
    touch_dataset(now=now)
    return instrument


# --- frameworks ---


@transaction.atomic
def create_framework(*, data: dict[str, Any], actor: User | None) -> Framework:
    """A framework version with its axes and criteria, from the structure of
    `data/framework_amparo.json`. Raises ObservatoryError when that version exists."""
    if actor is not None and not rules.can_edit_observatory(actor):
        raise ObservatoryError(_("Only observatory editors change the observatory."))
    if Framework.objects.filter(key=data["key"], version=data["version"]).exists():
        raise ObservatoryError(_("This version of the framework exists already."))
    framework = Framework.objects.create(
        key=data["key"],
        version=data["version"],
        title=data["title"],
        description=data.get("description", ""),
        i18n=data.get("i18n", {}),
    )
    for axis_position, axis_data in enumerate(data["axes"], start=1):
        axis = Axis.objects.create(
            framework=framework,
            key=axis_data["key"],
            position=axis_position,
            name=axis_data["name"],
            description=axis_data.get("description", ""),
            i18n=axis_data.get("i18n", {}),
        )
        Criterion.objects.bulk_create(
            Criterion(
                axis=axis,
                key=criterion["key"],
                position=position,
                name=criterion["name"],
                question=criterion["question"],
                guidance=criterion.get("guidance", ""),
                good_practice=criterion.get("good_practice", ""),
                i18n=criterion.get("i18n", {}),
            )
            for position, criterion in enumerate(axis_data["criteria"], start=1)
        )
    _audit(actor, "observatory.framework_created", framework)
    return framework


@transaction.atomic
def publish_framework(*, framework: Framework, actor: User | None) -> Framework:
    """Publish a framework version; the previous published version of the same key is
    superseded (its evaluations keep pointing at it)."""
    if actor is not None and not rules.can_edit_observatory(actor):
        raise ObservatoryError(_("Only observatory editors change the observatory."))
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.editorial_state not in (EditorialState.DRAFT, EditorialState.REVIEW):
        raise ObservatoryError(_("The framework is not in a state that allows this."))
    now = _now()
    Framework.objects.filter(key=framework.key, editorial_state=EditorialState.PUBLISHED).update(
        editorial_state=EditorialState.SUPERSEDED, updated_at=now
    )
    framework.editorial_state = EditorialState.PUBLISHED
    framework.published_at = now
    framework.save(update_fields=["editorial_state", "published_at", "updated_at"])
    _audit(actor, "observatory.framework_published", framework)
    _log(ChangeKind.FRAMEWORK_PUBLISHED, actor=actor, now=now, framework=framework)
    touch_dataset(now=now)
    return framework


# --- evaluations ---


@dataclass(frozen=True)
class ScoreData:
    criterion: Criterion
    score: str
    evidence: str
    source_url: str = ""
    source_instrument: PolicyInstrument | None = None


@transaction.atomic
def create_evaluation(
    *,
    framework: Framework,
    evaluator_name: str,
    evaluated_on: date,
    scores: Iterable[ScoreData],
    actor: User | None,
    instrument: PolicyInstrument | None = None,
    country: Country | None = None,
    summary: str = "",
    language: str = "en",
    is_demo: bool = False,
    previous: Evaluation | None = None,
) -> Evaluation:
    """A draft evaluation of one instrument or one country's policy; `previous` makes it the
    next version of that evaluation.

    Raises ObservatoryError when the subject is not exactly one, a criterion belongs to
    another framework, or a score has no evidence or no source (OBS-3).
    """
    if actor is not None and not rules.can_edit_observatory(actor):
        raise ObservatoryError(_("Only observatory editors change the observatory."))
    if (instrument is None) == (country is None):
        raise ObservatoryError(_("Evaluate either one instrument or one country's policy."))
    if not evaluator_name.strip():
        raise ObservatoryError(_("Name who answers for the evaluation."))
    scores = list(scores)
    for score in scores:
        if score.criterion.axis.framework_id != framework.pk:
            raise ObservatoryError(_("Every criterion must come from the chosen framework."))
        if not score.evidence.strip():
            raise ObservatoryError(_("Every score cites its evidence."))
        if not (score.source_url or score.source_instrument):
            raise ObservatoryError(_("Every score cites a source."))
    evaluation = Evaluation.objects.create(
        framework=framework,
        instrument=instrument,
        country=country,
        evaluator_name=evaluator_name,
        evaluated_on=evaluated_on,
        summary=summary,
        language=language,
        is_demo=is_demo,
        coded_by=actor,
        series=previous.series if previous else uuid.uuid4(),
        version=previous.version + 1 if previous else 1,
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(
            evaluation=evaluation,
            criterion=score.criterion,
            score=score.score,
            evidence=score.evidence,
            source_url=score.source_url,
            source_instrument=score.source_instrument,
        )
        for score in scores
    )
    _audit(actor, "observatory.evaluation_created", evaluation)
    return evaluation


@transaction.atomic
def submit_evaluation(*, evaluation: Evaluation, actor: User) -> Evaluation:
    if not rules.can_edit_observatory(actor):
        raise ObservatoryError(_("Only observatory editors change the observatory."))
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not rules.can_move(evaluation.editorial_state, EditorialState.REVIEW):
        raise ObservatoryError(_("The evaluation is not in a state that allows this."))
    evaluation.editorial_state = EditorialState.REVIEW
    evaluation.save(update_fields=["editorial_state", "updated_at"])
    _audit(actor, "observatory.evaluation_submitted", evaluation)
    return evaluation


@transaction.atomic
def publish_evaluation(*, evaluation: Evaluation, actor: User | None) -> Evaluation:
    """Publish an evaluation in review (a reviewer other than its coder), or a draft when the
    system does it. The series' previously published version becomes superseded.

    Side effects: audit `observatory.evaluation_published`; a public change-log line.
    """
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if actor is None:
        allowed = evaluation.editorial_state in (EditorialState.DRAFT, EditorialState.REVIEW)
    else:
        if not rules.can_edit_observatory(actor):
            raise ObservatoryError(_("Only observatory editors change the observatory."))
        allowed = evaluation.editorial_state == EditorialState.REVIEW
        if evaluation.coded_by_id == actor.pk:
            raise ObservatoryError(
                _("Another observatory editor must review and publish what you coded.")
            )
    if not allowed:
        raise ObservatoryError(_("The evaluation is not in a state that allows this."))
    now = _now()
    Evaluation.objects.filter(
        series=evaluation.series, editorial_state=EditorialState.PUBLISHED
    ).update(editorial_state=EditorialState.SUPERSEDED, updated_at=now)
    evaluation.editorial_state = EditorialState.PUBLISHED
    evaluation.published_at = now
    evaluation.reviewed_by = actor
    evaluation.save(update_fields=["editorial_state", "published_at", "reviewed_by", "updated_at"])
    _audit(actor, "observatory.evaluation_published", evaluation)
    _log(
        ChangeKind.EVALUATION_PUBLISHED,
        actor=actor,
        now=now,
        evaluation=evaluation,
        instrument=evaluation.instrument,
        country=evaluation.country,
    )
    touch_dataset(now=now)
    return evaluation
