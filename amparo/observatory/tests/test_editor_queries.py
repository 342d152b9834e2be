"""The editors' reads compiled once per connection (ADR 0050) give what their querysets give."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db.models import Model
from django.http import Http404

from amparo.observatory import editor_queries, editorial, services
from amparo.observatory.content import content_of, contents_of
from amparo.observatory.editorial import save_narrative_draft
from amparo.observatory.enums import DatePrecision, DocumentKind, JurisdictionLevel, RelationKind
from amparo.observatory.models import PolicyInstrument
from amparo.observatory.tests.factories import (
    country,
    make_evaluation,
    make_framework,
    make_instrument,
    make_instruments,
)

pytestmark = pytest.mark.django_db


def _rows(instances: list[Any]) -> list[dict[str, Any]]:
    """Each instance's loaded columns, and those of the rows joined to it."""

    def columns(instance: Model | None) -> dict[str, Any] | None:
        if instance is None:
            return None
        values = {
            f.attname: getattr(instance, f.attname)
            for f in instance._meta.concrete_fields
            if f.attname in instance.__dict__
        }
        for name, related in instance._state.fields_cache.items():
            values[name] = columns(related)
        return values

    return [columns(instance) for instance in instances]  # type: ignore[misc]


def _work(editor: Any, reviewer: Any) -> None:
    """Every kind of work the dashboard lists."""
    drafts = make_instruments(7, published=False)
    for instrument in drafts[:3]:
        editorial.submit_instrument(instrument=instrument, actor=reviewer)
    save_narrative_draft(
        country=country("CO"), language="es", text="Texto", actor=editor, expected_version=0
    )
    framework = make_framework()
    make_framework(published=False, version=2)
    make_evaluation(framework, code="CO", published=False)
    make_evaluation(framework, instrument=drafts[5], published=False)
    make_instrument("co-law-public")


def test_the_dashboard_reads_what_its_querysets_read(editor, reviewer):
    _work(editor, reviewer)

    board = editor_queries.dashboard(after=None, language="en")
    open_work = list(editor_queries.open_work()[: 2 * editor_queries.LIST_LIMIT])

    assert len(board.review) == 3
    assert len(board.other_drafts) == 1
    assert _rows(board.review) == _rows([r for r in open_work if r.state == "review"])
    assert _rows(board.other_drafts) == _rows([r for r in open_work if r.state == "draft"])
    drafts = list(editor_queries.instrument_drafts()[: editor_queries.PAGE_SIZE])
    assert _rows(board.instrument_drafts) == _rows(drafts)
    assert len(drafts) == 4  # three of the seven were submitted
    assert _rows(board.evaluation_drafts) == _rows(list(editor_queries.evaluation_drafts()))
    assert len(board.evaluation_drafts) == 2
    assert _rows(board.framework_drafts) == _rows(list(editor_queries.framework_drafts()))
    assert len(board.framework_drafts) == 1
    recent = list(editor_queries.recent_changes()[: editor_queries.RECENT])
    assert _rows(board.recent) == _rows(recent)
    assert board.recent


def test_a_page_of_drafts_after_a_key():
    make_instruments(5, published=False)
    keys = list(editor_queries.instrument_drafts().values_list("key", flat=True))

    first = editor_queries.dashboard(after=None, language="en")
    second = editor_queries.dashboard(after=keys[1], language="en")
    last = editor_queries.dashboard(after=keys[4], language="en")

    assert [i.key for i in first.instrument_drafts] == keys
    assert _rows(second.instrument_drafts) == _rows(
        list(editor_queries.instrument_drafts().filter(key__gt=keys[1]))
    )
    assert [i.key for i in second.instrument_drafts] == keys[2:]
    assert last.instrument_drafts == []
    assert first.next_after is second.next_after is None


def test_an_instrument_by_its_key(editor):
    instrument = make_instrument("co-law-9", subdivision="", code="CO")

    found = editor_queries.get_instrument_for_editor(editor, "co-law-9")

    expected = PolicyInstrument.objects.select_related("country", "subnational_unit").get(
        key="co-law-9"
    )
    assert _rows([found]) == _rows([expected])
    assert found == instrument
    with pytest.raises(Http404):
        editor_queries.get_instrument_for_editor(editor, "co-law-none")


def test_the_working_copy_is_the_open_revision(editor, reviewer):
    instrument = make_instrument("co-law-10", published=False)
    assert editor_queries.working_copy(instrument).revision is None

    editorial.submit_instrument(instrument=instrument, actor=editor)

    working = editor_queries.working_copy(instrument)
    expected = editor_queries.open_revisions_of_instrument(instrument.pk).first()
    assert working.revision is not None
    assert _rows([working.revision]) == _rows([expected])
    assert working.in_review


def test_the_content_of_one_instrument_is_the_content_of_many(editor):
    other = make_instrument("co-law-other")
    unit = make_instrument(
        "co-edict-1",
        level=JurisdictionLevel.SUBNATIONAL,
        subdivision="Antioquia",
        adopted_on=date(2019, 3, 1),
        precision=DatePrecision.MONTH,
        translations=[
            services.TranslationData(language="fr", title="Édit", summary="Résumé"),
            services.TranslationData(language="en", title="Edict", summary="", is_official=True),
        ],
    )
    for url in ("https://example.org/b", "https://example.org/a"):
        services.add_source(
            instrument=unit, actor=None, data=services.SourceData(url=url, confidence="partial")
        )
    services.add_document(
        instrument=unit,
        actor=None,
        kind=DocumentKind.GAZETTE,
        url="https://example.org/gazette",
        title="Gaceta",
        language="es",
    )
    services.relate_instruments(
        instrument=unit, kind=RelationKind.IMPLEMENTS, related=other, actor=None, note="Art. 2"
    )
    bare = make_instrument("int-un-1", code=None, level=JurisdictionLevel.INTERNATIONAL, source="")

    for instrument in (unit, other, bare):
        assert content_of(instrument) == contents_of([instrument.key])[instrument.key]
    content = content_of(unit)
    assert content.subdivision == "Antioquia"
    assert content.adopted_on == "2019-03"
    assert [t.language for t in content.translations] == ["en", "fr"]
    assert len(content.sources) == 3
    assert content.documents[0].title == "Gaceta"
    assert content.relations[0].related == "co-law-other"
    with pytest.raises(PolicyInstrument.DoesNotExist):
        content_of(PolicyInstrument(pk=0))
