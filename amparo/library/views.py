"""The librarians' pages (/library/manage/ and /library/requests/): resources in every state,
their language versions and covers, the draft -> published workflow, and the inbox of
requests for copies. Every load goes through queries.py (403 for non-librarians); every write
through services.py (audited)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.core.locking import EditConflict
from amparo.core.pages import form_status, rebound, user_of
from amparo.library import queries, rules, services
from amparo.library.enums import TRANSITIONS, RequestStatus, ResourceState
from amparo.library.forms import (
    CoverForm,
    RequestStatusForm,
    ResourceForm,
    StateForm,
    VersionForm,
)
from amparo.library.models import Resource

PAGE_SIZE = 50


def _stale_message() -> str:
    return _(
        "Someone else saved this after you opened it. Your changes are kept below: check "
        "them against the current version and save again."
    )


def _state_choices(resource: Resource) -> list[tuple[str, str]]:
    return [
        (state.value, str(state.label))
        for state in ResourceState
        if state in TRANSITIONS.get(resource.state, frozenset())
    ]


# --- resources ---


@require_http_methods(["GET"])
def resource_list(request: HttpRequest) -> HttpResponse:
    resources = queries.resources_for_librarian(user_of(request))
    state = request.GET.get("state", "")
    if state in ResourceState.values:
        resources = resources.filter(state=state)
    page = queries.keyset_page(resources, after=request.GET.get("after"), size=PAGE_SIZE)
    context = {
        "page": page,
        "resources": page.rows,
        "state": state,
        "states": ResourceState.choices,
        "can_answer": rules.can_handle_requests(request.user),
    }
    return render(request, "library/manage_list.html", context)


def _related(slugs: list[str]) -> list[Resource]:
    return queries.resources_by_slugs(slugs)


def _changes(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in services.EDITABLE}


@require_http_methods(["GET", "POST"])
def resource_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    queries.resources_for_librarian(user)
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if Resource.objects.filter(slug=data["slug"]).exists():
            form.add_error("slug", _("Another resource has this address name."))
        else:
            resource = services.create_resource(
                actor=user, changes=_changes(data), related=_related(data["related"])
            )
            messages.success(request, _("The resource was created as a draft."))
            return redirect("library:resource-detail", resource.pk)
    return render(
        request,
        "library/manage_form.html",
        {"form": form, "resource": None},
        status=form_status(form),
    )


@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    user = user_of(request)
    resource = queries.get_resource_for_librarian(user, resource_id)
    initial = {name: getattr(resource, name) for name in services.EDITABLE}
    initial |= {
        "topics": resource.topic_codes,
        "audiences": resource.audience_codes,
        "countries": ", ".join(resource.country_codes),
        "related": ", ".join(item.slug for item in resource.related.all()),
        "version": resource.version,
    }
    form = ResourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if Resource.objects.filter(slug=data["slug"]).exclude(pk=resource.pk).exists():
            form.add_error("slug", _("Another resource has this address name."))
        else:
            try:
                services.update_resource(
                    resource=resource,
                    actor=user,
                    expected_version=data["version"] or resource.version,
                    changes=_changes(data),
                    related=_related(data["related"]),
                )
            except EditConflict as error:
                current: Any = error.current
                form = ResourceForm(rebound(request, current.version), initial=initial)
                form.is_valid()
                form.add_error(None, _stale_message())
                return render(
                    request,
                    "library/manage_form.html",
                    {"form": form, "resource": resource},
                    status=409,
                )
            messages.success(request, _("The resource was saved."))
            return redirect("library:resource-detail", resource.pk)
    context = {"form": form, "resource": resource}
    return render(request, "library/manage_form.html", context, status=form_status(form))


def _detail(
    request: HttpRequest, resource: Resource, *, status: int = 200, **forms: Form
) -> HttpResponse:
    context = {
        "resource": resource,
        "versions": list(resource.versions.all()),
        "related": list(resource.related.all()),
        "state_form": forms.get("state_form")
        or StateForm(initial={"version": resource.version}, choices=_state_choices(resource)),
        "version_form": forms.get("version_form") or VersionForm(),
        "cover_form": forms.get("cover_form") or CoverForm(),
    }
    return render(request, "library/manage_detail.html", context, status=status)


@require_http_methods(["GET"])
def resource_detail(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = queries.get_resource_for_librarian(user_of(request), resource_id)
    return _detail(request, resource)


@require_POST
def resource_state(request: HttpRequest, resource_id: int) -> HttpResponse:
    user = user_of(request)
    resource = queries.get_resource_for_librarian(user, resource_id)
    form = StateForm(request.POST, choices=_state_choices(resource))
    if form.is_valid():
        try:
            services.change_state(
                resource=resource,
                actor=user,
                expected_version=form.cleaned_data["version"],
                to=form.cleaned_data["to"],
            )
        except EditConflict:
            form.add_error(None, _stale_message())
        except services.LibraryError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The resource is now: %(state)s.") % {"state": resource.get_state_display()},
            )
            return redirect("library:resource-detail", resource.pk)
    resource = queries.get_resource_for_librarian(user, resource_id)
    return _detail(request, resource, status=409, state_form=form)


@require_POST
def version_add(request: HttpRequest, resource_id: int) -> HttpResponse:
    user = user_of(request)
    resource = queries.get_resource_for_librarian(user, resource_id)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_version(
                resource=resource,
                actor=user,
                language=data["language"],
                title=data["title"],
                summary=data["summary"],
                upload=data["file"],
                url=data["url"],
            )
        except services.LibraryError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The language version was added."))
            return redirect("library:resource-detail", resource.pk)
    return _detail(request, resource, status=422, version_form=form)


@require_POST
def version_delete(request: HttpRequest, version_id: UUID) -> HttpResponse:
    user = user_of(request)
    version = queries.get_version_for_librarian(user, version_id)
    resource_id = version.resource_id
    try:
        services.remove_version(version=version, actor=user)
    except services.LibraryError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The language version was removed."))
    return redirect("library:resource-detail", resource_id)


@require_POST
def resource_cover(request: HttpRequest, resource_id: int) -> HttpResponse:
    user = user_of(request)
    resource = queries.get_resource_for_librarian(user, resource_id)
    form = CoverForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.set_cover(resource=resource, actor=user, upload=form.cleaned_data["cover"])
        except services.LibraryError as error:
            form.add_error("cover", error.message)
        else:
            messages.success(request, _("The cover was saved."))
            return redirect("library:resource-detail", resource.pk)
    return _detail(request, resource, status=422, cover_form=form)


# --- requests for copies ---


@require_http_methods(["GET"])
def request_list(request: HttpRequest) -> HttpResponse:
    requests = queries.requests_visible_to(user_of(request))
    status = request.GET.get("status", "")
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    page = queries.requests_page(requests, after=request.GET.get("after"), size=PAGE_SIZE)
    context = {
        "page": page,
        "requests": page.rows,
        "status": status,
        "statuses": RequestStatus.choices,
    }
    return render(request, "library/request_list.html", context)


@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, request_id: UUID) -> HttpResponse:
    user = user_of(request)
    item = queries.get_request_for_user(user, request_id)
    form = RequestStatusForm(
        request.POST or None, initial={"status": item.status, "version": item.version}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_request_status(
                    request=item,
                    actor=user,
                    expected_version=form.cleaned_data["version"],
                    status=form.cleaned_data["status"],
                )
            except EditConflict as error:
                current: Any = error.current
                form = RequestStatusForm(rebound(request, current.version))
                form.is_valid()
                form.add_error(None, _stale_message())
                item = current
                status = 409
            except services.LibraryError as error:
                form.add_error(None, error.message)
                status = 422
            else:
                messages.success(request, _("The request's status was saved."))
                return redirect(reverse("library:request-detail", args=[item.pk]))
        else:
            status = 422
    return render(
        request, "library/request_detail.html", {"item": item, "form": form}, status=status
    )
