"""Public pages (under /<lang>/criminalisation/): aggregated, anonymised statistics with SVG
charts and a CSV download, and the published versions of observation reports."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import condition, require_safe

from amparo.core.pagecache import rendered
from amparo.observatory.caching import fingerprint
from amparo.trials import charts, checklist, queries
from amparo.trials.enums import Finding
from amparo.trials.statistics import SUPPRESS_BELOW, Figure

MAX_AGE = 300
Response = TypeVar("Response", bound=HttpResponseBase)
APP = Path(__file__).resolve().parent


def group_titles() -> dict[str, str]:
    return {
        "country": _("Cases by country"),
        "charge": _("Cases by kind of charge"),
        "initiator": _("Cases by who initiated them"),
        "pattern": _("Cases by pattern of judicial harassment"),
        "outcome": _("Cases by outcome"),
        "duration": _("Cases by duration of the proceedings"),
        "year": _("Cases by year the proceedings opened"),
        "detention_kind": _("Cases by kind of detention"),
        "pre_trial_country": _("Cases with pre-trial detention by country"),
        "pre_trial_year": _("Cases with pre-trial detention by year it began"),
        "detention_time": _("Cases by time spent in detention"),
    }


def _public(response: Response) -> Response:
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def figures_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    """The statistics page and CSV change with the figures, the release, the language (the
    path holds it) and whether the reader is signed in (the layout differs). A reader or a
    cache with the current copy gets a 304 without the figures being counted again."""
    known: str | None = getattr(request, "_trials_figures_tag", None)
    if known is not None:  # asked twice per request: the conditional GET, then the page cache
        return known
    signed_in = bool(getattr(request, "user", None) and request.user.is_authenticated)
    raw = "|".join(
        [
            queries.public_version(),
            fingerprint(APP),
            translation.get_language() or "",
            str(int(signed_in)),
            request.get_full_path(),
        ]
    )
    known = 'W/"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'
    request._trials_figures_tag = known  # type: ignore[attr-defined]
    return known


def not_shown() -> str:
    # Translators: in a table or chart of public statistics, in place of a count withheld to
    # protect the people concerned (a small count, or one that would give a small one away).
    return pgettext("withheld count", "not shown")


def _charted(groups: list[tuple[str, list[Figure]]]) -> list[dict[str, Any]]:
    """Each non-empty group with its title and its SVG chart (the table is in the template)."""
    titles = group_titles()
    hidden = not_shown()
    return [
        {
            "key": key,
            "title": titles[key],
            "figures": rows,
            "chart": charts.bar_chart(
                rows,
                title=titles[key],
                description=_("Bar chart; the table below gives the same numbers."),
                hidden=hidden,
            ),
        }
        for key, rows in groups
        if rows
    ]


def _stats(request: HttpRequest) -> HttpResponse:
    figures = queries.statistics()
    context = {
        "total": figures.total,
        "total_withheld": figures.total_withheld,
        "groups": _charted(figures.case_groups()),
        "detention_groups": _charted(figures.detention_groups()),
        "reports": list(queries.published_reports()[:10]),
        "threshold": SUPPRESS_BELOW,
        "largest_hidden": SUPPRESS_BELOW - 1,
        "not_shown": not_shown(),
    }
    return render(request, "trials/public_stats.html", context)


@login_not_required
@require_safe
@condition(etag_func=figures_etag)
def stats(request: HttpRequest) -> HttpResponseBase:
    """The statistics page, kept rendered for anonymous readers under its ETag (ADR 0047)."""
    return _public(_kept_stats(request))


_kept_stats = rendered(_stats, figures_etag)


@login_not_required
@require_safe
@condition(etag_func=figures_etag)
def stats_csv(request: HttpRequest) -> HttpResponse:
    """The same figures as the page; a withheld count is left empty (ADR 0060)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["dimension", "code", "label", "cases"])
    for key, rows in queries.statistics().groups():
        for figure in rows:
            shown = "" if figure.withheld else figure.count
            writer.writerow([key, figure.code, str(figure.label), shown])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="criminalisation.csv"'
    return _public(response)


@login_not_required
@require_safe
def report_public(request: HttpRequest, report_id: UUID) -> HttpResponse:
    """A published report: its public title and text, and what the approver chose to show."""
    report = queries.get_published_report(report_id)
    rows = []
    labels = dict(Finding.choices)
    if report.public_shows_findings:
        found = dict(report.mission.assessments.values_list("criterion", "finding"))
        rows = [
            {
                "criterion": c,
                "phase": checklist.PHASES[c.phase],
                "finding_label": labels.get(found.get(c.key, ""), "—"),
            }
            for c in checklist.CHECKLIST
        ]
    case = report.mission.hearing.case
    context = {"report": report, "rows": rows, "case": case, "hearing": report.mission.hearing}
    return _public(render(request, "trials/public_report.html", context))
