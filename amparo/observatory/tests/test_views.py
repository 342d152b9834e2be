"""The public pages: open to anyone, published records only, conditional, small, flat in
queries whatever the number of rows."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from amparo.observatory import services
from amparo.observatory.tests.factories import (
    make_evaluation,
    make_framework,
    make_instrument,
    make_instruments,
)
from amparo.testing.auth import login_fresh
from bench.weight import weigh

pytestmark = pytest.mark.django_db

#: A title no public page may ever show: it belongs to a draft.
CANARY = "OBSDRAFTCANARY-7c1e"


def _url(name: str, *args: object, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"observatory:{name}", args=args)


def _content(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def published():
    """A law in force in Colombia, a bill in Kenya, an international declaration, a framework
    and a published evaluation; and a draft that must never leak."""
    law = make_instrument("co-law-1", title="Protection law of Colombia")
    bill = make_instrument(
        "ke-bill-1", code="KE", instrument_type="bill", status="draft", title="Kenyan bill"
    )
    declaration = make_instrument(
        "int-decl-1", code=None, level="international", title="UN Declaration"
    )
    services.relate_instruments(
        instrument=law, kind="implements", related=declaration, actor=None, note="Its preamble"
    )
    services.add_document(
        instrument=law,
        actor=None,
        kind="official_text",
        url="https://example.org/gazette.pdf",
        title="Official gazette",
        language="es",
    )
    draft = make_instrument("co-draft-1", title=CANARY, published=False)
    services.relate_instruments(instrument=draft, kind="amends", related=law, actor=None)
    framework = make_framework()
    evaluation = make_evaluation(framework, instrument=law)
    make_evaluation(framework, code="CO", published=False, scores={"norm-rank": "absent"})
    return {
        "law": law,
        "bill": bill,
        "declaration": declaration,
        "draft": draft,
        "framework": framework,
        "evaluation": evaluation,
    }


def _pages(p) -> list[tuple[str, str]]:
    return [
        ("home", _url("home")),
        ("instrument-list", _url("instrument-list")),
        ("instrument-detail", _url("instrument-detail", p["law"].key)),
        ("country-detail", _url("country-detail", "CO")),
        ("timeline", _url("timeline")),
        ("evaluation-detail", _url("evaluation-detail", p["evaluation"].pk)),
        ("framework-detail", _url("framework-detail", p["framework"].key, 1)),
        ("open-data", _url("open-data")),
        ("instruments.csv", _url("download", "instruments", "csv")),
        ("instruments.json", _url("download", "instruments", "json")),
        ("evaluations.csv", _url("download", "evaluations", "csv")),
        ("countries.json", _url("download", "countries", "json")),
    ]


def test_every_public_page_answers_anyone_and_never_shows_a_draft(client, published):
    answers = {}
    for name, url in _pages(published):
        response = client.get(url)
        answers[name] = (response.status_code, CANARY in _content(response))

    assert answers == {name: (200, False) for name, _url in _pages(published)}


def test_unpublished_and_unknown_records_are_not_found(client, published):
    unpublished_evaluation = published["framework"].evaluations.get(editorial_state="draft")

    statuses = [
        client.get(_url("instrument-detail", published["draft"].key)).status_code,
        client.get(_url("instrument-detail", "no-such-key")).status_code,
        client.get(_url("country-detail", "XX")).status_code,
        client.get(_url("country-detail", "co")).status_code,
        client.get(_url("evaluation-detail", unpublished_evaluation.pk)).status_code,
        client.get(_url("framework-detail", "test-framework", 9)).status_code,
    ]

    assert statuses == [404] * 6


def test_home_shows_the_map_the_table_and_the_latest_additions(client, published):
    response = client.get(_url("home"))
    content = response.content.decode()

    assert content.count('<svg class="obs-map"') == 1
    assert f'href="{_url("country-detail", "CO")}" tabindex="-1"' in content
    assert [c.code for c in response.context["ranked"]] == ["CO", "KE"]
    assert [i.key for i in response.context["latest"]] == ["int-decl-1", "ke-bill-1", "co-law-1"]
    assert response.context["figures"] == {
        "countries": 2,
        "in_force": 1,
        "instruments": 3,
        "international": 1,
    }
    assert "Vary" in response
    assert "Save-Data" in response["Vary"]


def test_with_save_data_the_map_gives_way_to_its_table(client, published):
    response = client.get(_url("home"), HTTP_SAVE_DATA="on")

    content = response.content.decode()
    assert "<svg" not in content
    assert [c.code for c in response.context["ranked"]] == ["CO", "KE"]
    assert weigh(response.content).html_gzip < 10_000


def test_a_page_is_answered_304_until_the_data_change(client, published):
    url = _url("home")
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    make_instrument("pe-law-1", code="PE")
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["ETag"].startswith('W/"')
    assert "max-age=300" in first["Cache-Control"]
    assert (again.status_code, again.content) == (304, b"")
    assert since.status_code == 304
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_the_etag_differs_by_language_and_by_query(client, published):
    english = client.get(_url("instrument-list"))["ETag"]
    thai = client.get(_url("instrument-list", language="th"))["ETag"]
    filtered = client.get(_url("instrument-list") + "?country=CO")["ETag"]

    assert len({english, thai, filtered}) == 3


def test_signed_in_readers_get_the_page_but_nothing_is_stored(client, published, desk_officer):
    login_fresh(client, desk_officer)

    response = client.get(_url("instrument-detail", "co-law-1"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_pages_keep_their_language_in_the_address(client, published):
    response = client.get(_url("home", language="th"))

    assert response.status_code == 200
    assert '<html lang="th"' in response.content.decode()
    assert f'href="{_url("country-detail", "CO", language="th")}"' in response.content.decode()


def test_the_detail_page_shows_history_sources_relations_and_evaluations(client, published):
    response = client.get(_url("instrument-detail", "co-law-1"))
    detail = response.context["detail"]
    content = response.content.decode()

    assert response.context["i"].title == "Protection law of Colombia"
    assert [(r.label, r.instrument.key) for r in detail.related] == [
        ("Implements", "int-decl-1")
    ]  # the draft that amends it stays hidden
    assert [s["url"] for s in detail.sources] == ["https://example.org/source"]
    assert [(d["kind"], d["title"]) for d in detail.documents] == [
        ("official_text", "Official gazette")
    ]
    assert [s.status for s in detail.statuses] == ["in_force"]
    assert detail.evaluations == [published["evaluation"]]
    assert [c.kind for c in detail.changes] == ["evaluation_published", "added"]
    assert "Not yet checked against the official text" in content
    assert 'lang="es">Ley de protección</p>' in content


def test_browse_filters_search_and_reports_a_bad_filter(client, published):
    found = client.get(_url("instrument-list"), {"q": "colombia", "status": "in_force"})
    bad = client.get(_url("instrument-list"), {"year": "dozen"})

    assert [i.key for i in found.context["instruments"]] == ["co-law-1"]
    assert bad.status_code == 422
    assert len(bad.context["instruments"]) == 3  # the bad filter is dropped, the list stays


def test_browse_pages_by_key_without_counting(client):
    make_instruments(55)

    first = client.get(_url("instrument-list"))
    second = client.get(_url("instrument-list"), {"after": first.context["page"].next_after})

    assert len(first.context["instruments"]) == 50
    assert len(second.context["instruments"]) == 5
    assert second.context["page"].next_after is None
    keys = [i.key for i in first.context["instruments"]] + [
        i.key for i in second.context["instruments"]
    ]
    assert len(set(keys)) == 55
    assert "after=" in first.content.decode()


def test_the_country_profile(client, published):
    response = client.get(_url("country-detail", "CO"))
    profile = response.context["profile"]

    assert response.context["country_name"] == "Colombia"
    assert [i.key for i in profile.in_force] == ["co-law-1"]
    assert [i.key for i in profile.applicable] == ["int-decl-1"]
    assert response.context["first"].key == "co-law-1"


def test_the_country_profile_shows_criminalisation_figures_and_follows_them(
    client, published, organisation
):
    from amparo.desk.tests.factories import make_defender
    from amparo.trials.tests.factories import make_case

    url = _url("country-detail", "CO")
    first = client.get(url)
    make_case(make_defender(organisation, "Marta"), country="CO")

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert "Criminalisation of defenders" in first.content.decode()
    assert first.context["criminalisation"].total == 0
    # A new case changes the page's ETag although the observatory's data did not change.
    assert again.status_code == 200
    assert again.context["criminalisation"].total == 1
    assert client.get(url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_a_country_with_nothing_recorded_has_a_profile_too(client, published):
    services.sync_countries()

    response = client.get(_url("country-detail", "FR"))

    assert response.status_code == 200
    assert response.context["state"] == "none"


def test_the_timeline_draws_each_country_and_lists_the_same_instruments(client, published):
    make_instrument("co-law-2", adopted_on=date(1997, 1, 1), precision="year")

    response = client.get(_url("timeline"))
    content = response.content.decode()

    assert [row.code for row in response.context["rows"]] == ["CO", "KE"]
    assert [i.key for i in response.context["rows"][0].instruments] == ["co-law-2", "co-law-1"]
    assert content.count("<circle") == 3
    assert content.count('<th scope="row">Colombia') == 2


def test_the_evaluation_page_shows_scores_and_unscored_criteria(client, published):
    response = client.get(_url("evaluation-detail", published["evaluation"].pk))
    content = response.content.decode()

    assert (response.context["scored"], response.context["total"]) == (2, 3)
    assert content.count("Unscored") >= 1
    assert "Article 1 says so (norm-rank)." in content
    assert "Fictional demo data" not in content


def test_a_demo_evaluation_says_it_is_fiction(client, published, settings):
    settings.DEBUG = True
    demo = make_evaluation(published["framework"], code="KE", is_demo=True)

    response = client.get(_url("evaluation-detail", demo.pk))

    assert "Fictional demo data." in response.content.decode()


def test_the_instruments_csv_keeps_the_seed_columns_and_licence(client, published):
    response = client.get(_url("download", "instruments", "csv"))

    rows = list(csv.DictReader(io.StringIO(_content(response))))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'rel="license"' in response["Link"]
    assert [row["key"] for row in rows] == ["co-law-1", "int-decl-1", "ke-bill-1"]
    assert rows[0]["title_en"] == "Protection law of Colombia"
    assert (rows[0]["source_url"], rows[0]["confidence"], rows[0]["adopted_on"]) == (
        "https://example.org/source",
        "confirmed",
        "2012-06-25",
    )


def test_the_json_downloads_carry_the_licence_and_every_record(client, published):
    instruments = json.loads(_content(client.get(_url("download", "instruments", "json"))))
    evaluations = json.loads(_content(client.get(_url("download", "evaluations", "json"))))
    countries = json.loads(_content(client.get(_url("download", "countries", "json"))))

    assert (instruments["licence"], instruments["dataset"]) == ("CC BY 4.0", "instruments")
    assert [i["key"] for i in instruments["items"]] == ["co-law-1", "int-decl-1", "ke-bill-1"]
    assert instruments["items"][0]["sources"][0]["confidence"] == "confirmed"
    assert [(e["instrument_key"], len(e["scores"])) for e in evaluations["items"]] == [
        ("co-law-1", 2)
    ]
    by_code = {c["code"]: c for c in countries["items"]}
    assert len(by_code) == 2  # only countries that exist as rows (made by the factories)
    assert by_code["CO"]["policy_state"] == "binding_in_force"
    assert by_code["CO"]["names"]["es"] == "Colombia"


# --- query counts: the same at 1 and at 50 rows ---


def _seed_rows(rows: int) -> dict[str, object]:
    codes = ["CO", "BR", "MX", "KE", "PE"]
    instruments = [
        make_instrument(
            f"x-{n:03d}",
            code=codes[n % len(codes)],
            adopted_on=date(1995 + n % 30, 1 + n % 12, 1),
            title=f"Instrument {n}",
        )
        for n in range(rows)
    ]
    framework = make_framework()
    evaluation = make_evaluation(framework, instrument=instruments[0])
    for other in instruments[1:]:
        services.relate_instruments(
            instrument=other, kind="implements", related=instruments[0], actor=None
        )
    return {"first": instruments[0], "framework": framework, "evaluation": evaluation}


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(
    ("page", "queries"),
    [
        ("home", 5),  # version, overview, latest, their titles, framework
        ("instrument-list", 5),  # version, countries, languages, page, titles
        ("instrument-detail", 8),  # version, instrument, relations, titles, statuses,
        # sources and documents (one UNION), change log, evaluations
        # version, country, instruments, titles, narrative, evaluations; the criminalisation
        # figures' version (ETag), cases, charges
        ("country-detail", 9),
        ("timeline", 3),  # version, instruments, titles
        ("evaluation-detail", 7),  # version, evaluation, title, scores, axes, criteria, versions
        ("framework-detail", 4),  # version, framework, axes, criteria
        ("open-data", 1),  # version
        ("instruments.csv", 2),  # version, instruments (streamed)
        ("instruments.json", 4),  # version, instruments, translations, sources
        ("evaluations.json", 3),  # version, evaluations, scores
        ("countries.csv", 3),  # version, overview, countries
    ],
)
def test_query_count_is_flat(client, django_assert_num_queries, rows, page, queries):
    seeded = _seed_rows(rows)
    urls = {
        "home": _url("home"),
        "instrument-list": _url("instrument-list"),
        "instrument-detail": _url("instrument-detail", seeded["first"].key),
        "country-detail": _url("country-detail", "CO"),
        "timeline": _url("timeline"),
        "evaluation-detail": _url("evaluation-detail", seeded["evaluation"].pk),
        "framework-detail": _url("framework-detail", seeded["framework"].key, 1),
        "open-data": _url("open-data"),
        "instruments.csv": _url("download", "instruments", "csv"),
        "instruments.json": _url("download", "instruments", "json"),
        "evaluations.json": _url("download", "evaluations", "json"),
        "countries.csv": _url("download", "countries", "csv"),
    }

    with django_assert_num_queries(queries):
        response = client.get(urls[page])
        _content(response)

    assert response.status_code == 200


def test_a_signed_in_reader_costs_two_queries_more_within_the_budget(
    client, django_assert_num_queries, desk_officer
):
    seeded = _seed_rows(50)
    login_fresh(client, desk_officer)
    url = _url("instrument-detail", seeded["first"].key)
    client.get(url)

    with django_assert_num_queries(10):  # the session and the memberships, then the page's 8
        response = client.get(url)

    assert response.status_code == 200


def test_the_next_page_adds_one_query_for_its_cursor(client, django_assert_num_queries):
    make_instruments(51)
    first = client.get(_url("instrument-list")).context["page"]

    with django_assert_num_queries(6):
        response = client.get(_url("instrument-list"), {"after": first.next_after})

    assert len(response.context["instruments"]) == 1


# --- page weight (PERFORMANCE.md 1; bench/budgets.toml observatory-map and -chart) ---


@pytest.mark.parametrize(
    ("page", "budget"),
    [
        ("home", 90_000),
        ("instrument-list", 40_000),
        ("instrument-detail", 40_000),
        ("country-detail", 40_000),
        ("timeline", 40_000),
    ],
)
def test_pages_fit_their_budget_with_fifty_rows(client, page, budget):
    seeded = _seed_rows(50)
    url = {
        "home": _url("home"),
        "instrument-list": _url("instrument-list"),
        "instrument-detail": _url("instrument-detail", seeded["first"].key),
        "country-detail": _url("country-detail", "CO"),
        "timeline": _url("timeline"),
    }[page]

    weight = weigh(client.get(url).content)

    assert 0 < weight.html_gzip <= budget
    assert weight.missing == []
    assert weight.css <= 15_000
    assert weight.js <= 25_000
    assert [a.url for a in weight.assets if not a.url.startswith("/static/")] == []


def test_anonymous_pages_set_no_session(published):
    client = Client()

    client.get(_url("home"))

    assert "amparo_session" not in " ".join(client.cookies.keys())
