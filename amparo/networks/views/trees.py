"""The escalation tree: its steps in order, adding, changing and removing one; someone else
saving it meanwhile is caught."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.core.locking import EditConflict
from amparo.core.pages import form_status, user_of
from amparo.defenders.models import Defender
from amparo.networks import queries, rules, services
from amparo.networks.forms import StepForm, VersionForm
from amparo.networks.models import EscalationStep


def _tree_conflict(request: HttpRequest, defender: Defender) -> HttpResponse:
    messages.error(
        request,
        _(
            "Someone changed this escalation tree while you were editing it. Here it is as "
            "saved now; what you chose is below, to save again."
        ),
    )
    return tree(request, defender.pk, keep=True)


@require_http_methods(["GET", "POST"])
def tree(request: HttpRequest, defender_id: UUID, *, keep: bool = False) -> HttpResponse:
    """The tree's steps in order, and a form to add a last step."""
    user = user_of(request)
    defender = queries.get_defender_for_network(user, defender_id)
    can_edit = rules.can_edit_network(user, defender)
    if request.method == "POST" and not keep and not can_edit:
        raise PermissionDenied
    escalation = queries.tree_of(defender)
    version = escalation.version if escalation is not None else 0
    contacts = queries.contacts_of(defender)
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and keep:
        data["version"] = str(version)
    form = StepForm(data, contacts=contacts, initial={"version": version})
    if request.method == "POST" and not keep and form.is_valid():
        try:
            services.add_step(
                actor=user,
                defender=defender,
                expected_version=form.cleaned_data["version"],
                contacts=form.cleaned_data["contacts"],
                wait_minutes=form.cleaned_data["wait_minutes"],
            )
        except EditConflict:
            return _tree_conflict(request, defender)
        except services.NetworkError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The step was added."))
            return redirect("networks:tree", defender.pk)
    context = {
        "defender": defender,
        "tree": escalation,
        "steps": list(escalation.steps.all()) if escalation is not None else [],
        "form": form if can_edit else None,
        "can_edit": can_edit,
        "version": version,
    }
    return render(request, "networks/tree.html", context, status=409 if keep else form_status(form))


@require_http_methods(["GET", "POST"])
def step_edit(request: HttpRequest, step_id: UUID) -> HttpResponse:
    user = user_of(request)
    step: EscalationStep = queries.get_step_for_user(user, step_id, for_write=True)
    defender = step.tree.defender
    form = StepForm(
        request.POST if request.method == "POST" else None,
        contacts=queries.contacts_of(defender),
        initial={
            "contacts": list(step.contacts.values_list("pk", flat=True)),
            "wait_minutes": step.wait_minutes,
            "version": step.tree.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_step(
                actor=user,
                step=step,
                expected_version=form.cleaned_data["version"],
                contacts=form.cleaned_data["contacts"],
                wait_minutes=form.cleaned_data["wait_minutes"],
            )
        except EditConflict:
            return _tree_conflict(request, defender)
        except services.NetworkError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The step was saved."))
            return redirect("networks:tree", defender.pk)
    context = {"form": form, "defender": defender, "step": step}
    return render(request, "networks/step_form.html", context, status=form_status(form))


@require_POST
def step_remove(request: HttpRequest, step_id: UUID) -> HttpResponse:
    user = user_of(request)
    step = queries.get_step_for_user(user, step_id, for_write=True)
    defender = step.tree.defender
    form = VersionForm(request.POST)
    if not form.is_valid():
        return redirect("networks:tree", defender.pk)
    try:
        services.remove_step(actor=user, step=step, expected_version=form.cleaned_data["version"])
    except EditConflict:
        return _tree_conflict(request, defender)
    messages.success(request, _("The step was removed."))
    return redirect("networks:tree", defender.pk)
