"""An instrument's content as one value: what an editor proposes, what a revision keeps, what
an import row says, and what a review compares field by field.

Dates are written as the seed data set writes them (`YYYY-MM-DD`, `YYYY-MM`, `YYYY` or empty),
so the precision travels with the date. Countries are ISO codes and related instruments are
keys: a revision stays readable after the rows it names have moved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Prefetch
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from amparo.core.prepared import PreparedRows
from amparo.observatory.enums import (
    AREA_CHOICES,
    AREA_LABELS,
    Confidence,
    DatePrecision,
    DocumentKind,
    InstrumentStatus,
    InstrumentType,
    JurisdictionLevel,
    RelationKind,
)
from amparo.observatory.models import (
    Document,
    InstrumentRelation,
    InstrumentTranslation,
    PolicyInstrument,
    Source,
    iso_dated,
)

#: Longest a key may be (PolicyInstrument.key).
KEY_LENGTH = 80


@dataclass(frozen=True)
class TranslationContent:
    language: str
    title: str
    summary: str = ""
    is_official: bool = False


@dataclass(frozen=True)
class SourceContent:
    url: str
    confidence: str
    title: str = ""
    note: str = ""


@dataclass(frozen=True)
class DocumentContent:
    kind: str
    url: str
    title: str = ""
    language: str = ""


@dataclass(frozen=True)
class RelationContent:
    """This instrument `kind` (amends, implements, replaces) the one keyed `related`."""

    kind: str
    related: str
    note: str = ""


@dataclass(frozen=True)
class InstrumentContent:
    jurisdiction_level: str
    instrument_type: str
    status: str
    country: str = ""
    subdivision: str = ""
    scope_area: str = ""
    adopted_on: str = ""
    authority: str = ""
    title_original: str = ""
    original_language: str = ""
    counts_as_national_policy: bool = False
    is_verified: bool = False
    #: When a changed status took effect, and why: recorded in the status history on approval.
    status_since: str = ""
    status_note: str = ""
    translations: tuple[TranslationContent, ...] = ()
    sources: tuple[SourceContent, ...] = ()
    documents: tuple[DocumentContent, ...] = ()
    relations: tuple[RelationContent, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InstrumentContent:
        known = {f.name for f in fields(cls)}
        plain = {k: v for k, v in data.items() if k in known}
        plain["translations"] = tuple(TranslationContent(**t) for t in data.get("translations", ()))
        plain["sources"] = tuple(SourceContent(**s) for s in data.get("sources", ()))
        plain["documents"] = tuple(DocumentContent(**d) for d in data.get("documents", ()))
        plain["relations"] = tuple(RelationContent(**r) for r in data.get("relations", ()))
        return cls(**plain)

    def translation(self, language: str) -> TranslationContent | None:
        return next((t for t in self.translations if t.language == language), None)

    @property
    def title(self) -> str:
        """A title for editors' lists: English, else any translation, else the original."""
        english = self.translation("en")
        if english:
            return english.title
        if self.translations:
            return self.translations[0].title
        return self.title_original

    def comparable(self) -> InstrumentContent:
        """The same content in a fixed order, without the pending status note: two contents
        that say the same compare equal (an import that changes nothing writes nothing)."""
        return replace(
            self,
            status_since="",
            status_note="",
            translations=tuple(sorted(self.translations, key=lambda t: t.language)),
            sources=tuple(sorted(self.sources, key=lambda s: s.url)),
            documents=tuple(sorted(self.documents, key=lambda d: d.url)),
            relations=tuple(sorted(self.relations, key=lambda r: (r.kind, r.related))),
        )


def parse_dated(value: str) -> tuple[date | None, str]:
    """`YYYY-MM-DD`, `YYYY-MM`, `YYYY` or empty into a date and its precision; ValueError
    for anything else."""
    value = value.strip()
    if not value:
        return None, DatePrecision.UNKNOWN
    parts = value.split("-")
    if len(parts) > 3 or len(parts[0]) != 4 or not all(p.isdigit() for p in parts):  # noqa: PLR2004
        raise ValueError(value)
    year, month, day = (int(p) for p in [*parts, "1", "1"][:3])
    precision = (DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY)[len(parts) - 1]
    try:
        return date(year, month, day), precision
    except ValueError:
        raise ValueError(value) from None


# --- reading an instrument as content ---


def _prefetched(instruments: Any) -> Any:
    return instruments.select_related("subnational_unit").prefetch_related(
        Prefetch("translations", queryset=InstrumentTranslation.objects.order_by("language")),
        Prefetch("sources", queryset=Source.objects.order_by("created_at", "id")),
        Prefetch("documents", queryset=Document.objects.order_by("created_at", "id")),
        Prefetch(
            "relations_out",
            queryset=InstrumentRelation.objects.select_related("related").order_by("kind", "id"),
        ),
    )


def _content(instrument: PolicyInstrument) -> InstrumentContent:
    unit = instrument.subnational_unit
    return InstrumentContent(
        jurisdiction_level=instrument.jurisdiction_level,
        instrument_type=instrument.instrument_type,
        status=instrument.status,
        country=instrument.country_id or "",
        subdivision=unit.name if unit else "",
        scope_area=instrument.scope_area,
        adopted_on=iso_dated(instrument.adopted_on, instrument.adopted_on_precision),
        authority=instrument.authority,
        title_original=instrument.title_original,
        original_language=instrument.original_language,
        counts_as_national_policy=instrument.counts_as_national_policy,
        is_verified=instrument.is_verified,
        translations=tuple(
            TranslationContent(t.language, t.title, t.summary, t.is_official)
            for t in instrument.translations.all()
        ),
        sources=tuple(
            SourceContent(s.url, s.confidence, s.title, s.note) for s in instrument.sources.all()
        ),
        documents=tuple(
            DocumentContent(d.kind, d.url, d.title, d.language) for d in instrument.documents.all()
        ),
        relations=tuple(
            RelationContent(r.kind, r.related.key, r.note) for r in instrument.relations_out.all()
        ),
    )


def _rows_of(model: type[models.Model], *columns: str, order: tuple[str, ...]) -> PreparedRows:
    """The columns of an instrument's rows in `model`, in `order`, as one prepared query."""
    return PreparedRows(
        model,
        lambda pk: (
            model._default_manager.filter(instrument_id=pk).order_by(*order).values_list(*columns)
        ),
        fields=(cast("models.Field[Any, Any]", model._meta.get_field("instrument")),),
        samples=((1,), (2,)),
    )


#: What `content_of` reads, one instrument at a time: the editor's page reads it on every
#: visit, so these are compiled once per connection (ADR 0050), and read as the columns the
#: content holds. `test_content.py` holds them to `contents_of`, which reads whole rows.
_FACTS = PreparedRows(
    PolicyInstrument,
    lambda pk: PolicyInstrument.objects.filter(pk=pk).values_list(
        "jurisdiction_level",
        "instrument_type",
        "status",
        "country_id",
        "subnational_unit__name",
        "scope_area",
        "adopted_on",
        "adopted_on_precision",
        "authority",
        "title_original",
        "original_language",
        "counts_as_national_policy",
        "is_verified",
    ),
    fields=(PolicyInstrument._meta.pk,),
    samples=((1,), (2,)),
)
_TRANSLATIONS = _rows_of(
    InstrumentTranslation, "language", "title", "summary", "is_official", order=("language",)
)
_SOURCES = _rows_of(Source, "url", "confidence", "title", "note", order=("created_at", "id"))
_DOCUMENTS = _rows_of(Document, "kind", "url", "title", "language", order=("created_at", "id"))
_RELATIONS = _rows_of(InstrumentRelation, "kind", "related__key", "note", order=("kind", "id"))


def content_of(instrument: PolicyInstrument) -> InstrumentContent:
    """What the instrument's row says now (five queries): `contents_of([instrument.key])`
    of one instrument, whose rows are read afresh."""
    found = _FACTS(instrument.pk)
    if not found:
        raise PolicyInstrument.DoesNotExist("PolicyInstrument matching query does not exist.")
    (
        jurisdiction_level,
        instrument_type,
        status,
        country,
        unit,
        scope_area,
        adopted_on,
        adopted_on_precision,
        authority,
        title_original,
        original_language,
        counts_as_national_policy,
        is_verified,
    ) = found[0]
    pk = instrument.pk
    return InstrumentContent(
        jurisdiction_level=jurisdiction_level,
        instrument_type=instrument_type,
        status=status,
        country=country or "",
        subdivision=unit or "",
        scope_area=scope_area,
        adopted_on=iso_dated(adopted_on, adopted_on_precision),
        authority=authority,
        title_original=title_original,
        original_language=original_language,
        counts_as_national_policy=counts_as_national_policy,
        is_verified=is_verified,
        translations=tuple(TranslationContent(*row) for row in _TRANSLATIONS(pk)),
        sources=tuple(SourceContent(*row) for row in _SOURCES(pk)),
        documents=tuple(DocumentContent(*row) for row in _DOCUMENTS(pk)),
        relations=tuple(RelationContent(*row) for row in _RELATIONS(pk)),
    )


def contents_of(keys: Iterable[str]) -> dict[str, InstrumentContent]:
    """The contents of many instruments by key, in six queries."""
    found = _prefetched(PolicyInstrument.objects.filter(key__in=list(keys)))
    return {instrument.key: _content(instrument) for instrument in found}


# --- checking ---


@dataclass(frozen=True)
class Problem:
    """Something wrong with a content: the field it concerns, the value, and what is allowed."""

    field: str
    message: str
    value: str = ""
    allowed: str = ""


_url = URLValidator(schemes=["http", "https"])


def _allowed(values: Sequence[str]) -> str:
    return ", ".join(values)


def problems(
    content: InstrumentContent,
    *,
    known_countries: set[str],
    known_keys: set[str] | None = None,
    own_key: str = "",
) -> list[Problem]:
    """Everything wrong with `content`, each once. Vocabularies are never extended: a value
    outside them is a problem, named with the values that are allowed. `known_keys` checks
    related instruments when given."""
    found: list[Problem] = []

    def choice(name: str, value: str, allowed: Sequence[str], *, blank: bool = False) -> bool:
        if (blank and not value) or value in allowed:
            return True
        found.append(
            Problem(name, _("This value is not in the vocabulary."), value, _allowed(allowed))
        )
        return False

    level_ok = choice("jurisdiction_level", content.jurisdiction_level, JurisdictionLevel.values)
    choice("instrument_type", content.instrument_type, InstrumentType.values)
    choice("status", content.status, InstrumentStatus.values)
    choice("scope_area", content.scope_area, [code for code, _label in AREA_CHOICES], blank=True)
    if content.country and content.country not in known_countries:
        found.append(
            Problem("country", _("No country has this ISO 3166-1 alpha-2 code."), content.country)
        )
    if level_ok:
        found += _placement_problems(content)
    for name in ("adopted_on", "status_since"):
        value = getattr(content, name)
        try:
            parse_dated(value)
        except ValueError:
            found.append(Problem(name, _("Write the date as YYYY-MM-DD, YYYY-MM or YYYY."), value))
    if not (content.title_original.strip() or any(t.title.strip() for t in content.translations)):
        found.append(
            Problem("title_original", _("An instrument needs a title in at least one language."))
        )
    for translation in content.translations:
        if not translation.title.strip():
            found.append(
                Problem(
                    f"title_{translation.language}",
                    _("A translation needs a title."),
                    translation.summary[:40],
                )
            )
    found += _link_problems(content)
    for relation in content.relations:
        choice("relation", relation.kind, RelationKind.values)
        if relation.related == own_key:
            found.append(
                Problem("related", _("An instrument cannot be related to itself."), own_key)
            )
        elif known_keys is not None and relation.related not in known_keys:
            found.append(Problem("related", _("No instrument has this key."), relation.related))
    return found


def _placement_problems(content: InstrumentContent) -> list[Problem]:
    found = []
    level = content.jurisdiction_level
    domestic = level in (JurisdictionLevel.NATIONAL, JurisdictionLevel.SUBNATIONAL)
    if domestic and not content.country:
        found.append(
            Problem("country", _("A national or sub-national instrument needs its country."))
        )
    if not domestic and content.country:
        found.append(
            Problem(
                "country",
                _("International and regional instruments have no country."),
                content.country,
            )
        )
    if (level == JurisdictionLevel.SUBNATIONAL) != bool(content.subdivision.strip()):
        found.append(
            Problem(
                "subdivision",
                _("Name the sub-national unit of a sub-national instrument only."),
                content.subdivision,
            )
        )
    if content.scope_area and level != JurisdictionLevel.REGIONAL:
        found.append(
            Problem(
                "scope_area",
                _("Only a regional instrument names the region it concerns."),
                content.scope_area,
            )
        )
    return found


def _link_problems(content: InstrumentContent) -> list[Problem]:
    found = []
    for name, links in (("source_url", content.sources), ("document_url", content.documents)):
        urls = [link.url for link in links]
        for url in urls:
            try:
                _url(url)
            except ValidationError:
                found.append(Problem(name, _("Enter a web address starting with https://."), url))
        if len(set(urls)) != len(urls):
            found.append(Problem(name, _("The same address is listed twice.")))
    for source in content.sources:
        if source.confidence not in Confidence.values:
            found.append(
                Problem(
                    "confidence",
                    _("This value is not in the vocabulary."),
                    source.confidence,
                    _allowed(Confidence.values),
                )
            )
    for document in content.documents:
        if document.kind not in DocumentKind.values:
            found.append(
                Problem(
                    "document_kind",
                    _("This value is not in the vocabulary."),
                    document.kind,
                    _allowed(DocumentKind.values),
                )
            )
    return found


# --- comparing, for the review ---


@dataclass(frozen=True)
class Change:
    """One line of a review: what it is about, what readers see now, what they will see."""

    label: str | Promise
    before: str
    after: str
    language: str = ""


FIELD_LABELS: dict[str, Promise] = {
    "jurisdiction_level": gettext_lazy("Jurisdiction"),
    "instrument_type": gettext_lazy("Type"),
    "status": gettext_lazy("Status"),
    "country": gettext_lazy("Country"),
    "subdivision": gettext_lazy("Sub-national unit"),
    "scope_area": gettext_lazy("Region concerned"),
    "adopted_on": gettext_lazy("Adopted on"),
    "authority": gettext_lazy("Adopting authority"),
    "title_original": gettext_lazy("Title in the original language"),
    "original_language": gettext_lazy("Original language"),
    "counts_as_national_policy": gettext_lazy("Counts as national public policy"),
    "is_verified": gettext_lazy("Checked against the official text"),
}

_CHOICE_LABELS: dict[str, dict[str, Any]] = {
    "jurisdiction_level": dict(JurisdictionLevel.choices),
    "instrument_type": dict(InstrumentType.choices),
    "status": dict(InstrumentStatus.choices),
    "scope_area": dict(AREA_LABELS),
}
YES = pgettext_lazy("review", "Yes")
NO = pgettext_lazy("review", "No")


def shown(name: str, value: Any) -> str:
    """A value as a reviewer reads it: labels for codes, yes or no for flags."""
    if isinstance(value, bool):
        return str(YES if value else NO)
    if name == "country" and value:
        from amparo.observatory.geography import country_name  # noqa: PLC0415

        return f"{country_name(value)} ({value})"
    return str(_CHOICE_LABELS.get(name, {}).get(value, value))


def changes(before: InstrumentContent | None, after: InstrumentContent) -> list[Change]:
    """Field by field, what `after` changes in `before` (None: a new instrument, every field
    is new). Lists (translations, sources, documents, relations) compare item by item."""
    empty = InstrumentContent(jurisdiction_level="", instrument_type="", status="")
    base = before or empty
    found: list[Change] = []
    for name, label in FIELD_LABELS.items():
        old, new = getattr(base, name), getattr(after, name)
        if old != new and not (before is None and new in ("", False)):
            found.append(Change(label, shown(name, old) if before else "", shown(name, new)))
    if after.status != base.status and (after.status_since or after.status_note):
        detail = ", ".join(v for v in (after.status_since, after.status_note) if v)
        found.append(Change(gettext_lazy("Status since, and why"), "", detail))
    found += _translation_changes(base, after)
    found += _list_changes(
        gettext_lazy("Source"),
        {s.url: s for s in base.sources},
        {s.url: s for s in after.sources},
        _source_text,
    )
    found += _list_changes(
        gettext_lazy("Document"),
        {d.url: d for d in base.documents},
        {d.url: d for d in after.documents},
        _document_text,
    )
    found += _list_changes(
        gettext_lazy("Related instrument"),
        {(r.kind, r.related): r for r in base.relations},
        {(r.kind, r.related): r for r in after.relations},
        _relation_text,
    )
    return found


def _joined(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _source_text(source: SourceContent) -> str:
    labels = dict(Confidence.choices)
    return _joined(
        source.url, str(labels.get(source.confidence, source.confidence)), source.title, source.note
    )


def _document_text(document: DocumentContent) -> str:
    labels = dict(DocumentKind.choices)
    return _joined(
        document.url,
        str(labels.get(document.kind, document.kind)),
        document.title,
        document.language,
    )


def _relation_text(relation: RelationContent) -> str:
    labels = dict(RelationKind.choices)
    return _joined(str(labels.get(relation.kind, relation.kind)), relation.related, relation.note)


def _translation_changes(base: InstrumentContent, after: InstrumentContent) -> list[Change]:
    found = []
    languages = sorted(
        {t.language for t in base.translations} | {t.language for t in after.translations}
    )
    for language in languages:
        old, new = base.translation(language), after.translation(language)
        for name, label in (
            ("title", gettext_lazy("Title")),
            ("summary", gettext_lazy("Summary")),
        ):
            old_text = getattr(old, name) if old else ""
            new_text = getattr(new, name) if new else ""
            if old_text != new_text:
                found.append(Change(label, old_text, new_text, language))
        if old and new and old.is_official != new.is_official:
            found.append(
                Change(
                    gettext_lazy("Official translation"),
                    shown("", old.is_official),
                    shown("", new.is_official),
                    language,
                )
            )
    return found


def _list_changes(label: Any, old: dict[Any, Any], new: dict[Any, Any], text: Any) -> list[Change]:
    found = []
    for key in [*old, *(k for k in new if k not in old)]:
        before, after = old.get(key), new.get(key)
        if before != after:
            found.append(
                Change(label, text(before) if before else "", text(after) if after else "")
            )
    return found


def blank_content() -> InstrumentContent:
    return InstrumentContent(
        jurisdiction_level=JurisdictionLevel.NATIONAL,
        instrument_type=InstrumentType.LAW,
        status=InstrumentStatus.ADOPTED,
    )
