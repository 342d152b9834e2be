"""The public change log of the whole observatory: what was added, corrected, withdrawn or
published, newest first. Who did it stays in the audit log (ADR 0022)."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from amparo.observatory import queries
from amparo.observatory.caching import public_page

PAGE_SIZE = 50


@public_page
def change_log(request: HttpRequest) -> HttpResponse:
    # Entries are written as things happen, so the id orders them in time, and its index
    # serves the keyset.
    entries = (
        queries.public_changes()
        .filter(Q(instrument__isnull=True) | Q(instrument__first_published_at__isnull=False))
        .select_related("instrument", "country", "evaluation", "framework")
        .order_by("-id")
    )
    after = request.GET.get("after", "")
    if after.isdigit():
        entries = entries.filter(id__lt=int(after))
    rows = list(entries[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    language = (translation.get_language() or "en").split("-")[0]
    queries.attach_titles([e.instrument for e in rows if e.instrument], language)
    context = {
        "entries": rows,
        "next_after": rows[-1].pk if more else None,
        "is_first": not after,
        "section": "changes",
    }
    return render(request, "observatory/change_log.html", context)
