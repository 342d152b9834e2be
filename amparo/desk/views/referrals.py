"""Referrals: recording one and moving it on (DESK-1), and a State mechanism's risk study
beside Amparo's analysis (DESK-3)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amparo.core.locking import EditConflict
from amparo.core.pages import form_status, rebound, user_of
from amparo.desk import queries, services
from amparo.desk.forms import MechanismStudyForm, ReferralForm
from amparo.desk.views.common import conflict

REFERRAL_FIELDS = (
    "kind",
    "grant_category",
    "target",
    "status",
    "outcome",
    "requested_on",
    "risk_study_on",
    "measures_granted_on",
    "implemented_on",
    "details",
)


@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = user_of(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_referral(case=case, actor=user, **form.cleaned_data)
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The referral was recorded."))
            return redirect(case)
    context = {"form": form, "case": case, "title": _("Record a referral")}
    return render(request, "desk/part_form.html", context, status=form_status(form))


@require_http_methods(["GET", "POST"])
def referral_edit(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    user = user_of(request)
    item = queries.get_referral_for_user(user, referral_id, for_write=True)
    initial = {name: getattr(item, name) for name in REFERRAL_FIELDS}
    form = ReferralForm(
        request.POST or None, initial=initial | {"version": item.version}, editing=True
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_referral(
                referral=item, actor=user, expected_version=version, changes=data
            )
        except EditConflict as error:
            current: Any = error.current
            mine = ReferralForm(rebound(request, current.version), editing=True)
            return conflict(request, form, current, REFERRAL_FIELDS, mine)
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The referral was saved."))
            return redirect(item.case)
    context = {"form": form, "case": item.case, "title": _("Edit the referral")}
    return render(request, "desk/part_form.html", context, status=form_status(form))


STUDY_FIELDS = ("level", "studied_on", "measures")


@require_http_methods(["GET", "POST"])
def referral_study(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    """DESK-3: record what the mechanism's risk study found. The page shows Amparo's current
    level beside it; the comparison itself is shown on the case page and the dashboard."""
    user = user_of(request)
    item = queries.get_referral_for_user(user, referral_id, for_write=True)
    initial = {
        "level": item.mechanism_level,
        "studied_on": item.mechanism_studied_on or timezone.localdate(),
        "measures": item.mechanism_measures,
        "version": item.version,
    }
    form = MechanismStudyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.record_mechanism_study(
                referral=item,
                actor=user,
                expected_version=data["version"],
                level=data["level"],
                studied_on=data["studied_on"],
                measures=data["measures"],
            )
        except EditConflict as error:
            current: Any = error.current
            saved = SimpleNamespace(
                level=current.mechanism_level,
                studied_on=current.mechanism_studied_on,
                measures=current.mechanism_measures,
                case=current.case,
            )
            mine = MechanismStudyForm(rebound(request, current.version))
            return conflict(request, form, saved, STUDY_FIELDS, mine)
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The mechanism's risk study was recorded."))
            return redirect(item.case)
    context = {"form": form, "case": item.case, "referral": item}
    return render(request, "desk/referral_study.html", context, status=form_status(form))
