"""Pages of criminalisation cases: list, case page, opening and editing, charges, hearings,
the hearing calendar and its private iCalendar feed."""

from __future__ import annotations

import calendar as month_calendar
import functools
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from amparo.accounts.models import Organisation, User
from amparo.accounts.permissions import Perm
from amparo.core.conflicts import render_conflict, rows_from_form
from amparo.core.csrf import csrf_input
from amparo.core.locking import EditConflict
from amparo.core.pages import form_status, rebound, user_of, uuid_or_none, uuid_param
from amparo.core.pickers import PICKER_LIMIT
from amparo.trials import detention, ical, queries, rules, services
from amparo.trials.case_fields import other_fields
from amparo.trials.enums import Pattern
from amparo.trials.forms import (
    CaseForm,
    CaseOrganisationForm,
    CaseSearchForm,
    ChargeForm,
    FeedForm,
    HearingForm,
)
from amparo.trials.models import CriminalisationCase, Hearing
from amparo.trials.rows import case_rows, day_sections, hearing_rows, period_rows

PAGE_SIZE = 50
#: How far ahead and back the feed reaches.
FEED_WINDOW = timedelta(days=400)


def staff_only(user: User) -> None:
    """Pages that are not about one record: 403 for people without a trials role."""
    if not rules.can_view(user):
        raise PermissionDenied


def conflict(
    request: HttpRequest,
    form: Form,
    current: Any,
    fields: tuple[str, ...],
    *,
    mine: Form,
    back: str,
    extra: Sequence[tuple[Any, Any, Any]] = (),
) -> HttpResponse:
    """The 409 page: `fields` compared as plain values, then the `extra` rows (label, typed,
    saved) a form compares in its own way."""
    rows = [
        (label, typed, saved if isinstance(saved, str) else str(saved))
        for label, typed, saved in [*rows_from_form(form, current, fields), *extra]
    ]
    return render_conflict(request, rows=rows, form=mine, back_url=back)


# --- cases ---


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    staff_only(user)
    page = queries.case_page(user, after=uuid_param(request.GET.get("after")), size=PAGE_SIZE)
    context = {
        "page": page,
        "cases": page.rows,
        "case_rows": case_rows(page.rows),
        "can_open": rules.can_open(user),
    }
    return render(request, "trials/case_list.html", context)


CASE_TEXT = ("court", "case_number", "defence_counsel", "summary")
CASE_PLAIN = tuple(
    name for name in services.CASE_FIELDS if name not in CASE_TEXT and name != "patterns"
)


#: What a Find button (or htmx, as the person types) searches on the case form.
FIND = ("defenders", "incidents")


def _finding(request: HttpRequest) -> bool:
    """The person searched a picker: show the form again, save nothing, judge nothing."""
    return request.method == "POST" and request.POST.get("find") in FIND


#: More ticks than any case has: the rest are not offered, so the form refuses them.
MAX_CHOSEN = 200


def _chosen(data: QueryDict, name: str) -> list[UUID]:
    """The records ticked in the posted form: a search must keep offering them."""
    ids = [pk for value in data.getlist(name) if (pk := uuid_or_none(value)) is not None]
    return ids[:MAX_CHOSEN]


def _case_form(
    request: HttpRequest,
    user: User,
    organisation_id: Any,
    case: CriminalisationCase | None,
    data: QueryDict | None = None,
) -> tuple[CaseForm, dict[str, Any]]:
    """The case form, its two pickers and their find boxes, as the page's context. A picker
    offers the newest records, or those its search finds, and always those already chosen."""
    if data is None and request.method == "POST":
        data = request.POST
    search = CaseSearchForm(data)
    keep_defenders: list[Any] = []
    keep_incidents: list[Any] = []
    if data is not None:
        keep_defenders, keep_incidents = _chosen(data, "defenders"), _chosen(data, "incidents")
    elif case is not None:
        keep_defenders = list(case.defenders.values_list("pk", flat=True))
        keep_incidents = list(case.incidents.values_list("pk", flat=True))
    defenders = queries.defender_picker(
        user,
        organisation_id=organisation_id,
        search=search.text("defender_search"),
        keep=keep_defenders,
    )
    incidents = queries.incident_picker(
        user,
        organisation_id=organisation_id,
        search=search.text("incident_search"),
        keep=keep_incidents,
    )
    options: dict[str, Any] = {
        "defenders": defenders.options,
        "incidents": incidents.options,
        "editing": case is not None,
    }
    if data is None:
        initial: dict[str, Any] = {"opened_on": timezone.localdate()}
        if case is not None:
            initial = {name: getattr(case, name) for name in services.CASE_FIELDS}
            initial["version"] = case.version
        initial["defenders"] = [str(pk) for pk in keep_defenders]
        initial["incidents"] = [str(pk) for pk in keep_incidents]
        form = CaseForm(None, initial=initial, **options)
    elif _finding(request):
        form = CaseForm(None, initial=CaseForm(data, **options).as_typed(data), **options)
    else:
        form = CaseForm(data, **options)
    context = {
        "form": form,
        # Called by the template when it writes them, after the view has judged the form.
        "other_fields": functools.partial(other_fields, form),
        "search_form": search,
        "defender_picker": defenders,
        "incident_picker": incidents,
        "picker_limit": PICKER_LIMIT,
    }
    return form, context


def _case_template(request: HttpRequest, page: str) -> str:
    """htmx searches as the person types and swaps only that picker's options."""
    wanted = request.POST.get("find", "") if request.method == "POST" else ""
    if request.htmx and wanted in FIND:  # type: ignore[attr-defined]
        return f"trials/_case_form.html#{wanted[:-1]}-options"
    return page


def _picked(
    user: User, organisation_id: Any, data: dict[str, Any]
) -> tuple[dict[str, Any], list[Any], list[Any]]:
    """The case's fields, and the chosen defenders and incidents loaded through the pickers'
    own candidates (the form accepted only ids they offered)."""
    defender_ids, incident_ids = data.pop("defenders"), data.pop("incidents") or []
    data.pop("version", None)
    data["outcome"] = data.get("outcome") or ""
    defenders = queries.defender_candidates(user, organisation_id=organisation_id)
    incidents = queries.incident_candidates(user, organisation_id=organisation_id)
    return (
        data,
        list(defenders.filter(pk__in=defender_ids)),
        list(incidents.filter(pk__in=incident_ids)),
    )


@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    """Open a case in an organisation where the person holds `trials.edit`: their only one,
    or the one they choose first (`?organisation=`) when they open cases in several."""
    user = user_of(request)
    allowed = rules.organisations(user, Perm.TRIALS_EDIT)
    if not allowed:
        raise PermissionDenied
    chosen = uuid_param(request.GET.get("organisation"))
    if chosen is not None and chosen not in allowed:
        raise PermissionDenied
    organisations = queries.organisations_to_open_in(user) if len(allowed) > 1 else []
    if chosen is None and organisations:
        current = getattr(request, "organisation", None)
        choice = CaseOrganisationForm(organisations=organisations, current=current)
        return render(request, "trials/case_organisation.html", {"form": choice})
    organisation_id = chosen or next(iter(allowed))
    form, context = _case_form(request, user, organisation_id, None)
    context["organisation"] = next((o for o in organisations if o.pk == organisation_id), None)
    if request.method == "POST" and not _finding(request) and form.is_valid():
        fields, defenders, incidents = _picked(user, organisation_id, dict(form.cleaned_data))
        try:
            case = services.open_case(
                actor=user,
                organisation=Organisation.objects.get(pk=organisation_id),
                defenders=defenders,
                incidents=incidents,
                **fields,
            )
        except services.TrialsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The case was opened."))
            return redirect(case)
    template = _case_template(request, "trials/case_form.html")
    return render(request, template, context, status=form_status(form))


@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = user_of(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    form, context = _case_form(request, user, case.organisation_id, case)
    if request.method == "POST" and not _finding(request) and form.is_valid():
        version = form.cleaned_data["version"]
        fields, defenders, incidents = _picked(user, case.organisation_id, dict(form.cleaned_data))
        try:
            services.update_case(
                case=case,
                actor=user,
                expected_version=version,
                changes=fields,
                defenders=defenders,
                incidents=incidents + queries.hidden_incidents(user, case),
            )
        except EditConflict as error:
            current: Any = error.current
            mine, _context = _case_form(
                request, user, case.organisation_id, current, rebound(request, current.version)
            )
            return conflict(
                request, form, current, CASE_PLAIN, mine=mine, back=case.get_absolute_url()
            )
        except services.TrialsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The case was saved."))
            return redirect(case)
    context["case"] = case
    template = _case_template(request, "trials/case_edit.html")
    return render(request, template, context, status=form_status(form))


@require_GET
def case_detail(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = user_of(request)
    case = queries.get_case_for_user(user, case_id)
    defenders = queries.defenders_of(case)
    periods = queries.detention_periods_of(case, defenders)
    today = timezone.localdate()
    days = [(period, detention.days_of(period, today)) for period in periods]
    charges, incidents = queries.charges_of(case), queries.incidents_of(user, case)
    hearings = queries.hearings_of(case)
    can_edit, can_observe = rules.can_edit(user, case), rules.can_observe(user, case)
    # One token for the page's forms, those of the rows written in Python as those of the
    # template's `{% csrf_token %}` (which reads it from the context).
    token = get_token(request)
    csrf = csrf_input(token)
    context = {
        "case": case,
        "defenders": defenders,
        "periods": days,
        "period_rows": period_rows(days, can_edit=can_edit, today=today, csrf=csrf),
        "days_detained": detention.days_detained(periods, today),
        "unattributed": any(period.is_unattributed for period in periods),
        "today": today,
        "charges": charges,
        "incidents": incidents,
        "hearings": hearings,
        "hearing_rows": hearing_rows(
            hearings, can_edit=can_edit, can_observe=can_observe, csrf=csrf
        ),
        "can_edit": can_edit,
        "can_observe": can_observe,
        "pattern_labels": [dict(Pattern.choices).get(p, p) for p in case.patterns],
        "csrf_token": token,
    }
    return render(request, "trials/case_detail.html", context)


@require_http_methods(["GET", "POST"])
def charge_create(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = user_of(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    form = ChargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_charge(case=case, actor=user, **form.cleaned_data)
        except services.TrialsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The charge was added."))
            return redirect(case)
    context = {
        "form": form,
        "case": case,
        "provisions": list(queries.provisions_for(case.country)[:50]),
    }
    return render(request, "trials/charge_form.html", context, status=form_status(form))


# --- hearings ---


@require_http_methods(["GET", "POST"])
def hearing_create(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = user_of(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    form = HearingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_hearing(case=case, actor=user, **form.cleaned_data)
        messages.success(request, _("The hearing was added."))
        return redirect(case)
    context = {"form": form, "case": case, "hearing": None}
    return render(request, "trials/hearing_form.html", context, status=form_status(form))


HEARING_PLAIN = ("starts_at", "kind", "result")


def _hearing_form(hearing: Hearing, data: QueryDict | None) -> HearingForm:
    initial = {name: getattr(hearing, name) for name in services.HEARING_FIELDS}
    initial["starts_at"] = timezone.localtime(hearing.starts_at)
    initial["version"] = hearing.version
    return HearingForm(data, initial=initial, editing=True)


@require_http_methods(["GET", "POST"])
def hearing_edit(request: HttpRequest, hearing_id: UUID) -> HttpResponse:
    user = user_of(request)
    hearing = queries.get_hearing_for_user(user, hearing_id, for_write=True)
    form = _hearing_form(hearing, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_hearing(
                hearing=hearing, actor=user, expected_version=version, changes=data
            )
        except EditConflict as error:
            current: Any = error.current
            mine = _hearing_form(current, rebound(request, current.version))
            return conflict(
                request,
                form,
                current,
                HEARING_PLAIN,
                mine=mine,
                back=hearing.case.get_absolute_url(),
            )
        messages.success(request, _("The hearing was saved."))
        return redirect(hearing.case)
    context = {"form": form, "case": hearing.case, "hearing": hearing}
    return render(request, "trials/hearing_form.html", context, status=form_status(form))


# --- the calendar ---


#: Hearings per page of the calendar: about a week of a busy organisation's hearings, a
#: screenful or two on a phone; `Later hearings` goes on from the last one.
CALENDAR_PAGE = 50


def _month(value: str) -> date:
    """The first day of the month `value` (YYYY-MM); 404 unless it has months on both sides."""
    try:
        first = datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007 -- a date, no time
    except ValueError as error:
        raise Http404 from error
    if not date.min.year < first.year < date.max.year:
        raise Http404
    return first


def _midnight(day: date) -> datetime:
    """The start of `day` in the current time zone."""
    return datetime(day.year, day.month, day.day, tzinfo=timezone.get_current_timezone())


def _following(first: date) -> date:
    """The first day of the month after the month starting on `first`."""
    return first + timedelta(days=month_calendar.monthrange(first.year, first.month)[1])


@require_GET
def hearing_calendar(request: HttpRequest) -> HttpResponse:
    """The hearings of the person's organisations as an agenda by day, CALENDAR_PAGE at a
    time: by default those to come, from the start of today (`?month=YYYY-MM`: a month's,
    from its first day), each page with a link to the next (`after`, the last hearing shown)
    and to the months around. Every hearing is in the iCalendar feed too."""
    user = user_of(request)
    staff_only(user)
    requested = request.GET.get("month")
    today = timezone.localdate()
    end: datetime | None = None
    if requested:
        first = _month(requested)
        start, end = _midnight(first), _midnight(_following(first))
    else:
        first, start = today.replace(day=1), _midnight(today)
    page = queries.calendar_page(
        user,
        start=start,
        end=end,
        after=uuid_param(request.GET.get("after")),
        size=CALENDAR_PAGE,
    )
    by_day: dict[date, list[queries.CalendarEntry]] = {}
    zone = timezone.get_current_timezone()  # once: timezone.localdate() looks it up per call
    for hearing in page.rows:
        by_day.setdefault(hearing.starts_at.astimezone(zone).date(), []).append(hearing)
    sections = list(by_day.items())  # in the page's order, earliest first
    context = {
        "month": first if requested else None,
        "this_month": first,
        "current": first.strftime("%Y-%m"),
        "previous": (first - timedelta(days=1)).strftime("%Y-%m"),
        "next": _following(first).strftime("%Y-%m"),
        "page": page,
        "days": sections,
        "day_sections": day_sections(sections),
    }
    return render(request, "trials/calendar.html", context)


@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest) -> HttpResponse:
    """Create (or replace) and revoke the person's private feed URL. The URL is shown once."""
    user = user_of(request)
    staff_only(user)
    feed_url = ""
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["action"] == "create":
            token = services.create_feed(user=user)
            from django.urls import reverse  # noqa: PLC0415

            feed_url = request.build_absolute_uri(reverse("trials:calendar-feed", args=[token]))
            messages.success(request, _("Your calendar feed address was created."))
        else:
            services.revoke_feed(user=user)
            messages.success(request, _("Your calendar feed address was revoked."))
            return redirect("trials:calendar-subscription")
    context = {"feed": queries.live_feed_of(user), "feed_url": feed_url}
    response = render(request, "trials/feed_settings.html", context, status=form_status(form))
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed: the token is the only credential (no session); revoked and unknown
    tokens get the same 404."""
    feed = queries.feed_for_token(token)
    if feed is None:
        raise Http404
    now = timezone.now()
    hearings = queries.hearings_in(feed.user, now - FEED_WINDOW, now + FEED_WINDOW)
    body = ical.calendar(hearings, name=_("Hearings"), now=now)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
