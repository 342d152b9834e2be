"""A defender's record: list, create, page, edit, status, self-service and who opened it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amparo.core.conflicts import render_conflict
from amparo.core.locking import EditConflict
from amparo.core.paging import Page
from amparo.defenders import queries, rules, services
from amparo.defenders.enums import DefenderStatus
from amparo.defenders.forms import (
    DefenderCreateForm,
    DefenderEditForm,
    DefenderFilterForm,
    StatusForm,
)
from amparo.defenders.models import Defender
from amparo.defenders.rows import defender_rows
from amparo.defenders.views.common import current_user, render_detail, with_labels

PAGE_SIZE = 50
_FILTERS = ("kind", "status", "category", "country")


def _after(request: HttpRequest) -> UUID | None:
    try:
        return UUID(request.GET.get("after", ""))
    except ValueError:
        return None


@require_GET
def defender_list(request: HttpRequest) -> HttpResponse:
    """The defenders the person reaches, 50 a page. Tier-2 filters run in the database; the
    pseudonym search decrypts the filtered set in memory, bounded (queries.SEARCH_LIMIT)."""
    user = current_user(request)
    form = DefenderFilterForm(request.GET or None)
    filters: dict[str, str] = {}
    text = ""
    if form.is_valid():
        filters = {name: form.cleaned_data[name] for name in _FILTERS}
        text = form.cleaned_data["q"].strip()
    truncated = False
    after = _after(request)
    page: Page[Any]  # Defenders found by the search, else the list's `ListedDefender`s
    if text:
        result = queries.search_defenders(queries.filtered_defenders(user, **filters), text)
        truncated = result.truncated
        page = queries.page_of(result.defenders, after=after, size=PAGE_SIZE)
    else:
        page = queries.defender_page(user, after=after, size=PAGE_SIZE, **filters)
    # Categories for this page's rows only (the search decrypted rows without them).
    rows = queries.with_category_codes(page.rows)
    context = {
        "form": form,
        "page": page,
        "defenders": rows,
        "defender_rows": defender_rows(rows),
        "searching": bool(text),
        "truncated": truncated,
        "search_limit": queries.SEARCH_LIMIT,
        "filtered": bool(text or any(filters.values())),
        "can_create": rules.can_create_defender(user),
    }
    return render(request, "defenders/defender_list.html", context)


@require_http_methods(["GET", "POST"])
def defender_create(request: HttpRequest) -> HttpResponse:
    """Minimal profile first; possible duplicates (DEF-3) are shown and must be set aside by a
    deliberate tick before the record is created."""
    user = current_user(request)
    organisations = queries.organisations_for_creation(user)
    if not organisations:
        raise PermissionDenied
    current = getattr(request, "organisation", None)
    initial = {
        "organisation": str(current.pk) if current in organisations else "",
        "country": current.country if current in organisations else "",
    }
    form = DefenderCreateForm(request.POST or None, organisations=organisations, initial=initial)
    duplicates = queries.SearchResult([], truncated=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = queries.possible_duplicates(user, [data["pseudonym"], data["legal_name"]])
        if duplicates.defenders and not data["not_duplicate"]:
            form.add_error(
                "not_duplicate",
                _("Records that look alike exist. Check them, then confirm to go on."),
            )
        else:
            defender = services.create_defender(
                organisation=data["organisation"],
                actor=user,
                kind=data["kind"],
                pseudonym=data["pseudonym"].strip(),
                legal_name=data["legal_name"].strip(),
                collective_type=data["collective_type"],
                categories=data["categories"],
                country=data["country"],
                region=data["region"].strip(),
                status=DefenderStatus.DRAFT,
                channel=form.channel(),
            )
            messages.success(
                request,
                _("%(code)s was recorded as a draft. Record the defender's consent next.")
                % {"code": defender.code},
            )
            return redirect(defender)
    context = {
        "form": form,
        "duplicates": with_labels(duplicates.defenders, categories=False),
        "duplicates_truncated": duplicates.truncated,
        "single_organisation": len(organisations) == 1,
    }
    status = 422 if form.errors else 200
    return render(request, "defenders/defender_create.html", context, status=status)


@require_GET
def defender_detail(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    return render_detail(request, queries.get_defender_page(request.user, defender_id))


def _edit_form(request: HttpRequest, defender: Defender, data: Any = None) -> DefenderEditForm:
    can_link = rules.can_link_account(request.user, defender)
    organisations = (
        list(queries.linkable_collective_organisations(defender))
        if can_link and defender.is_collective
        else []
    )
    return DefenderEditForm(
        data,
        defender=defender,
        can_link=can_link,
        collective_organisations=organisations,
        initial=DefenderEditForm.initial_for(defender) if data is None else None,
    )


@require_http_methods(["GET", "POST"])
def defender_edit(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    """Details as needed (DOMAIN.md 2.1 step 3), by the desk, the defender themselves or a
    collective's coordinator. A stale version answers 409 with both versions side by side."""
    user = current_user(request)
    defender = queries.get_defender_for_edit(user, defender_id)
    if request.method == "GET":
        form = _edit_form(request, defender)
        return render(request, "defenders/defender_edit.html", {"defender": defender, "form": form})
    form = _edit_form(request, defender, request.POST)
    if form.is_valid():
        try:
            services.update_defender(
                defender=defender,
                actor=user,
                expected_version=form.cleaned_data["version"],
                categories=form.cleaned_data["categories"],
                **form.changes(),
            )
        except EditConflict as error:
            current = error.current
            assert isinstance(current, Defender)  # noqa: S101 -- only defenders are saved here
            data = request.POST.copy()
            data["version"] = str(current.version)
            return render_conflict(
                request,
                rows=form.conflict_rows(current),
                form=_edit_form(request, current, data),
                back_url=current.get_absolute_url(),
            )
        messages.success(request, _("The record was saved."))
        return redirect(defender)
    context = {"defender": defender, "form": form}
    return render(request, "defenders/defender_edit.html", context, status=422)


@require_http_methods(["GET", "POST"])
def defender_status(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    """Archive (or make dormant, or take up again): the keeping desk's decision, with locking."""
    user = current_user(request)
    defender = queries.get_defender_for_user(user, defender_id)
    if not rules.can_change_status(user, defender):
        raise PermissionDenied
    initial = {"version": defender.version, "status": DefenderStatus.ARCHIVED}
    form = StatusForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        status = form.cleaned_data["status"]
        try:
            services.change_status(
                defender=defender,
                actor=user,
                status=status,
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as error:
            current = error.current
            assert isinstance(current, Defender)  # noqa: S101 -- only defenders are saved here
            labels = dict(DefenderStatus.choices)
            data = request.POST.copy()
            data["version"] = str(current.version)
            return render_conflict(
                request,
                rows=[(_("Status"), labels.get(status, status), labels[current.status])],
                form=StatusForm(data),
                back_url=current.get_absolute_url(),
            )
        messages.success(request, _("The status was changed."))
        return redirect(defender)
    context = {"defender": defender, "form": form}
    status_code = 422 if form.errors else 200
    return render(request, "defenders/defender_status.html", context, status=status_code)


@require_GET
def my_record(request: HttpRequest) -> HttpResponse:
    """Self-service: the person's own record, or a word on why there is none."""
    defender = queries.defender_of_user(request.user)
    if defender is not None:
        return redirect(defender)
    return render(request, "defenders/my_record_none.html")


def _action_labels() -> dict[str, str]:
    """What each audited action means, for the person reading who opened their record."""
    return {
        "audit.tier1_read": _("Opened the record"),
        "defenders.defender_created": _("Created the record"),
        "defenders.defender_updated": _("Changed the record"),
        "defenders.defender_activated": _("Made the record active"),
        "defenders.defender_archived": _("Archived the record"),
        "defenders.defender_status_changed": _("Changed the status"),
        "defenders.channel_added": _("Added a contact channel"),
        "defenders.channel_removed": _("Removed a contact channel"),
        "defenders.consent_recorded": _("Recorded a consent"),
        "defenders.consent_withdrawn": _("Recorded a withdrawal of consent"),
        "defenders.close_person_added": _("Added a close person"),
        "defenders.close_person_removed": _("Removed a close person"),
        "defenders.member_added": _("Added a member to a collective"),
        "defenders.member_removed": _("Removed a member from a collective"),
        "defenders.defender_shared": _("Shared the record with an organisation"),
        "defenders.defender_unshared": _("Stopped sharing the record"),
    }


@require_GET
def defender_readers(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    """Who opened or changed this record, from the audit log: for the defender themselves and
    the keeping desk (rules.can_see_read_log)."""
    user = current_user(request)
    defender = queries.get_defender_for_user(user, defender_id)
    if not rules.can_see_read_log(user, defender):
        raise PermissionDenied
    before_raw = request.GET.get("before", "")
    before = int(before_raw) if before_raw.isdigit() else None
    events, next_before = queries.read_log(defender, before=before, limit=PAGE_SIZE)
    labels = _action_labels()
    for event in events:
        event.label = labels.get(event.action, event.action)  # type: ignore[attr-defined]
    context = {
        "defender": defender,
        "events": events,
        "next_before": next_before,
        "window_days": queries.READ_LOG_WINDOW.days,
    }
    return render(request, "defenders/defender_readers.html", context)
