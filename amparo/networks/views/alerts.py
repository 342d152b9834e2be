"""Raising an alert, the list of alerts, and closing or lowering one (NET-3)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amparo.accounts.permissions import Perm
from amparo.core.locking import EditConflict
from amparo.core.pages import form_status, rebound, user_of
from amparo.core.paging import cursor
from amparo.defenders.queries import defender_of_user
from amparo.defenders.rules import organisations_with
from amparo.networks import queries, rows, services
from amparo.networks.enums import AlertState
from amparo.networks.forms import AlertForm, CloseAlertForm
from amparo.networks.models import Alert
from amparo.networks.views.common import refused

PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
def alert_create(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    user = user_of(request)
    defender = queries.get_defender_for_network(user, defender_id, for_write=True)
    form = AlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        alert = services.raise_alert(actor=user, defender=defender, **form.cleaned_data)
        messages.success(request, _("The alert was raised: the network is being told."))
        return redirect(alert)
    steps = queries.tree_of(defender)
    context = {"form": form, "defender": defender, "has_tree": steps is not None}
    return render(request, "networks/alert_form.html", context, status=form_status(form))


@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    page = queries.alert_list_page(
        request.user,
        state=state if state in AlertState.values else "",
        after=cursor(request.GET.get("after")),
        size=PAGE_SIZE,
    )
    context = {
        "page": page,
        "alerts": page.rows,
        "alert_rows": rows.alert_rows(page.rows),
        "states": AlertState.choices,
        "state": state,
        # A defender starts here (the header's "Alerts"): their own network, check-ins and
        # the button to raise an alert. Desk staff have no record of their own: no query.
        "own": None if _is_desk_staff(request.user) else defender_of_user(request.user),
    }
    return render(request, "networks/alert_list.html", context)


def _is_desk_staff(user: Any) -> bool:
    return bool(organisations_with(user, Perm.NETWORKS_VIEW))


@require_http_methods(["GET", "POST"])
def alert_close(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    """Close the alert once its source no longer poses a threat (NET-3), or lower it and keep
    it open. A refusal comes back beside its field, with everything typed kept."""
    user = user_of(request)
    alert = queries.get_alert_for_user(user, alert_id, for_write=True)
    if not alert.is_open:
        messages.info(request, _("This alert is already closed."))
        return redirect(alert)
    form = CloseAlertForm(
        request.POST if request.method == "POST" else None, initial={"version": alert.version}
    )
    status = 0
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if form.lowering:
                services.lower_alert(
                    actor=user,
                    alert=alert,
                    expected_version=data["version"],
                    reason=data["reason"],
                    watch=data["watch"],
                )
            else:
                services.close_alert(
                    actor=user,
                    alert=alert,
                    expected_version=data["version"],
                    outcome=data["outcome"],
                    source_threat=data["source_threat"],
                    reason=data["reason"],
                    watch=data["watch"],
                    explanation=data["explanation"],
                )
        except EditConflict as error:
            current = error.current
            assert isinstance(current, Alert)  # noqa: S101
            if not current.is_open:
                messages.info(request, _("This alert is already closed."))
                return redirect(current)
            # What was typed stays; the version moves on, so saving again is deliberate.
            form = CloseAlertForm(rebound(request, current.version))
            form.is_valid()
            form.add_error(None, _("Someone changed this alert meanwhile: look again first."))
            alert = queries.get_alert_for_user(user, alert_id, for_write=True)
            status = 409
        except services.NetworkError as error:
            refused(form, error)
        else:
            if form.lowering:
                messages.success(request, _("The alert was lowered: it stays open."))
            else:
                messages.success(request, _("The alert was closed."))
            return redirect(alert)
    context = {"form": form, "alert": alert, "defender": alert.defender}
    return render(request, "networks/alert_close.html", context, status=status or form_status(form))
