"""The public API: no token, published records only, pages by key, conditional answers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amparo.api.tests.factories import bearer, issue_token
from amparo.observatory import services
from amparo.observatory.tests.factories import (
    make_evaluation,
    make_framework,
    make_instrument,
    make_instruments,
)

pytestmark = pytest.mark.django_db

CANARY = "OBSDRAFTCANARY-api"


def _url(name: str, *args: object) -> str:
    return reverse(f"api-v1:observatory-{name}", args=args)


@pytest.fixture
def published():
    law = make_instrument("co-law-1", title="Protection law")
    regulation = make_instrument("co-reg-1", instrument_type="regulation", title="Regulation")
    services.relate_instruments(instrument=regulation, kind="implements", related=law, actor=None)
    draft = make_instrument("co-draft-1", title=CANARY, published=False)
    services.relate_instruments(instrument=draft, kind="amends", related=law, actor=None)
    framework = make_framework()
    evaluation = make_evaluation(framework, instrument=law)
    make_evaluation(framework, code="CO", published=False)
    return {"law": law, "regulation": regulation, "evaluation": evaluation}


def test_anyone_reads_the_public_api_without_a_token(published):
    client = Client()

    answers = {
        name: client.get(url).status_code
        for name, url in [
            ("countries", _url("country-list")),
            ("instruments", _url("instrument-list")),
            ("instrument", _url("instrument-detail", "co-law-1")),
            ("evaluations", _url("evaluation-list")),
            ("evaluation", _url("evaluation-detail", published["evaluation"].pk)),
            ("frameworks", _url("framework-list")),
        ]
    }

    assert answers == dict.fromkeys(answers, 200)


def test_a_token_changes_nothing(published, desk_officer):
    with_token = Client(**bearer(issue_token(desk_officer))).get(_url("instrument-list")).json()
    without = Client().get(_url("instrument-list")).json()

    assert with_token == without


def test_drafts_never_appear(published):
    client = Client()

    bodies = [
        client.get(_url("instrument-list")).content.decode(),
        client.get(_url("instrument-detail", "co-law-1")).content.decode(),
        client.get(_url("evaluation-list")).content.decode(),
    ]

    assert [CANARY in body or "co-draft-1" in body for body in bodies] == [False] * 3
    assert client.get(_url("instrument-detail", "co-draft-1")).status_code == 404
    assert [e["id"] for e in client.get(_url("evaluation-list")).json()["items"]] == [
        str(published["evaluation"].pk)
    ]


def test_an_instrument_in_full(published):
    body = Client().get(_url("instrument-detail", "co-law-1")).json()

    assert body["key"] == "co-law-1"
    assert body["url"] == "/en/observatory/instruments/co-law-1/"
    assert (body["country"], body["adopted_on"], body["status"]) == ("CO", "2012-06-25", "in_force")
    assert body["titles"] == {"en": "Protection law"}
    assert body["sources"] == [
        {"url": "https://example.org/source", "title": "", "confidence": "confirmed", "note": ""}
    ]
    assert body["documents"] == []
    assert body["status_history"] == [{"status": "in_force", "since": None, "note": ""}]
    assert body["relations"] == [
        {"relation": "implements", "instrument": "co-reg-1", "direction": "incoming"}
    ]


def test_instruments_page_by_key(published):
    make_instruments(5, code="BR")
    client = Client()

    first = client.get(_url("instrument-list"), {"limit": 3}).json()
    second = client.get(_url("instrument-list"), {"limit": 3, "after": first["next_after"]}).json()
    third = client.get(_url("instrument-list"), {"limit": 3, "after": second["next_after"]}).json()

    keys = [i["key"] for page in (first, second, third) for i in page["items"]]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys)) == 7
    assert third["next_after"] is None


def test_instruments_filter_like_the_browse_page(published):
    make_instrument("br-law-1", code="BR", original_language="pt", title="Lei")
    client = Client()

    def keys(**params):
        return [i["key"] for i in client.get(_url("instrument-list"), params).json()["items"]]

    assert keys(country="BR") == ["br-law-1"]
    assert keys(instrument_type="regulation") == ["co-reg-1"]
    assert keys(language="pt") == ["br-law-1"]
    assert keys(q="protection") == ["co-law-1"]
    assert keys(area="africa") == []
    assert client.get(_url("instrument-list"), {"country": "colombia"}).status_code == 422


def test_countries_list_every_country_or_only_those_recorded(published):
    services.sync_countries()
    client = Client()

    everything = client.get(_url("country-list"), {"limit": 100}).json()
    recorded = client.get(_url("country-list"), {"recorded": "true"}).json()

    assert len(everything["items"]) == 100
    assert everything["next_after"] == everything["items"][-1]["code"]
    assert [(c["code"], c["policy_state"], c["instruments"]) for c in recorded["items"]] == [
        ("CO", "binding_in_force", 2)
    ]
    assert recorded["items"][0]["names"]["th"] == "โคลอมเบีย"


def test_evaluations_carry_every_score_and_their_versions(published):
    body = Client().get(_url("evaluation-detail", published["evaluation"].pk)).json()

    assert (body["instrument"], body["framework"], body["version"], body["state"]) == (
        "co-law-1",
        "test-framework",
        1,
        "published",
    )
    assert [(s["criterion"], s["score"]) for s in body["scores"]] == [
        ("norm-rank", "strong"),
        ("budget-line", "weak"),
    ]


def test_frameworks_with_their_axes_and_criteria(published):
    [framework] = Client().get(_url("framework-list")).json()

    assert [a["key"] for a in framework["axes"]] == ["legal-basis", "budget"]
    assert [c["key"] for c in framework["axes"][0]["criteria"]] == ["norm-rank", "recognition"]


def test_answers_are_cacheable_and_revalidate_with_a_304(published):
    client = Client()
    first = client.get(_url("instrument-list"))

    again = client.get(_url("instrument-list"), HTTP_IF_NONE_MATCH=first["ETag"])
    make_instrument("pe-law-1", code="PE")
    changed = client.get(_url("instrument-list"), HTTP_IF_NONE_MATCH=first["ETag"])

    assert "public" in first["Cache-Control"]
    assert "max-age=300" in first["Cache-Control"]
    assert first["Last-Modified"]
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
    assert changed.status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(
    ("endpoint", "queries"),
    [
        ("instrument-list", 3),  # version, page, translations
        ("instrument-detail", 6),  # version, instrument, translations, history, links, relations
        ("country-list", 3),  # version, overview, page
        ("evaluation-list", 3),  # version, page, scores
        ("framework-list", 4),  # version, frameworks, axes, criteria
    ],
)
def test_query_count_is_flat(django_assert_num_queries, rows, endpoint, queries):
    instruments = make_instruments(rows)
    for other in instruments[1:]:
        services.relate_instruments(
            instrument=other, kind="implements", related=instruments[0], actor=None
        )
    framework = make_framework()
    for instrument in instruments:
        make_evaluation(framework, instrument=instrument)
    args = [instruments[0].key] if endpoint == "instrument-detail" else []

    with django_assert_num_queries(queries):
        response = Client().get(_url(endpoint, *args), {} if args else {"limit": 50})

    assert response.status_code == 200
