"""The editors' import page: upload a file, follow its check, read the report, confirm, and
follow the writing. Both the check and the writing are background jobs (ADR 0035): a request
only keeps the file and queues them, so a file of any size answers at once.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.observatory import editor_queries, import_jobs
from amparo.observatory.editor_forms import ImportForm
from amparo.observatory.editor_views import _user
from amparo.observatory.models import InstrumentImport

#: Seconds between refreshes of a running import's page (without JavaScript; htmx polls at 2).
REFRESH_SECONDS = 5


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    editor_queries.require_editor(user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        row = import_jobs.start_import(owner=user, upload=form.cleaned_data["file"])
        return redirect("observatory:editor-import-detail", row.pk)
    context = {
        "form": form,
        "imports": editor_queries.recent_imports_of(user),
        "section": "import",
    }
    return render(
        request, "observatory/editor/import.html", context, status=422 if form.errors else 200
    )


def _detail(request: HttpRequest, row: InstrumentImport, *, status: int = 200) -> HttpResponse:
    context = {
        "row": row,
        "job": row.job,
        "refresh_seconds": REFRESH_SECONDS,
        "section": "import",
    }
    return render(request, "observatory/editor/import_detail.html", context, status=status)


@require_http_methods(["GET"])
def import_detail(request: HttpRequest, import_id: UUID) -> HttpResponse:
    return _detail(request, editor_queries.get_import_for_user(_user(request), import_id))


@require_POST
def import_confirm(request: HttpRequest, import_id: UUID) -> HttpResponse:
    user = _user(request)
    row = editor_queries.get_import_for_user(user, import_id)
    try:
        row = import_jobs.confirm_import(
            row=row, actor=user, submit=request.POST.get("submit") == "on"
        )
    except import_jobs.ImportRefused as error:
        messages.error(request, error.message)
        return _detail(request, row, status=409)
    messages.success(request, _("The import has started."))
    return redirect("observatory:editor-import-detail", row.pk)
