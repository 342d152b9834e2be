"""The public pages of the Focus Observatory: no sign-in, server-rendered, no JavaScript
needed, conditional GET (caching.public_page). Everything loads through queries.py, which
shows published records only."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from amparo.observatory import opendata, queries, svg
from amparo.observatory.caching import public_page, public_page_also, saves_data
from amparo.observatory.enums import (
    AREA_LABELS,
    INSTRUMENT_STATE_LABELS,
    POLICY_STATE_ORDER,
    PolicyState,
    state_class,
)
from amparo.observatory.forms import BrowseForm, TimelineForm
from amparo.observatory.geography import country_name
from amparo.trials.queries import country_figures, figures_version

PAGE_SIZE = 50
LATEST = 6
CODE = re.compile(r"^[A-Z]{2}$")


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def _legend() -> list[dict[str, Any]]:
    return [
        {"state": state, "class": state_class(state), "label": state.label}
        for state in POLICY_STATE_ORDER
    ]


@public_page
def home(request: HttpRequest) -> HttpResponse:
    overview = queries.overview()
    latest = queries.latest_additions(LATEST)
    queries.attach_titles(latest, _language())
    ranked = overview.ranked
    states = {c.code: c.state.value for c in ranked}
    context = {
        # With Save-Data, the map gives way to its table (PERFORMANCE.md 1).
        "map": None if saves_data(request) else svg.world_map(states, language=_language()),
        "ranked": ranked,
        "legend": _legend(),
        "counts": {state: len(overview.in_state(state)) for state in PolicyState},
        "figures": {
            "countries": len(overview.countries),
            "in_force": len(overview.in_state(PolicyState.BINDING_IN_FORCE)),
            "instruments": overview.instruments,
            "international": overview.international,
        },
        "latest": latest,
        "framework": queries.current_framework(),
        "section": "home",
    }
    return render(request, "observatory/home.html", context)


@public_page
def instrument_list(request: HttpRequest) -> HttpResponse:
    form = BrowseForm(
        request.GET or None,
        countries=queries.listed_countries(),
        languages=queries.recorded_languages(),
    )
    filters = form.filters()
    instruments = queries.filter_instruments(queries.public_instruments(), filters)
    page = queries.keyset_page(instruments, after=request.GET.get("after") or None, size=PAGE_SIZE)
    queries.attach_titles(page.rows, _language())
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "form": form,
        "page": page,
        "instruments": page.rows,
        "query": query.urlencode(),
        "filtered": form.is_filtered,
        "section": "instruments",
    }
    return render(
        request, "observatory/instrument_list.html", context, status=422 if form.errors else 200
    )


@public_page
def instrument_detail(request: HttpRequest, key: str) -> HttpResponse:
    instrument = queries.get_public_instrument(key)
    detail = queries.instrument_detail(instrument, _language())
    return render(
        request, "observatory/instrument_detail.html", {"detail": detail, "i": instrument}
    )


def _criminalisation_version(request: HttpRequest, code: str) -> str:
    return figures_version(code) if CODE.match(code) else ""


@public_page_also(_criminalisation_version)
def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    if not CODE.match(code):
        raise Http404
    country = queries.get_country(code)
    profile = queries.country_profile(country, _language())
    dated = [i for i in profile.in_force + profile.others if i.adopted_on]
    context = {
        "profile": profile,
        "country_name": country_name(country.code),
        "state": profile.summary.state,
        "state_class": state_class(profile.summary.state),
        "first": min(dated, key=lambda i: i.listed_on) if dated else None,
        "latest": max(dated, key=lambda i: i.listed_on) if dated else None,
        "region_label": AREA_LABELS.get(country.subregion, ""),
        # Issue 7: the country's criminalisation figures (Tier-2 codes only, small counts
        # suppressed), counted by the trials module through its own query.
        "criminalisation": country_figures(country.code),
    }
    return render(request, "observatory/country_detail.html", context)


@public_page
def timeline(request: HttpRequest) -> HttpResponse:
    form = TimelineForm(request.GET or None)
    instruments, truncated = queries.timeline(form.chosen_area())
    queries.attach_titles(instruments, _language())
    rows = svg.timeline_rows(instruments, _language())
    context = {
        "form": form,
        "rows": rows,
        "chart": svg.timeline_chart(rows, end_year=timezone.localdate().year),
        "truncated": truncated,
        "limit": queries.TIMELINE_LIMIT,
        "legend": [
            {"class": state_class(state), "label": label}
            for state, label in INSTRUMENT_STATE_LABELS.items()
        ],
        "section": "timeline",
    }
    return render(request, "observatory/timeline.html", context)


@public_page
def evaluation_detail(request: HttpRequest, evaluation_id: UUID) -> HttpResponse:
    evaluation = queries.get_public_evaluation(evaluation_id)
    if evaluation.instrument:
        queries.attach_titles([evaluation.instrument], _language())
    scores = queries.scores_of([evaluation]).get(evaluation.pk, [])
    axes = queries.framework_tree(evaluation.framework)
    by_criterion = {score.criterion_id: score for score in scores}
    rows = [
        {
            "axis": axis,
            "criteria": [
                (criterion, by_criterion.get(criterion.pk)) for criterion in axis.criteria.all()
            ],
        }
        for axis in axes
    ]
    context = {
        "evaluation": evaluation,
        "rows": rows,
        "scored": len(scores),
        "total": sum(len(row["criteria"]) for row in rows),
        "versions": queries.versions_of(evaluation),
        "language": _language(),
    }
    return render(request, "observatory/evaluation_detail.html", context)


@public_page
def framework_detail(request: HttpRequest, key: str, version: int) -> HttpResponse:
    framework = queries.get_public_framework(key, version)
    context = {
        "framework": framework,
        "axes": queries.framework_tree(framework),
        "language": _language(),
    }
    return render(request, "observatory/framework_detail.html", context)


@public_page
def open_data(request: HttpRequest) -> HttpResponse:
    context = {
        "datasets": [
            (name, label, [(fmt, fmt.upper()) for fmt in ("csv", "json")])
            for name, label in DATASET_LABELS.items()
        ],
        "licence": opendata.LICENCE,
        "licence_url": opendata.LICENCE_URL,
        "section": "data",
    }
    return render(request, "observatory/open_data.html", context)


DATASET_LABELS = {
    "countries": translation.gettext_lazy("Countries and the state of their policy"),
    "instruments": translation.gettext_lazy("Policy instruments"),
    "evaluations": translation.gettext_lazy("Evaluations, one row per score"),
}


@public_page
def download(request: HttpRequest, dataset: str, fmt: str) -> StreamingHttpResponse:
    if dataset not in opendata.DATASETS or fmt not in ("csv", "json"):
        raise Http404
    if fmt == "csv":
        content_type = "text/csv; charset=utf-8"
        chunks = opendata.csv_chunks(dataset)
    else:
        content_type = "application/json"
        chunks = iter(opendata.json_chunks(dataset))
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="amparo-observatory-{dataset}.{fmt}"'
    response["Link"] = f'<{opendata.LICENCE_URL}>; rel="license"'
    return response
