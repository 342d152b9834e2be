"""The emergency grant funds a desk refers to, and their rules (DESK-2): desk staff read them,
the desk lead adds and changes them. Plain forms, no JavaScript."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amparo.accounts.models import Organisation
from amparo.accounts.permissions import Perm
from amparo.core.conflicts import render_conflict
from amparo.core.locking import EditConflict
from amparo.core.pages import form_status, rebound, user_of
from amparo.desk import queries, rules, services
from amparo.desk.enums import Currency, GrantCategory
from amparo.desk.forms import GrantFundForm
from amparo.desk.models import GrantFund
from amparo.desk.rows import fund_cards
from amparo.desk.views.common import desk_staff


@require_GET
def fund_list(request: HttpRequest) -> HttpResponse:
    """The funds of the person's desks with their rules: offered ones first."""
    user = user_of(request)
    desk_staff(user)
    lead_of = rules.desk_organisations(user, Perm.DESK_ASSIGN)
    funds = queries.fund_list_for(user)
    context = {"funds": funds, "fund_cards": fund_cards(funds, lead_of), "lead_of": lead_of}
    return render(request, "desk/fund_list.html", context)


@require_http_methods(["GET", "POST"])
def fund_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    lead_of = rules.desk_organisations(user, Perm.DESK_ASSIGN)
    if not lead_of:
        raise PermissionDenied
    desks = list(Organisation.objects.filter(pk__in=lead_of).order_by("name"))
    choices = [(str(desk.pk), desk.name) for desk in desks]
    form = GrantFundForm(request.POST or None, organisations=choices)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("organisation")
        organisation = next(desk for desk in desks if str(desk.pk) == chosen)
        try:
            services.create_fund(organisation=organisation, actor=user, **data)
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The fund was added."))
            return redirect("desk:fund-list")
    context = {"form": form, "title": _("Add an emergency grant fund")}
    return render(request, "desk/fund_form.html", context, status=form_status(form))


def _initial(fund: GrantFund) -> dict[str, Any]:
    return {name: getattr(fund, name) for name in services.FUND_FIELDS} | {"version": fund.version}


def _conflict_rows(
    form: GrantFundForm, data: QueryDict, current: GrantFund
) -> list[tuple[Any, Any, Any]]:
    """What was typed beside what is saved, field by field, as the form shows them."""
    categories = dict(GrantCategory.choices)
    yes_no = {True: _("Yes"), False: _("No")}
    fields = form.fields

    def labels(codes: list[str]) -> str:
        return ", ".join(str(categories.get(code, code)) for code in codes)

    rows: list[tuple[Any, Any, Any]] = [
        (fields["name"].label, data.get("name", ""), str(current.name)),
        (
            fields["categories"].label,
            labels(data.getlist("categories")),
            labels(current.categories),
        ),
        (fields["max_amount"].label, data.get("max_amount", ""), current.max_amount or ""),
        (fields["currency"].label, data.get("currency", ""), Currency(current.currency).label),
        (
            fields["max_grants_per_year"].label,
            data.get("max_grants_per_year", ""),
            current.max_grants_per_year or "",
        ),
    ]
    for name in ("requires_current_analysis", "requires_partner_consent", "is_active"):
        rows.append(
            (fields[name].label, yes_no[bool(data.get(name))], yes_no[getattr(current, name)])
        )
    return [(label, str(mine), str(saved)) for label, mine, saved in rows]


@require_http_methods(["GET", "POST"])
def fund_edit(request: HttpRequest, fund_id: UUID) -> HttpResponse:
    user = user_of(request)
    fund = queries.get_fund_for_user(user, fund_id, for_write=True)
    form = GrantFundForm(request.POST or None, initial=_initial(fund), editing=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_fund(fund=fund, actor=user, expected_version=version, changes=data)
        except EditConflict as error:
            current: Any = error.current
            mine = GrantFundForm(rebound(request, current.version), editing=True)
            return render_conflict(
                request,
                rows=_conflict_rows(form, request.POST, current),
                form=mine,
                back_url=current.get_absolute_url(),
            )
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The fund was saved."))
            return redirect("desk:fund-list")
    context = {"form": form, "fund": fund, "title": _("Edit the fund")}
    return render(request, "desk/fund_form.html", context, status=form_status(form))
