"""The editors' pages: observatory editors only, forms that keep what was typed, conflicts
shown side by side, and the second editor's review."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from amparo.observatory import editorial, services
from amparo.observatory.content import content_of
from amparo.observatory.enums import ChangeKind, EditorialState
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
    make_instruments,
)
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def _url(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(f"observatory:{name}", args=args)


def _client(user: Any) -> Client:
    client = Client()
    login_fresh(client, user)
    return client


def _formsets(sources: list[dict[str, str]] | None = None) -> dict[str, str]:
    data = {}
    for prefix, rows in (("sources", sources or []), ("documents", []), ("relations", [])):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for number, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{number}-{name}"] = value
    return data


def _instrument_data(**overrides: str) -> dict[str, str]:
    data = {
        "key": "co-law-77",
        "jurisdiction_level": "national",
        "country": "CO",
        "subdivision": "",
        "scope_area": "",
        "instrument_type": "law",
        "status": "adopted",
        "status_since": "",
        "status_note": "",
        "adopted_on": "2019-03",
        "authority": "Congress",
        "title_original": "Ley 77",
        "original_language": "es",
        "counts_as_national_policy": "on",
        "title_en": "Law 77 on defenders",
        "summary_en": "It protects defenders.",
        "note": "",
        "version": "0",
        **_formsets([{"url": "https://example.org/77", "confidence": "confirmed"}]),
    }
    data.update(overrides)
    return data


def _edit_data(instrument: PolicyInstrument, version: int, **overrides: str) -> dict[str, str]:
    data = _instrument_data(**overrides)
    del data["key"]
    data["version"] = str(version)
    return data


# --- who gets in ---


@pytest.mark.parametrize("persona", ["desk_lead", "org_admin", "defender"])
def test_people_who_are_not_observatory_editors_are_kept_out(persona, request, editor):
    person = request.getfixturevalue(persona)
    published = make_instrument("co-law-1")
    draft = make_instrument("co-draft-1", published=False, title="OBSDRAFT secret")
    client = _client(person)

    answers = [
        client.get(_url("editor-dashboard")).status_code,
        client.get(_url("editor-instrument-edit", published.key)).status_code,
        client.get(_url("editor-instrument-edit", draft.key)).status_code,
        client.post(_url("editor-instrument-submit", draft.key), {"version": "0"}).status_code,
    ]

    assert answers == [403, 403, 404, 404]
    assert not Revision.objects.exists()


def test_signing_in_comes_first(db):
    response = Client().get(_url("editor-dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- the dashboard ---


def test_the_dashboard_lists_drafts_and_work_to_review(editor, reviewer):
    make_instrument("co-draft-1", published=False, title="A draft law")
    submitted = make_instrument("co-draft-2", published=False, title="A submitted law")
    editorial.submit_instrument(instrument=submitted, actor=editor)

    as_reviewer = _client(reviewer).get(_url("editor-dashboard"))
    as_editor = _client(editor).get(_url("editor-dashboard"))

    page = as_reviewer.content.decode()
    assert as_reviewer.status_code == 200
    assert "A draft law" in page
    review_url = _url("editor-review", Revision.objects.get().pk)
    assert f'href="{review_url}">Review</a>' in page
    assert "See your submission" in as_editor.content.decode()


@pytest.mark.parametrize("count", [1, 50])
def test_the_dashboard_costs_the_same_whatever_the_rows(
    count, editor, reviewer, django_assert_num_queries
):
    drafts = make_instruments(count, published=False)
    for instrument in drafts[: min(count, 5)]:
        editorial.submit_instrument(instrument=instrument, actor=reviewer)
    client = _client(editor)
    client.get(_url("editor-dashboard"))  # the first request after sign-in settles the session

    # session, the person with their memberships, the work in progress, a page of draft
    # instruments, draft evaluations, draft frameworks, the latest changes, titles.
    with django_assert_num_queries(8):
        response = client.get(_url("editor-dashboard"))

    assert response.status_code == 200


# --- creating and editing ---


def test_an_editor_creates_a_draft_instrument(editor):
    country("CO")

    response = _client(editor).post(_url("editor-instrument-create"), _instrument_data())

    instrument = PolicyInstrument.objects.get(key="co-law-77")
    assert response.status_code == 302
    assert response["Location"] == _url("editor-instrument-edit", "co-law-77")
    assert instrument.editorial_state == EditorialState.DRAFT
    content = content_of(instrument)
    assert (content.title, content.adopted_on, [s.url for s in content.sources]) == (
        "Law 77 on defenders",
        "2019-03",
        ["https://example.org/77"],
    )


def test_a_form_with_errors_keeps_what_was_typed(editor):
    country("CO")
    data = _instrument_data(
        adopted_on="March 2019", jurisdiction_level="international", summary_en="Kept text"
    )

    response = _client(editor).post(_url("editor-instrument-create"), data)

    page = response.content.decode()
    assert response.status_code == 422
    assert "Write the date as YYYY-MM-DD, YYYY-MM or YYYY." in page
    assert "Kept text" in page
    assert 'value="March 2019"' in page
    assert 'value="https://example.org/77"' in page
    assert not PolicyInstrument.objects.exists()


def test_contradicting_facts_are_named_on_their_field(editor):
    country("CO")

    response = _client(editor).post(
        _url("editor-instrument-create"), _instrument_data(jurisdiction_level="international")
    )

    assert response.status_code == 422
    assert "International and regional instruments have no country." in response.content.decode()


def test_editing_a_published_instrument_saves_a_draft_readers_do_not_see(editor):
    instrument = make_instrument("co-law-77")
    client = _client(editor)

    response = client.post(
        _url("editor-instrument-edit", instrument.key),
        _edit_data(instrument, 0, authority="Senate of the Republic"),
    )

    assert response.status_code == 302
    instrument.refresh_from_db()
    assert instrument.authority == "Congress"
    assert Revision.objects.get().content["authority"] == "Senate of the Republic"
    page = client.get(_url("editor-instrument-edit", instrument.key)).content.decode()
    assert 'value="Senate of the Republic"' in page
    public = client.get(_url("instrument-detail", instrument.key)).content.decode()
    assert "Senate of the Republic" not in public


def _as_the_page_posts_it(editor_form: Any) -> dict[str, str]:
    """What a browser sends back for the editor as the page rendered it."""
    data: dict[str, str] = {}

    def add(form: Any) -> None:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form[name].html_name] = "on"
            elif value not in (None, False):
                data[form[name].html_name] = str(value)

    add(editor_form.form)
    for formset in editor_form.formsets:
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def test_saving_the_page_as_it_came_keeps_every_link(editor):
    instrument = make_instrument("co-law-77")
    law = make_instrument("co-law-78")
    services.add_document(
        instrument=instrument, actor=None, kind="gazette", url="https://example.org/gazette"
    )
    services.relate_instruments(instrument=instrument, kind="amends", related=law, actor=None)
    before = content_of(instrument)
    client = _client(editor)
    url = _url("editor-instrument-edit", instrument.key)

    data = _as_the_page_posts_it(client.get(url).context["editor"])
    data["authority"] = "Senate"
    response = client.post(url, data)

    assert response.status_code == 302
    saved = Revision.objects.get().content
    assert saved["authority"] == "Senate"
    assert (saved["sources"], saved["documents"], saved["relations"]) == (
        [vars(s) for s in before.sources],
        [vars(d) for d in before.documents],
        [vars(r) for r in before.relations],
    )


def test_two_editors_saving_the_same_draft_see_a_conflict(editor, reviewer):
    instrument = make_instrument("co-law-77")
    _client(reviewer).post(
        _url("editor-instrument-edit", instrument.key),
        _edit_data(instrument, 0, authority="Senate"),
    )

    response = _client(editor).post(
        _url("editor-instrument-edit", instrument.key),
        _edit_data(instrument, 0, authority="House of Representatives"),
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone changed this first" in page
    assert "House of Representatives" in page
    assert "Senate" in page
    assert 'name="version" value="1"' in page
    assert Revision.objects.get().content["authority"] == "Senate"


@pytest.mark.parametrize("count", [1, 20])
def test_the_edit_page_costs_the_same_whatever_the_sources(
    count, editor, django_assert_num_queries
):
    instrument = make_instrument("co-law-77")
    for n in range(count):
        services.add_source(
            instrument=instrument,
            actor=None,
            data=services.SourceData(url=f"https://example.org/s{n}", confidence="partial"),
        )
    client = _client(editor)
    client.get(_url("editor-dashboard"))  # the first request after sign-in settles the session

    # session, person, the instrument, its open revision (none), then its content
    # (the instrument, translations, sources, documents, relations).
    with django_assert_num_queries(9):
        response = client.get(_url("editor-instrument-edit", instrument.key))

    assert response.status_code == 200


# --- submission and review ---


def test_a_second_editor_reviews_the_changes_and_publishes_them(editor, reviewer):
    instrument = make_instrument("co-law-77", title="Law 77")
    editor_client = _client(editor)
    editor_client.post(
        _url("editor-instrument-edit", instrument.key),
        _edit_data(instrument, 0, authority="Senate", note="Authority corrected"),
    )
    editor_client.post(_url("editor-instrument-submit", instrument.key), {"version": "1"})
    revision = Revision.objects.get()
    review_url = _url("editor-review", revision.pk)

    own = editor_client.get(review_url).content.decode()
    refused = editor_client.post(review_url, {"decision": "publish"})
    page = _client(reviewer).get(review_url)
    approved = _client(reviewer).post(review_url, {"decision": "publish"})

    assert "You submitted this work" in own
    assert refused.status_code == 422
    body = page.content.decode()
    assert "<del>Congress</del>" in body
    assert "<ins>Senate</ins>" in body
    assert approved.status_code == 302
    instrument.refresh_from_db()
    assert instrument.authority == "Senate"
    assert ChangeLogEntry.objects.filter(
        kind=ChangeKind.CORRECTED, note="Authority corrected"
    ).exists()


def test_returned_work_shows_the_reviewers_comment(editor, reviewer):
    instrument = make_instrument("co-draft-1", published=False)
    editorial.submit_instrument(instrument=instrument, actor=editor)
    revision = Revision.objects.get()

    missing = _client(reviewer).post(_url("editor-review", revision.pk), {"decision": "return"})
    _client(reviewer).post(
        _url("editor-review", revision.pk), {"decision": "return", "comment": "Add the gazette."}
    )
    page = _client(editor).get(_url("editor-instrument-edit", instrument.key)).content.decode()

    assert missing.status_code == 422
    assert "Add the gazette." in page
    instrument.refresh_from_db()
    assert instrument.editorial_state == EditorialState.DRAFT


@pytest.mark.parametrize("count", [1, 20])
def test_the_review_page_costs_the_same_whatever_the_changes(
    count, editor, reviewer, django_assert_num_queries
):
    instrument = make_instrument("co-law-77")
    content = content_of(instrument)
    from dataclasses import replace

    from amparo.observatory.content import SourceContent

    extra = tuple(SourceContent(f"https://example.org/n{n}", "partial") for n in range(count))
    editorial.save_instrument_draft(
        instrument=instrument,
        content=replace(content, sources=content.sources + extra),
        actor=editor,
        expected_version=0,
    )
    revision = editorial.submit_instrument(instrument=instrument, actor=editor)
    client = _client(reviewer)
    client.get(_url("editor-dashboard"))  # the first request after sign-in settles the session

    # session, person, the revision with its instrument, then the published content (the
    # instrument, translations, sources, documents, relations).
    with django_assert_num_queries(8):
        response = client.get(_url("editor-review", revision.pk))

    assert response.content.decode().count("<ins>https://example.org/n") == count


def test_withdrawing_takes_the_instrument_off_the_public_pages(editor):
    instrument = make_instrument("co-law-77")
    client = _client(editor)

    response = client.post(
        _url("editor-instrument-withdraw", instrument.key),
        {"version": str(instrument.version), "note": "Checking the official text"},
    )

    assert response.status_code == 302
    assert client.get(_url("instrument-detail", instrument.key)).status_code == 404
    assert ChangeLogEntry.objects.filter(
        kind=ChangeKind.WITHDRAWN, note="Checking the official text"
    ).exists()


# --- narratives ---


def test_a_country_narrative_goes_through_review(editor, reviewer):
    country("CO")
    url = _url("editor-narrative", "CO", "es")
    editor_client = _client(editor)

    editor_client.post(url, {"text": "Texto nuevo.", "note": "", "version": "0"})
    editor_client.post(_url("editor-narrative-submit", "CO", "es"), {"version": "1"})
    revision = Revision.objects.get()
    _client(reviewer).post(_url("editor-review", revision.pk), {"decision": "publish"})

    assert list(CountryNarrative.objects.values_list("text", flat=True)) == ["Texto nuevo."]
    assert ChangeLogEntry.objects.get().kind == ChangeKind.NARRATIVE_UPDATED


def test_the_narrative_address_from_the_dashboard(editor):
    country("CO")

    response = _client(editor).get(_url("editor-narrative-open") + "?country=CO&language=th")

    assert response["Location"] == _url("editor-narrative", "CO", "th")


# --- evaluations and frameworks ---


def test_a_score_without_evidence_or_source_is_refused(editor):
    make_framework()
    instrument = make_instrument()
    criterion_id = editorial.Criterion.objects.get(key="norm-rank").pk
    url = _url("editor-evaluation-create") + f"?instrument={instrument.key}"
    data = {
        "evaluator_name": "Rosa",
        "evaluated_on": "2025-06-01",
        "language": "en",
        "summary": "",
        f"c{criterion_id}_score": "strong",
        f"c{criterion_id}_evidence": "",
    }

    refused = _client(editor).post(url, data)
    data[f"c{criterion_id}_evidence"] = "Article 1 is a law."
    data[f"c{criterion_id}_source_instrument"] = instrument.key
    created = _client(editor).post(url, data)

    assert refused.status_code == 422
    assert "Every score cites its evidence." in refused.content.decode()
    assert "Every score cites a source." in refused.content.decode()
    evaluation = Evaluation.objects.get()
    assert created["Location"] == _url("editor-evaluation-edit", evaluation.pk)
    assert list(evaluation.scores.values_list("score", "source_instrument__key")) == [
        ("strong", instrument.key)
    ]


def test_an_evaluation_is_submitted_and_published_by_another_editor(editor, reviewer):
    framework = make_framework()
    evaluation = make_evaluation(framework, code="CO", published=False)
    _client(editor).post(
        _url("editor-evaluation-submit", evaluation.pk),
        {"token": editorial.lock_token(evaluation)},
    )
    revision = Revision.objects.get()

    page = _client(reviewer).get(_url("editor-review", revision.pk)).content.decode()
    _client(reviewer).post(_url("editor-review", revision.pk), {"decision": "publish"})

    assert "Rank of the norm" in page
    evaluation.refresh_from_db()
    assert evaluation.editorial_state == EditorialState.PUBLISHED


def test_a_framework_is_edited_as_a_new_version(editor, reviewer):
    framework = make_framework()
    client = _client(editor)

    client.post(_url("editor-framework-new-version", framework.key, framework.version))
    draft = Framework.objects.get(version=2)
    page = client.get(_url("editor-framework-edit", draft.key, 2))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["title"] = "Revised framework"
    saved = client.post(_url("editor-framework-edit", draft.key, 2), data)
    draft.refresh_from_db()
    client.post(
        _url("editor-framework-submit", draft.key, 2), {"token": editorial.lock_token(draft)}
    )
    revision = Revision.objects.get()
    review = _client(reviewer).get(_url("editor-review", revision.pk)).content.decode()

    assert saved.status_code == 302
    assert "<ins>Revised framework</ins>" in review
    assert Framework.objects.get(version=2).editorial_state == EditorialState.REVIEW


def test_a_draft_framework_is_translated_language_by_language(editor):
    framework = make_framework()
    client = _client(editor)
    client.post(_url("editor-framework-new-version", framework.key, framework.version))
    draft = Framework.objects.get(version=2)
    criterion = Criterion.objects.filter(axis__framework=draft).order_by("pk").first()
    url = _url("editor-framework-edit", draft.key, 2)

    page = client.get(url + "?lang=es")
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["title"] = "Marco revisado"
    data[f"c{criterion.pk}_name"] = "Rango de la norma"
    saved = client.post(url, data)
    english = client.get(url).context["form"]

    draft.refresh_from_db()
    criterion.refresh_from_db()
    assert f"English: {draft.title}" in page.content.decode()
    assert saved.status_code == 302
    assert saved["Location"].endswith("?lang=es")
    assert draft.i18n == {"es": {"title": "Marco revisado"}}
    assert criterion.i18n["es"] == {"name": "Rango de la norma"}
    assert criterion.text("question", "es") == criterion.question  # blank: the English
    assert english["title"].value() == draft.title != "Marco revisado"  # English untouched


def test_a_stale_translation_is_not_saved_over_a_newer_one(editor):
    framework = make_framework()
    client = _client(editor)
    client.post(_url("editor-framework-new-version", framework.key, framework.version))
    draft = Framework.objects.get(version=2)
    url = _url("editor-framework-edit", draft.key, 2)
    form = client.get(url + "?lang=fr").context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    first = {**data, "title": "Cadre révisé"}
    client.post(url, first)

    stale = client.post(url, {**data, "title": "Autre titre"})

    draft.refresh_from_db()
    assert stale.status_code == 409
    assert draft.i18n["fr"]["title"] == "Cadre révisé"
    assert 'name="lang" value="fr"' in stale.content.decode()


@pytest.mark.parametrize("scores", [{"norm-rank": "strong"}, None])
def test_the_evaluation_page_costs_the_same_whatever_the_scores(
    scores, editor, django_assert_num_queries
):
    framework = make_framework()
    evaluation = make_evaluation(framework, code="CO", published=False, scores=scores)
    client = _client(editor)
    client.get(_url("editor-dashboard"))  # the first request after sign-in settles the session

    # session, person, the evaluation, whether it is public, the framework's axes and
    # criteria, the scores, the open revision.
    with django_assert_num_queries(8):
        response = client.get(_url("editor-evaluation-edit", evaluation.pk))

    assert response.status_code == 200
    assert len(response.context["form"].rows()) == 3
