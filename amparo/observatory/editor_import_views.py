"""The editors' import page: upload a file, read the dry run's report, then confirm.

The file is checked whole on upload and nothing is written. Its rows wait in the cache for an
hour under a random token bound to the editor; confirming checks them again (someone may
have edited meanwhile) and writes them, as drafts or submitted for review. A file of more
than IMPORT_PAGE_LIMIT rows is reported the same way, and imported with the command
`manage.py observatory_import` (ADR 0024): a request is no place for a long write.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amparo.observatory import editor_queries, importing, services
from amparo.observatory.editor_forms import ImportForm
from amparo.observatory.editor_views import _user

IMPORT_PAGE_LIMIT = importing.BATCH
#: How long an uploaded file waits for its confirmation.
HOLD_SECONDS = 3600
#: Errors shown on the page; the count says how many more there are.
SHOWN_ERRORS = 500


def _cache_key(token: str) -> str:
    return f"observatory-import:{token}"


def _render(
    request: HttpRequest,
    *,
    form: ImportForm,
    report: Any = None,
    token: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "report": report,
        "errors": report.errors[:SHOWN_ERRORS] if report else [],
        "token": token,
        "limit": IMPORT_PAGE_LIMIT,
        "too_big": report is not None and report.rows > IMPORT_PAGE_LIMIT,
        "section": "import",
    }
    return render(request, "observatory/editor/import.html", context, status=status)


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    editor_queries.require_editor(user)
    if request.method == "POST" and request.POST.get("token"):
        return _confirm(request, user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _render(request, form=form, status=422 if form.errors else 200)
    upload = form.cleaned_data["file"]
    try:
        header, rows = importing.read_rows(upload, upload.name)
        held = list(rows)
    except importing.ImportFileError as error:
        form.add_error("file", str(error))
        return _render(request, form=form, status=422)
    report = importing.check(iter(held), header)
    token = ""
    if report.ok and report.rows <= IMPORT_PAGE_LIMIT and (report.new or report.changed):
        token = secrets.token_urlsafe(24)
        cache.set(
            _cache_key(token),
            {"user": str(user.pk), "header": header, "rows": held},
            HOLD_SECONDS,
        )
    return _render(request, form=ImportForm(), report=report, token=token)


def _confirm(request: HttpRequest, user: Any) -> HttpResponse:
    token = request.POST.get("token", "")
    held = cache.get(_cache_key(token))
    if not held or held.get("user") != str(user.pk):
        messages.error(request, _("This import is no longer waiting: upload the file again."))
        return redirect("observatory:editor-import")
    report = importing.check(iter(held["rows"]), held["header"])
    if not report.ok:
        # Someone changed an instrument meanwhile (it may now wait for review).
        return _render(request, form=ImportForm(), report=report, status=422)
    workflow = importing.Workflow(editor=user, submit=request.POST.get("submit") == "on")
    try:
        written = importing.commit(report, workflow)
    except services.ObservatoryError as error:
        messages.error(request, error.message)
        return redirect("observatory:editor-import")
    cache.delete(_cache_key(token))
    messages.success(
        request,
        _("%(count)s instruments were imported as drafts.") % {"count": written}
        if not workflow.submit
        else _("%(count)s instruments were imported and submitted for review.")
        % {"count": written},
    )
    return redirect("observatory:editor-dashboard")
