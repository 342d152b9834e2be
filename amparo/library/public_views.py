"""The public library (/<lang>/library/): no sign-in, server-rendered, no JavaScript needed.
Everything loads through queries.py, which shows published resources only.

Downloads count one per GET of a version, in one counter per version: no address, account,
cookie or time is stored with it. The request form is the desk's kind of public form
(ADR 0029): rate-limited per client address, a honeypot and a signed form token.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe
from django_ratelimit.core import is_ratelimited

from amparo.core import versions
from amparo.core.pagecache import versioned_page
from amparo.desk.public_views import client_key
from amparo.library import antispam, queries, services
from amparo.library.forms import SIGNING_SALT, BrowseForm, CopyRequestForm

PAGE_SIZE = 20
#: Posts per client address (django-ratelimit syntax).
RATE = "5/h"
#: Public pages may be cached briefly by browsers (signed-in readers get no-store anyway).
MAX_AGE = 300
#: A page of the published library: conditional, kept rendered per version (ADR 0048).
library_page = versioned_page(versions.LIBRARY, Path(__file__).resolve().parent, max_age=MAX_AGE)


@library_page
def resource_list(request: HttpRequest) -> HttpResponse:
    form = BrowseForm(request.GET or None)
    filters = form.filters()
    resources = queries.filter_resources(queries.published_resources(), filters)
    page = queries.keyset_page(resources, after=request.GET.get("after"), size=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "form": form,
        "page": page,
        "resources": page.rows,
        "query": query.urlencode(),
        "filtered": form.is_filtered,
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "library/resource_list.html", context, status=status)


@library_page
def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = queries.get_published_resource(slug)
    context = {"resource": resource, "versions": list(resource.versions.all())}
    return render(request, "library/resource_detail.html", context)


@login_not_required
@require_GET
def download(request: HttpRequest, version_id: UUID) -> HttpResponseBase:
    version = queries.get_version_for_download(version_id)
    services.count_download(version=version)
    if version.is_link:
        return redirect(version.url)
    name = (version.file.name or "").rsplit("/", 1)[-1]
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=version.content_type,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_safe
def cover(request: HttpRequest, slug: str) -> HttpResponseBase:
    resource = queries.get_published_cover(slug)
    response = FileResponse(resource.cover.open("rb"))
    patch_cache_control(response, max_age=MAX_AGE)
    return response


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def request_copies(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    resource = queries.get_published_resource(slug) if slug else None
    context: dict[str, Any] = {"resource": resource}
    if request.method != "POST":
        initial = {"token": antispam.new_token(SIGNING_SALT)}
        if "language" in request.GET:
            initial["language"] = request.GET["language"]
        form = CopyRequestForm(initial=initial)
        return render(request, "library/request_form.html", {**context, "form": form})
    limited = is_ratelimited(
        request, group="library.request", key=client_key, rate=RATE, method="POST", increment=True
    )
    form = CopyRequestForm(request.POST)
    if limited:
        return _again(request, form, context, status=429, limited=True)
    if request.POST.get("website"):
        return redirect("library-public:request-sent")  # the honeypot: a robot, told nothing
    if not form.is_valid():
        return _again(request, form, context, status=422)
    data = form.cleaned_data
    services.submit_request(
        resource=resource,
        kind=data["kind"],
        language=data["language"],
        email=data["email"],
        name=data["name"],
        message=data["message"],
        postal_address=data["postal_address"],
    )
    return redirect("library-public:request-sent")


def _again(
    request: HttpRequest,
    form: CopyRequestForm,
    context: dict[str, Any],
    *,
    status: int,
    **extra: Any,
) -> HttpResponse:
    """The form back with what was typed and a fresh token: nothing is lost."""
    data = QueryDict(mutable=True)
    data.update(form.data)
    data["token"] = antispam.new_token(SIGNING_SALT)
    form.data = data
    return render(
        request, "library/request_form.html", {**context, "form": form, **extra}, status=status
    )


@login_not_required
@require_safe
def request_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "library/request_sent.html")
