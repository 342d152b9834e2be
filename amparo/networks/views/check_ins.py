"""Check-ins: scheduling one, "I am safe" (with the duress code, ADR 0032), cancelling one."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.core.pages import form_status, user_of
from amparo.networks import queries, services
from amparo.networks.forms import CheckInDoneForm, CheckInForm
from amparo.networks.views.common import one_button_write


@require_http_methods(["GET", "POST"])
def check_in_create(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    user = user_of(request)
    defender = queries.get_defender_for_network(user, defender_id, for_write=True)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.schedule_check_in(actor=user, defender=defender, **form.cleaned_data)
        messages.success(request, _("The check-in was scheduled."))
        return redirect("networks:network", defender.pk)
    context = {"form": form, "defender": defender}
    return render(request, "networks/check_in_form.html", context, status=form_status(form))


@require_POST
def check_in_done(request: HttpRequest) -> HttpResponse:
    """One tap: "I am safe". The answer is the same page, byte for byte apart from the CSRF
    token, whether or not a duress code was given (ADR 0032): no message, no redirect that
    could differ, nothing about the check-in itself."""
    user = user_of(request)
    form = CheckInDoneForm(request.POST)
    if not form.is_valid():
        raise Http404
    check_in = queries.get_check_in_for_user(user, form.cleaned_data["check_in"], for_write=True)
    code = form.cleaned_data["code"]
    services.check_in_done(actor=user, check_in=check_in, code=code)
    return render(request, "networks/check_in_done.html", {})


@require_POST
def check_in_cancel(request: HttpRequest, check_in_id: UUID) -> HttpResponse:
    user = user_of(request)
    check_in = queries.get_check_in_for_user(user, check_in_id, for_write=True)
    one_button_write(
        request,
        services.cancel_check_in,
        changed=_("Someone changed this check-in meanwhile: look again."),
        done=_("The check-in was cancelled."),
        check_in=check_in,
    )
    return redirect("networks:network", check_in.defender_id)
