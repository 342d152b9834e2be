"""Compare countries: the latest published evaluation of each country's policy, criterion by
criterion (unscored is not absent), the instruments in force, a shareable and validated
address, a CSV of the same table, and the same queries for two countries as for six."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from amparo.observatory import compare
from amparo.observatory.enums import PolicyState
from amparo.observatory.models import Criterion
from amparo.observatory.tests.factories import (
    make_evaluation,
    make_framework,
    make_instrument,
)
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

CANARY = "OBSDRAFTCANARY-c0mp"


def _url(name: str = "compare", *codes: str, language: str = "en") -> str:
    with translation.override(language):
        path = reverse(f"observatory:{name}")
    return path + ("?" + "&".join(f"c={code}" for code in codes) if codes else "")


@pytest.fixture
def world():
    """Colombia: a law in force and a published evaluation. Mexico: two evaluations, the
    newer one published later. Kenya: a bill and no evaluation (a draft one must stay
    hidden). A draft instrument that must never show."""
    co_law = make_instrument("co-law-1", title="Colombian protection law")
    make_instrument(
        "mx-law-1", code="MX", title="Mexican protection law", adopted_on=date(2012, 6, 25)
    )
    make_instrument(
        "ke-bill-1", code="KE", instrument_type="bill", status="draft", title="Kenyan bill"
    )
    make_instrument("co-draft-1", title=CANARY, published=False)
    framework = make_framework()
    co = make_evaluation(
        framework,
        code="CO",
        scores={"norm-rank": "strong", "budget-line": "weak"},
        evaluated_on=date(2025, 1, 10),
    )
    older = make_evaluation(
        framework, code="MX", scores={"norm-rank": "weak"}, evaluated_on=date(2023, 1, 1)
    )
    newer = make_evaluation(
        framework,
        code="MX",
        scores={"norm-rank": "partial", "recognition": "absent"},
        evaluated_on=date(2025, 3, 1),
    )
    make_evaluation(framework, code="KE", scores={"norm-rank": "strong"}, published=False)
    return {"co_law": co_law, "framework": framework, "co": co, "mx_old": older, "mx": newer}


# --- the comparison itself ---


def test_each_country_is_compared_on_its_latest_published_evaluation(world):
    comparison = compare.compare(["MX", "CO", "KE"], "en")

    assert comparison.codes == ["MX", "CO", "KE"]  # the reader's order
    assert [column.evaluation for column in comparison.columns] == [world["mx"], world["co"], None]
    assert comparison.framework == world["framework"]


def test_unscored_and_unevaluated_criteria_are_not_evaluated_never_absent(world):
    comparison = compare.compare(["CO", "MX", "KE"], "en")

    table = {
        row.criterion.key: [cell.score.score if cell.score else None for cell in row.cells]
        for group in comparison.groups
        for row in group.rows
    }
    assert table == {
        "norm-rank": ["strong", "partial", None],
        "recognition": [None, "absent", None],
        "budget-line": ["weak", None, None],
    }
    assert [group.axis.key for group in comparison.groups] == ["legal-basis", "budget"]


def test_the_policy_state_and_the_instruments_in_force(world):
    comparison = compare.compare(["CO", "KE"], "en")
    colombia, kenya = comparison.columns

    assert (colombia.state, [i.key for i in colombia.in_force]) == (
        PolicyState.BINDING_IN_FORCE,
        ["co-law-1"],
    )
    assert colombia.in_force[0].title == "Colombian protection law"
    assert (kenya.state, kenya.in_force, kenya.in_force_total) == (PolicyState.PROCESS, [], 0)


def test_only_the_first_instruments_in_force_are_listed_national_first(world):
    for n in range(compare.IN_FORCE_SHOWN + 1):
        make_instrument(f"co-law-x{n}", adopted_on=date(2000 + n, 1, 1), title=f"Law {n}")
    make_instrument(
        "co-sub-1", level="subnational", subdivision="Cauca", adopted_on=date(2024, 1, 1)
    )

    colombia = compare.compare(["CO", "MX"], "en").columns[0]

    assert len(colombia.in_force) == compare.IN_FORCE_SHOWN
    assert colombia.in_force_total == compare.IN_FORCE_SHOWN + 3
    assert colombia.more_in_force == 3
    assert colombia.in_force[0].key == "co-law-1"  # national first, newest first
    assert "co-sub-1" not in [i.key for i in colombia.in_force]


def test_an_evaluation_of_a_superseded_framework_is_not_compared(world):
    framework = make_framework(version=2)  # publishing it supersedes version 1

    comparison = compare.compare(["CO", "MX"], "en")

    assert comparison.framework == framework
    assert [column.evaluation for column in comparison.columns] == [None, None]


def test_a_demo_evaluation_is_compared_only_in_debug(world, settings):
    demo = make_evaluation(world["framework"], code="KE", is_demo=True)

    hidden = compare.compare(["CO", "KE"], "en").columns[1].evaluation
    settings.DEBUG = True
    shown = compare.compare(["CO", "KE"], "en")

    assert hidden is None
    assert (shown.columns[1].evaluation, shown.has_demo) == (demo, True)


def test_comparable_countries_have_instruments_or_evaluations(world):
    make_evaluation(world["framework"], code="PE", scores={"norm-rank": "weak"})

    assert compare.comparable_countries() == [
        ("CO", "Colombia"),
        ("KE", "Kenya"),
        ("MX", "Mexico"),
        ("PE", "Peru"),
    ]


# --- the page ---


def test_the_page_compares_with_evidence_and_sources(client, world):
    response = client.get(_url("compare", "CO", "MX", "KE"))
    content = response.content.decode()

    assert response.status_code == 200
    assert response.context["comparison"].codes == ["CO", "MX", "KE"]
    assert "Article 1 says so (norm-rank)." in content
    assert 'href="https://example.org/evidence"' in content
    # Three criteria by three countries, four scores: five cells are not evaluated.
    assert content.count('class="obs-score obs-score-none">Not evaluated') == 5
    assert content.count('scope="rowgroup" colspan="4"') == 2
    assert content.count('<th scope="col">Colombia</th>') == 1
    assert "Colombian protection law" in content
    assert CANARY not in content
    assert "No published evaluation of this country" in content  # Kenya's draft stays hidden


def test_without_countries_the_page_offers_the_choice(client, world):
    response = client.get(_url())
    content = response.content.decode()

    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert "<details open>" in content
    assert 'name="c" value="CO" id="c-CO">' in content  # listed, not chosen
    assert 'role="alert"' not in content


@pytest.mark.parametrize(
    ("codes", "message", "kept"),
    [
        (["CO", "XX"], "There is no country with the code XX. Choose from the list below.", ["CO"]),
        (["co", "zz", "qq"], "There are no countries with the codes ZZ, QQ.", ["CO"]),
        (["CO"], "Choose at least two countries to compare.", ["CO"]),
        (
            ["CO", "MX", "KE", "PE", "BR", "GT", "HN"],
            "Choose at most six countries; you chose 7.",
            ["CO", "MX", "KE", "PE", "BR", "GT", "HN"],
        ),
    ],
)
def test_a_bad_choice_is_explained_and_what_was_chosen_is_kept(client, world, codes, message, kept):
    response = client.get(_url("compare", *codes))
    content = response.content.decode()

    assert response.status_code == 422
    assert response.context["comparison"] is None
    assert message in content
    assert [code for code in kept if f'value="{code}" id="c-{code}" checked' in content] == kept


def test_codes_in_any_case_and_repeated_are_read_once(client, world):
    response = client.get(_url("compare", "co", "mx", "CO"))

    assert response.status_code == 200
    assert response.context["comparison"].codes == ["CO", "MX"]


def test_a_known_country_without_records_can_be_compared_through_its_address(client, world):
    response = client.get(_url("compare", "CO", "FR"))
    content = response.content.decode()

    assert response.status_code == 200
    france = response.context["comparison"].columns[1]
    assert (france.name, france.state, france.evaluation) == ("France", "none", None)
    assert 'value="FR" id="c-FR" checked' in content


def test_the_shared_address_gives_the_same_comparison(client, world, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # the second reader's page is rendered, to look in
    first = client.get(_url("compare", "MX", "CO"))
    share = first.context["share_path"]

    again = Client().get(share)

    assert share == _url("compare", "MX", "CO")
    assert f'href="{share.replace("&", "&amp;")}"' in first.content.decode()
    assert again.context["comparison"].codes == ["MX", "CO"]
    assert [c.evaluation for c in again.context["comparison"].columns] == [
        world["mx"],
        world["co"],
    ]


def test_the_page_is_shared_in_its_language(client, world):
    response = client.get(_url("compare", "CO", "MX", language="es"))

    assert response.context["share_path"].startswith("/es/")
    assert '<html lang="es"' in response.content.decode()


def test_the_page_is_public_cacheable_and_sets_no_session(world):
    client = Client()
    url = _url("compare", "CO", "MX")

    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert "max-age=300" in first["Cache-Control"]
    assert (again.status_code, again.content) == (304, b"")
    assert "amparo_session" not in " ".join(client.cookies.keys())


def test_signed_in_readers_get_the_same_table_not_stored(client, world, desk_officer):
    login_fresh(client, desk_officer)

    response = client.get(_url("compare", "CO", "MX"))

    assert response.context["comparison"].codes == ["CO", "MX"]
    assert "no-store" in response["Cache-Control"]


def test_the_print_layout_is_linked_and_the_form_folds_away(client, world):
    content = client.get(_url("compare", "CO", "MX")).content.decode()

    assert "/static/observatory/tools" in content
    assert "/static/observatory/print" in content
    assert "data-print hidden" in content
    assert "<details open>" not in content


# --- the CSV ---


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_csv_holds_the_same_table(client, world, settings):
    settings.SITE_URL = "https://amparo.example.org"
    world["co"].scores.filter(criterion__key="norm-rank").update(source_instrument=world["co_law"])

    response = client.get(_url("compare-csv", "CO", "MX", "KE"))
    rows = _csv(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="amparo-observatory-comparison-CO-MX-KE.csv"'
    )
    assert 'rel="license"' in response["Link"]
    assert list(rows[0]) == [
        "axis_key",
        "axis",
        "criterion_key",
        "criterion",
        "CO_score",
        "CO_evidence",
        "CO_source",
        "MX_score",
        "MX_evidence",
        "MX_source",
        "KE_score",
        "KE_evidence",
        "KE_source",
    ]
    assert [(r["criterion_key"], r["CO_score"], r["MX_score"], r["KE_score"]) for r in rows] == [
        ("norm-rank", "strong", "partial", "not_evaluated"),
        ("recognition", "not_evaluated", "absent", "not_evaluated"),
        ("budget-line", "weak", "not_evaluated", "not_evaluated"),
    ]
    assert (rows[0]["CO_evidence"], rows[0]["CO_source"], rows[0]["MX_source"]) == (
        "Article 1 says so (norm-rank).",
        "https://example.org/evidence "
        "https://amparo.example.org/en/observatory/instruments/co-law-1/",
        "https://example.org/evidence",
    )


def test_the_csv_names_criteria_in_the_readers_language(client, world):
    Criterion.objects.filter(key="budget-line").update(i18n={"es": {"name": "Presupuesto"}})

    rows = _csv(client.get(_url("compare-csv", "CO", "MX", language="es")))

    assert [row["criterion"] for row in rows] == [
        "Rank of the norm",
        "Recognition",
        "Presupuesto",
    ]


def test_a_cell_a_spreadsheet_would_run_is_written_as_text(world):
    comparison = compare.compare(["CO", "MX"], "en")
    comparison.columns[0].scores[comparison.groups[0].rows[0].criterion.pk].evidence = "=1+1"

    lines = list(compare.csv_lines(comparison, language="en", base_url=""))

    assert lines[1][5] == "'=1+1"


def test_the_csv_of_a_bad_choice_is_the_page_with_its_error(client, world):
    nothing = client.get(_url("compare-csv"))
    unknown = client.get(_url("compare-csv", "CO", "XX"))

    assert (nothing.status_code, nothing["Content-Type"]) == (422, "text/html; charset=utf-8")
    assert "Choose at least two countries to compare." in nothing.content.decode()
    assert unknown.status_code == 422
    assert "There is no country with the code XX." in unknown.content.decode()


# --- queries: the same for two countries as for six ---


def _six_countries() -> list[str]:
    framework = make_framework()
    codes = ["CO", "MX", "KE", "PE", "BR", "GT"]
    for n, code in enumerate(codes):
        make_instrument(f"{code.lower()}-law-1", code=code, title=f"Law of {code}")
        make_instrument(f"{code.lower()}-law-2", code=code, adopted_on=date(2001 + n, 1, 1))
        source = make_instrument(f"{code.lower()}-decree-1", code=code, instrument_type="decree")
        evaluation = make_evaluation(framework, code=code, evaluated_on=date(2025, 1, 1 + n))
        evaluation.scores.update(source_instrument=source)
    return codes


@pytest.mark.parametrize("countries", [2, 6])
def test_query_count_is_the_same_for_two_and_six_countries(
    client, django_assert_num_queries, countries, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # the rendering's cost (test_page_cache: the hit's)
    codes = _six_countries()[:countries]
    url = _url("compare", *codes)
    client.get(url)

    # version, the choices, the framework and its criteria, the latest evaluations, their
    # scores, the policy states, the instruments in force, their titles
    with django_assert_num_queries(8):
        response = client.get(url)

    assert response.context["comparison"].codes == codes
    assert all(c.evaluation is not None for c in response.context["comparison"].columns)
    assert all(len(c.in_force) == 3 for c in response.context["comparison"].columns)


@pytest.mark.parametrize("countries", [2, 6])
def test_the_csv_costs_as_many_queries_for_two_and_six(
    client, django_assert_num_queries, countries
):
    codes = _six_countries()[:countries]
    url = _url("compare-csv", *codes)

    with django_assert_num_queries(8):
        response = client.get(url)

    assert len(_csv(response)) == 3


def test_six_countries_fit_the_chart_budget(client):
    from bench.weight import weigh

    codes = _six_countries()

    weight = weigh(client.get(_url("compare", *codes)).content)

    assert 0 < weight.html_gzip <= 40_000
    assert weight.missing == []
