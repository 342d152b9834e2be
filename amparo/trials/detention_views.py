"""Pages of detention periods: record one on a case, correct it, end it (the release), remove
one recorded by mistake. Every write answers with the case page, where the periods are listed;
every form works as a plain POST."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.core.locking import EditConflict
from amparo.core.pages import form_status, rebound, user_of
from amparo.trials import queries, services
from amparo.trials.forms import NOT_STATED, DetentionEndForm, DetentionPeriodForm, VersionForm
from amparo.trials.models import CriminalisationCase, DetentionPeriod
from amparo.trials.views import conflict

#: What the conflict page compares (the encrypted place and notes are in the form below it).
PERIOD_PLAIN = ("kind", "starts_on", "ends_on")


def _chosen(period: DetentionPeriod) -> str:
    """The period's defender as the form's choice: its id, "" for the members of the
    collective, NOT_STATED while who was held is not stated."""
    return NOT_STATED if period.is_unattributed else str(period.defender_id or "")


def _period_form(
    case: CriminalisationCase, data: QueryDict | None, period: DetentionPeriod | None = None
) -> DetentionPeriodForm:
    initial: dict[str, Any] = {"starts_on": timezone.localdate()}
    if period is not None:
        initial = {name: getattr(period, name) for name in services.PERIOD_FIELDS}
        initial |= {"defender": _chosen(period), "version": period.version}
    return DetentionPeriodForm(
        data,
        initial=initial,
        defenders=queries.defenders_of(case),
        editing=period is not None,
        unattributed=period is not None and period.is_unattributed,
    )


def _who_row(form: DetentionPeriodForm, current: DetentionPeriod) -> tuple[Any, Any, Any]:
    """The conflict page's row for who was detained: someone may have just stated it."""
    field = form.fields["defender"]
    labels = dict(field.choices)  # type: ignore[attr-defined]
    typed = labels.get(form.data.get("defender", ""), "")
    return field.label, typed, labels.get(_chosen(current), "")


def _page(
    request: HttpRequest, form: Any, case: CriminalisationCase, period: DetentionPeriod | None
) -> HttpResponse:
    context = {"form": form, "case": case, "period": period}
    return render(request, "trials/detention_form.html", context, status=form_status(form))


@require_http_methods(["GET", "POST"])
def detention_create(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = user_of(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    form = _period_form(case, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_detention_period(case=case, actor=user, **form.cleaned_data)
        except services.TrialsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The detention period was recorded."))
            return redirect(case)
    return _page(request, form, case, None)


@require_http_methods(["GET", "POST"])
def detention_edit(request: HttpRequest, period_id: UUID) -> HttpResponse:
    user = user_of(request)
    period = queries.get_detention_period_for_user(user, period_id, for_write=True)
    case = period.case
    form = _period_form(case, request.POST if request.method == "POST" else None, period)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_detention_period(
                period=period,
                actor=user,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
            )
        except EditConflict as error:
            current: Any = error.current
            mine = _period_form(case, rebound(request, current.version), current)
            back = case.get_absolute_url()
            return conflict(
                request,
                form,
                current,
                PERIOD_PLAIN,
                mine=mine,
                back=back,
                extra=[_who_row(form, current)],
            )
        except services.TrialsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The detention period was saved."))
            return redirect(case)
    return _page(request, form, case, period)


@require_http_methods(["GET", "POST"])
def detention_end(request: HttpRequest, period_id: UUID) -> HttpResponse:
    """The release: the case page posts here from each running period's row."""
    user = user_of(request)
    period = queries.get_detention_period_for_user(user, period_id, for_write=True)
    case = period.case
    form = DetentionEndForm(
        request.POST if request.method == "POST" else None,
        initial={"ends_on": timezone.localdate(), "version": period.version},
        starts_on=period.starts_on,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.end_detention_period(
                period=period,
                actor=user,
                expected_version=form.cleaned_data["version"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except EditConflict as error:
            current: Any = error.current
            mine = DetentionEndForm(rebound(request, current.version), starts_on=current.starts_on)
            back = case.get_absolute_url()
            return conflict(request, form, current, ("ends_on",), mine=mine, back=back)
        except services.TrialsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The end of the detention was recorded."))
            return redirect(case)
    context = {"form": form, "case": case, "period": period}
    return render(request, "trials/detention_end.html", context, status=form_status(form))


@require_POST
def detention_remove(request: HttpRequest, period_id: UUID) -> HttpResponse:
    user = user_of(request)
    period = queries.get_detention_period_for_user(user, period_id, for_write=True)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page was out of date: nothing was removed."))
        return redirect(period.case)
    try:
        services.remove_detention_period(
            period=period, actor=user, expected_version=form.cleaned_data["version"]
        )
    except EditConflict:
        messages.error(
            request,
            _("Someone changed this detention period after you opened the page: look again."),
        )
    except services.TrialsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The detention period was removed."))
    return redirect(period.case)
