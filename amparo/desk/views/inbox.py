"""Incoming requests for support, from the public form (ADR 0028)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import Organisation
from amparo.accounts.permissions import Perm
from amparo.core.pages import form_status, user_of, uuid_or_none, uuid_param
from amparo.desk import queries, rules, services
from amparo.desk.enums import RequestStatus
from amparo.desk.forms import ConvertRequestForm

PAGE_SIZE = 50


# --- incoming requests for support ---


@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """Requests that came through the public form to the desks the person works on. Codes
    and times only: the content is read on the request's own page (audited)."""
    user = user_of(request)
    if not rules.desk_organisations(user, Perm.DESK_EDIT):
        raise PermissionDenied
    status = request.GET.get("status", RequestStatus.NEW)
    rows = queries.requests_visible_to(user)
    if status in RequestStatus.values:
        rows = rows.filter(status=status)
    lead_of = rules.desk_organisations(user, Perm.DESK_ASSIGN)
    desks = list(Organisation.objects.filter(pk__in=lead_of).select_related("request_desk"))
    context = {
        "requests": list(rows.select_related("organisation")[:PAGE_SIZE]),
        "status": status,
        "statuses": RequestStatus.choices,
        "desks": desks,
    }
    return render(request, "desk/request_list.html", context)


@require_POST
def request_settings(request: HttpRequest) -> HttpResponse:
    """A desk lead opens or closes the public form to their desk (ADR 0028)."""
    user = user_of(request)
    organisation_id = uuid_param(request.POST.get("organisation"))
    if organisation_id is None or organisation_id not in rules.desk_organisations(
        user, Perm.DESK_ASSIGN
    ):
        raise PermissionDenied
    organisation = Organisation.objects.get(pk=organisation_id)
    accepts = request.POST.get("accepts") == "1"
    services.set_accepts_requests(organisation=organisation, actor=user, accepts=accepts)
    if accepts:
        messages.success(request, _("The public form now offers your desk."))
    else:
        messages.success(request, _("The public form no longer offers your desk."))
    return redirect("desk:request-list")


@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, request_id: UUID) -> HttpResponse:
    """Read a request, and turn it into a case."""
    user = user_of(request)
    support = queries.get_request_for_user(user, request_id)
    picker = queries.defender_picker(
        user,
        organisation_id=support.organisation_id,
        search=request.GET.get("q", ""),
        chosen=uuid_or_none(request.POST.get("defender")),
    )
    form = ConvertRequestForm(
        request.POST or None, defenders=picker.queryset, initial={"pseudonym": support.name}
    )
    if request.method == "POST" and support.status == RequestStatus.NEW and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.convert_request(
                support=support,
                actor=user,
                defender=data.get("defender"),
                pseudonym=data.get("pseudonym", ""),
                kind=data["kind"],
                priority=data["priority"],
                urgency=data["urgency"],
            )
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("A case was opened from the request."))
            return redirect(case)
    context = {
        "support": support,
        "form": form,
        "picker": picker,
        "pick_count": queries.PICKER_SIZE,
    }
    return render(request, "desk/request_detail.html", context, status=form_status(form))


@require_POST
def request_decline(request: HttpRequest, request_id: UUID) -> HttpResponse:
    user = user_of(request)
    support = queries.get_request_for_user(user, request_id)
    try:
        services.decline_request(support=support, actor=user)
    except services.DeskError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The request was declined."))
    return redirect("desk:request-list")
