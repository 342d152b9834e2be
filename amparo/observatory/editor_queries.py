"""What observatory editors read: drafts, work waiting for review, the content being edited.

queries.py serves the public and never lets a draft out; this module is its counterpart
behind the editing pages, and the one access path to them. Everyone but an observatory editor
gets 404 for what readers cannot see (a draft, a revision) and 403 for what they can (a
published instrument, the dashboard's address itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from amparo.core.prepared import Prepared
from amparo.observatory import queries, rules
from amparo.observatory.content import InstrumentContent, content_of
from amparo.observatory.enums import OPEN_REVISION_STATES, EditorialState, RevisionKind
from amparo.observatory.models import (
    ChangeLogEntry,
    Country,
    CountryNarrative,
    Evaluation,
    Framework,
    InstrumentImport,
    PolicyInstrument,
    Revision,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

PAGE_SIZE = 50
LIST_LIMIT = 50
RECENT = 20
RECENT_IMPORTS = 10
PUBLIC_STATES = (EditorialState.PUBLISHED, EditorialState.SUPERSEDED)


def require_editor(user: User | AnonymousUser, *, public: bool = True) -> None:
    """403 when the person may know the thing exists (`public`), 404 otherwise."""
    if not rules.can_edit_observatory(user):
        if public:
            raise PermissionDenied
        raise Http404


# --- imports ---


def imports_visible_to(user: User | AnonymousUser) -> QuerySet[InstrumentImport]:
    """An editor's own imports: what someone imports says what they are working on."""
    if not rules.can_edit_observatory(user):
        return InstrumentImport.objects.none()
    return InstrumentImport.objects.filter(owner_id=user.pk)


def get_import_for_user(user: User | AnonymousUser, import_id: UUID) -> InstrumentImport:
    """404 for anyone but the editor who uploaded it."""
    return get_object_or_404(imports_visible_to(user).select_related("job"), pk=import_id)


def recent_imports_of(user: User | AnonymousUser) -> list[InstrumentImport]:
    return list(imports_visible_to(user).select_related("job")[:RECENT_IMPORTS])


# --- instruments ---


#: An instrument by its key (unique), as every instrument page of the editors reads it first:
#: compiled once per connection (ADR 0050).
_INSTRUMENT_BY_KEY = Prepared(
    PolicyInstrument,
    lambda key: (
        PolicyInstrument.objects.select_related("country", "subnational_unit")
        .filter(key=key)
        .order_by()[:1]
    ),
    fields=(PolicyInstrument._meta.get_field("key"),),
    samples=(("a",), ("b",)),
)


def get_instrument_for_editor(user: User | AnonymousUser, key: str) -> PolicyInstrument:
    found = _INSTRUMENT_BY_KEY(key)
    if not found:
        raise Http404
    instrument = found[0]
    require_editor(user, public=instrument.is_public)
    return instrument


@dataclass
class Working:
    """What the editor works on: the open revision's content, or the instrument's own."""

    instrument: PolicyInstrument
    content: InstrumentContent
    revision: Revision | None

    @property
    def version(self) -> int:
        """The optimistic-locking version the edit form carries (0: no revision yet)."""
        return self.revision.version if self.revision else 0

    @property
    def in_review(self) -> bool:
        return self.revision is not None and self.revision.state == EditorialState.REVIEW


def open_revisions_of_instrument(instrument_id: int) -> QuerySet[Revision]:
    """The instrument's open revision (a draft or one in review): at most one."""
    return (
        Revision.objects.filter(instrument_id=instrument_id, state__in=OPEN_REVISION_STATES)
        .select_related("submitted_by", "reviewed_by")
        .order_by("-updated_at", "id")
    )


_OPEN_REVISION = Prepared(
    Revision,
    lambda instrument_id: open_revisions_of_instrument(instrument_id)[:1],
    fields=(Revision._meta.get_field("instrument"),),
    samples=((1,), (2,)),
)


def working_copy(instrument: PolicyInstrument) -> Working:
    found = _OPEN_REVISION(instrument.pk)
    revision = found[0] if found else None
    content = InstrumentContent.from_json(revision.content) if revision else content_of(instrument)
    return Working(instrument, content, revision)


def published_content(instrument: PolicyInstrument) -> InstrumentContent | None:
    """What readers saw last: the instrument's own rows once it was ever published (editors
    never change them directly), nothing for an instrument never published."""
    if instrument.first_published_at is None:
        return None
    return content_of(instrument)


def history_of(instrument: PolicyInstrument) -> list[Revision]:
    return list(
        Revision.objects.filter(instrument=instrument, state__in=PUBLIC_STATES)
        .select_related("submitted_by", "reviewed_by")
        .order_by("-published_at")[:RECENT]
    )


# --- revisions, evaluations, frameworks, narratives ---


def get_revision_for_editor(user: User | AnonymousUser, revision_id: UUID) -> Revision:
    require_editor(user, public=False)
    return get_object_or_404(
        Revision.objects.select_related(
            "instrument", "country", "evaluation", "framework", "submitted_by", "reviewed_by"
        ),
        pk=revision_id,
    )


def get_evaluation_for_editor(user: User | AnonymousUser, evaluation_id: UUID) -> Evaluation:
    evaluation = (
        Evaluation.objects.select_related("framework", "instrument", "country")
        .filter(pk=evaluation_id)
        .first()
    )
    if evaluation is None:
        raise Http404
    public = queries.public_evaluations().filter(pk=evaluation.pk).exists()
    require_editor(user, public=public)
    return evaluation


def get_framework_for_editor(user: User | AnonymousUser, key: str, version: int) -> Framework:
    framework = Framework.objects.filter(key=key, version=version).first()
    if framework is None:
        raise Http404
    require_editor(user, public=framework.editorial_state in PUBLIC_STATES)
    return framework


def get_country_for_editor(user: User | AnonymousUser, code: str) -> Country:
    country = get_object_or_404(Country, code=code.upper())
    require_editor(user, public=True)
    return country


def open_revision_of(**subject: Any) -> Revision | None:
    return (
        Revision.objects.filter(state__in=OPEN_REVISION_STATES, **subject)
        .select_related("submitted_by", "reviewed_by")
        .first()
    )


def narrative_text(country: Country, language: str) -> str:
    narrative = CountryNarrative.objects.filter(country=country, language=language).first()
    return narrative.text if narrative else ""


# --- the dashboard ---


@dataclass
class Dashboard:
    review: list[Revision]
    instrument_drafts: list[PolicyInstrument]
    next_after: str | None
    other_drafts: list[Revision]
    evaluation_drafts: list[Evaluation]
    framework_drafts: list[Framework]
    recent: list[ChangeLogEntry]


#: What an instrument's title needs besides the translation `queries.attach_titles` gives it.
_TITLE = ("key", "title_original", "original_language")


def _titled(prefix: str) -> list[str]:
    return [f"{prefix}__{name}" for name in _TITLE]


# The dashboard's lists read the columns their rows show (editor_rows.py): a country's name
# comes from its code (geography.country_name), so the country rows are not joined.


def instrument_drafts() -> QuerySet[PolicyInstrument]:
    """Instruments not yet (or no longer) published, and published ones with a correction
    being written, by key."""
    draft_revision = Revision.objects.filter(instrument=OuterRef("pk"), state=EditorialState.DRAFT)
    return (
        PolicyInstrument.objects.filter(
            Q(editorial_state=EditorialState.DRAFT) | Exists(draft_revision)
        )
        .only(*_TITLE, "country", "jurisdiction_level", "editorial_state", "first_published_at")
        .order_by("key")
    )


def open_work() -> QuerySet[Revision]:
    """Work in progress the dashboard lists: everything in review, and the drafts that have
    no list of their own (narratives)."""
    return (
        Revision.objects.filter(state__in=OPEN_REVISION_STATES)
        .filter(Q(state=EditorialState.REVIEW) | ~Q(kind=RevisionKind.INSTRUMENT))
        .exclude(kind=RevisionKind.EVALUATION, state=EditorialState.DRAFT)
        .exclude(kind=RevisionKind.FRAMEWORK, state=EditorialState.DRAFT)
        .select_related("instrument", "evaluation__instrument", "framework", "submitted_by")
        .only(
            "kind",
            "state",
            "instrument",
            "country",
            "language",
            "evaluation",
            "framework",
            "submitted_by",
            "submitted_at",
            "review_comment",
            *_titled("instrument"),
            "evaluation__instrument",
            "evaluation__country",
            *_titled("evaluation__instrument"),
            "framework__title",
            "framework__version",
            "submitted_by__display_name",
            "submitted_by__email",
        )
        .order_by("-updated_at", "id")
    )


def evaluation_drafts() -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.filter(editorial_state=EditorialState.DRAFT)
        .select_related("instrument")
        .only("version", "country", "instrument", *_titled("instrument"))
        .order_by("-updated_at", "id")
    )


def framework_drafts() -> QuerySet[Framework]:
    return (
        Framework.objects.filter(editorial_state=EditorialState.DRAFT)
        .only("key", "version", "title")
        .order_by("key", "version")
    )


def recent_changes() -> QuerySet[ChangeLogEntry]:
    return (
        ChangeLogEntry.objects.select_related("instrument", "framework")
        .only(
            "kind",
            "note",
            "occurred_at",
            "instrument",
            "country",
            "evaluation",
            "framework",
            *_titled("instrument"),
            "framework__title",
            "framework__version",
        )
        .order_by("-occurred_at", "-id")
    )


# The dashboard's queries never change shape (a draft page after a key, or the first), so
# they are compiled once per connection (ADR 0050): building and compiling them cost about
# five times what the database took to answer them (bench.profile).
_OPEN_WORK = Prepared(Revision, lambda: open_work()[: 2 * LIST_LIMIT], fields=(), samples=((), ()))
_FIRST_DRAFTS = Prepared(
    PolicyInstrument, lambda: instrument_drafts()[: PAGE_SIZE + 1], fields=(), samples=((), ())
)
_DRAFTS_AFTER = Prepared(
    PolicyInstrument,
    lambda after: instrument_drafts().filter(key__gt=after)[: PAGE_SIZE + 1],
    fields=(PolicyInstrument._meta.get_field("key"),),
    samples=(("a",), ("b",)),
)
_EVALUATION_DRAFTS = Prepared(
    Evaluation, lambda: evaluation_drafts()[:LIST_LIMIT], fields=(), samples=((), ())
)
_FRAMEWORK_DRAFTS = Prepared(
    Framework, lambda: framework_drafts()[:LIST_LIMIT], fields=(), samples=((), ())
)
_RECENT = Prepared(ChangeLogEntry, lambda: recent_changes()[:RECENT], fields=(), samples=((), ()))


def dashboard(*, after: str | None, language: str) -> Dashboard:
    """Everything the editors' dashboard shows, in six queries whatever the counts."""
    open_work = _OPEN_WORK()
    page = _DRAFTS_AFTER(after) if after else _FIRST_DRAFTS()
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    evaluation_drafts = _EVALUATION_DRAFTS()
    framework_drafts = _FRAMEWORK_DRAFTS()
    recent = _RECENT()
    instruments = [
        *page,
        *(r.instrument for r in open_work if r.instrument),
        *(r.evaluation.instrument for r in open_work if r.evaluation and r.evaluation.instrument),
        *(e.instrument for e in evaluation_drafts if e.instrument),
        *(c.instrument for c in recent if c.instrument),
    ]
    queries.attach_titles(instruments, language)
    return Dashboard(
        review=[r for r in open_work if r.state == EditorialState.REVIEW][:LIST_LIMIT],
        instrument_drafts=page,
        next_after=page[-1].key if more else None,
        other_drafts=[r for r in open_work if r.state == EditorialState.DRAFT][:LIST_LIMIT],
        evaluation_drafts=evaluation_drafts,
        framework_drafts=framework_drafts,
        recent=recent,
    )


def frameworks_for_editors() -> list[Framework]:
    """Every version of every framework, newest first within each."""
    return list(Framework.objects.order_by("key", "-version"))


def criteria_of(framework: Framework) -> list[Any]:
    return queries.framework_tree(framework)
