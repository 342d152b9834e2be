"""An alert's debrief and its follow-up actions (NET-2)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.core.conflicts import render_conflict, rows_from_form
from amparo.core.locking import EditConflict
from amparo.core.pages import rebound, user_of
from amparo.networks import queries, rows, services
from amparo.networks.enums import DEBRIEF_AFTER
from amparo.networks.forms import DebriefForm, FollowUpForm
from amparo.networks.models import Alert, Debrief
from amparo.networks.views.common import one_button_write, refused


def _debrief_page(
    request: HttpRequest,
    alert: Alert,
    *,
    form: DebriefForm | None = None,
    follow_up_form: FollowUpForm | None = None,
) -> HttpResponse:
    debrief = queries.debrief_of(alert)
    form = form or DebriefForm(initial=DebriefForm.initial_for(debrief))
    follow_up_form = follow_up_form or FollowUpForm()
    follow_ups = list(queries.follow_ups_of(request.user, alert.pk))
    context = {
        "alert": alert,
        "debrief": debrief,
        "form": form,
        "follow_up_form": follow_up_form,
        "follow_ups": follow_ups,
        "follow_up_items": rows.follow_up_items(follow_ups, can_debrief=True, request=request),
    }
    status = 422 if form.errors or follow_up_form.errors else 200
    return render(request, "networks/alert_debrief.html", context, status=status)


def _debriefable(request: HttpRequest, alert_id: UUID) -> Alert | HttpResponse:
    """The alert, for writing its debrief and follow-ups; while it is still raised, back to
    its page with why."""
    alert = queries.get_alert_for_user(user_of(request), alert_id, for_write=True)
    if alert.state not in DEBRIEF_AFTER:
        messages.info(
            request,
            _("The debrief comes once the alert has been acknowledged, lowered or closed."),
        )
        return redirect(alert)
    return alert


@require_http_methods(["GET", "POST"])
def alert_debrief(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    """NET-2: what happened, what the network did, what worked and what did not; the
    follow-up actions below."""
    alert = _debriefable(request, alert_id)
    if isinstance(alert, HttpResponse):
        return alert
    if request.method != "POST":
        return _debrief_page(request, alert)
    form = DebriefForm(request.POST)
    if form.is_valid():
        try:
            services.record_debrief(
                actor=user_of(request),
                alert=alert,
                expected_version=form.cleaned_data["version"],
                **{name: form.cleaned_data[name] for name in services.DEBRIEF_FIELDS},
            )
        except EditConflict as error:
            current = error.current
            assert isinstance(current, Debrief)  # noqa: S101
            return render_conflict(
                request,
                rows=rows_from_form(form, current, services.DEBRIEF_FIELDS),
                form=DebriefForm(rebound(request, current.version)),
                back_url=alert.get_absolute_url(),
            )
        except services.NetworkError as error:
            refused(form, error)
        else:
            messages.success(request, _("The debrief was saved."))
            return redirect(alert)
    return _debrief_page(request, alert, form=form)


@require_POST
def follow_up_create(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    alert = _debriefable(request, alert_id)
    if isinstance(alert, HttpResponse):
        return alert
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.add_follow_up(actor=user_of(request), alert=alert, **form.cleaned_data)
        except services.NetworkError as error:
            refused(form, error)
        else:
            messages.success(request, _("The follow-up was added."))
            return redirect("networks:alert-debrief", alert.pk)
    return _debrief_page(request, alert, follow_up_form=form)


@require_POST
def follow_up_done(request: HttpRequest, follow_up_id: UUID) -> HttpResponse:
    user = user_of(request)
    follow_up = queries.get_follow_up_for_user(user, follow_up_id, for_write=True)
    one_button_write(
        request,
        services.complete_follow_up,
        changed=_("Someone changed this follow-up meanwhile: look again."),
        done=_("The follow-up is done."),
        follow_up=follow_up,
    )
    return redirect(follow_up.alert)
