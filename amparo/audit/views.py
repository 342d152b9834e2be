"""Reading the audit log: an organisation's chain for its admins, and for everyone the
list of who opened records about them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amparo.audit import queries
from amparo.audit.forms import AuditFilterForm
from amparo.audit.rows import event_rows
from amparo.core.pages import user_of

PAGE_SIZE = 50


@require_GET
def organisation_log(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    organisation = queries.get_audit_organisation_for_user(request.user, organisation_id)
    form = AuditFilterForm(
        request.GET or None, people=queries.log_people(request.user, organisation)
    )
    filters: dict[str, Any] = {}
    before = None
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "action": data["action"],
            "actor_id": UUID(data["actor"]) if data["actor"] else None,
            "since": data["since"],
            "until": data["until"],
        }
        before = data["before"]
    rows, next_before = queries.organisation_log_page(
        request.user, organisation, before=before, size=PAGE_SIZE, **filters
    )
    query = request.GET.copy()
    if next_before:
        query["before"] = str(next_before)
    context = {
        "organisation": organisation,
        "form": form,
        "events": rows,
        "event_rows": event_rows(rows),
        "next_query": query.urlencode() if next_before else "",
    }
    return render(request, "audit/organisation_log.html", context, status=200)


@require_GET
def reads_about_me(request: HttpRequest) -> HttpResponse:
    before_raw = request.GET.get("before", "")
    before = int(before_raw) if before_raw.isdigit() else None
    found = queries.reads_about_page(user_of(request), before)
    rows = found[: queries.READS_PAGE]
    next_before = rows[-1].pk if len(found) > queries.READS_PAGE else None
    context = {"events": rows, "next_before": next_before}
    return render(request, "audit/reads_about_me.html", context)
