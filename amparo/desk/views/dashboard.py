"""The desk's dashboard and the lead's reports."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amparo.accounts.models import User
from amparo.core.pages import user_of
from amparo.desk import dashboard_rows, queries, reports, rules
from amparo.desk.enums import PRIORITY_ORDER, Priority
from amparo.desk.rows import desk_nav
from amparo.desk.views.common import desk_staff
from amparo.incidents import queries as incident_queries
from amparo.incidents.models import Incident
from amparo.risk.queries import analyses_due_for

DASHBOARD_ROWS = queries.DASHBOARD_ROWS


# --- the desk's dashboard and reports ---


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Open cases by priority, overdue follow-ups, analyses due for review, recent incidents,
    cases without a current plan, mechanism risk studies that differ from our analysis (DESK-3).
    Codes, states and dates only: nothing is decrypted."""
    user = user_of(request)
    desk_staff(user)
    counts = queries.open_by_priority(user)
    context = {
        "by_priority": [
            {"priority": p, "label": Priority(p).label, "count": counts.get(p, 0)}
            for p in PRIORITY_ORDER
        ],
        "open_total": sum(counts.values()),
        "overdue": queries.overdue_for_dashboard(user),
        "analyses_due": analyses_due_for(user, limit=DASHBOARD_ROWS),
        "recent_incidents": _recent_incidents(user),
        "without_plan": queries.without_plan_for_dashboard(user),
        "diverging": queries.diverging_for_dashboard(user),
        "desk_nav": desk_nav(),
    }
    context.update(dashboard_rows.cards(context))
    return render(request, "desk/dashboard.html", context)


#: What a recent incident's card shows: the register's list columns and the listing date.
_RECENT_COLUMNS = (*incident_queries.LIST_FIELDS, "listed_on")


def _recent_incidents(user: User) -> list[Incident]:
    """The register's first page, as its list reads it: narrowed to the registers the desk
    keeps when that is all the person sees (`desk_only`), which the list index serves in
    order. The whole visible set, ordered, made SQLite sort a 100k-incident register on every
    visit (270 ms in the bench)."""
    page = incident_queries.register_page(
        incident_queries.register_for(user),
        incident_queries.IncidentFilters(),
        after=None,
        size=DASHBOARD_ROWS,
        columns=_RECENT_COLUMNS,
    )
    return page.rows


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """The lead's counts; `?shared=1` suppresses small counts, `?format=csv` downloads."""
    user = user_of(request)
    if not rules.can_read_reports(user):
        raise PermissionDenied
    period = reports.Period.from_query(request.GET)
    shared = request.GET.get("shared") == "1"
    tables = reports.desk_report(user, period, shared=shared)
    if request.GET.get("format") == "csv":
        return reports.csv_response(tables, period, shared=shared)
    context = {"tables": tables, "period": period, "shared": shared}
    return render(request, "desk/report.html", context)
