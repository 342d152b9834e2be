"""The observatory's tools: the comparison of countries and the design assistant.

- Compare (`compare`, `compare-csv`): public, GET only, conditional and cacheable like every
  public page (`caching.public_page`); the address (`?c=CO&c=MX`) is the comparison.
- The design assistant's checklist (`design`) is public and cacheable too; its printable
  summary (`design-summary`) answers a POST from anyone, stores nothing and is never cached.
- Saved checklists (`design-save`, `design-list`, `design-detail`, `design-edit`,
  `design-delete`) need a sign-in (LoginRequiredMiddleware) and are their owner's alone:
  each loads through `assistant.get_design_for_user`, which answers 404 to anyone else.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import User
from amparo.core.conflicts import render_conflict
from amparo.core.locking import EditConflict
from amparo.observatory import assistant, compare, design_services, opendata
from amparo.observatory.caching import public_page
from amparo.observatory.models import Criterion, DesignChecklist, Framework
from amparo.observatory.tool_forms import (
    CompareForm,
    DesignDeleteForm,
    DesignEditForm,
    DesignForm,
    covered_name,
    note_name,
)


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 -- LoginRequiredMiddleware guarantees it
    return user


# --- compare ---


def _comparison(
    request: HttpRequest, *, always_bound: bool = False
) -> tuple[CompareForm, compare.Comparison | None]:
    # Without `c` the page simply offers the choice; the CSV has nothing to offer but an error.
    data = request.GET if always_bound or request.GET.getlist("c") else None
    form = CompareForm(data, choices=compare.comparable_countries())
    if form.is_bound and form.is_valid():
        return form, compare.compare(form.cleaned_data["c"], _language())
    return form, None


def _compare_page(
    request: HttpRequest, form: CompareForm, comparison: compare.Comparison | None
) -> HttpResponse:
    language = _language()
    query = urlencode([("c", code) for code in comparison.codes]) if comparison else ""
    framework = comparison.framework if comparison else None
    context: dict[str, Any] = {
        "form": form,
        "comparison": comparison,
        "names": ", ".join(column.name for column in comparison.columns) if comparison else "",
        "share_path": f"{reverse('observatory:compare')}?{query}",
        "csv_url": f"{reverse('observatory:compare-csv')}?{query}",
        "span": len(comparison.columns) + 1 if comparison else 1,
        "framework_title": framework.text("title", language) if framework else "",
        "language": language,
        "section": "compare",
    }
    status = 422 if form.errors else 200
    return render(request, "observatory/compare.html", context, status=status)


@public_page
def compare_countries(request: HttpRequest) -> HttpResponse:
    form, comparison = _comparison(request)
    return _compare_page(request, form, comparison)


@public_page
def compare_csv(request: HttpRequest) -> HttpResponse:
    """The same table as a CSV; an invalid choice gets the page with its error instead."""
    form, comparison = _comparison(request, always_bound=True)
    if comparison is None:
        return _compare_page(request, form, None)
    text = compare.csv_text(comparison, language=_language(), base_url=settings.SITE_URL)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    name = "-".join(comparison.codes)  # validated ISO codes: safe in a header
    response["Content-Disposition"] = (
        f'attachment; filename="amparo-observatory-comparison-{name}.csv"'
    )
    response["Link"] = f'<{opendata.LICENCE_URL}>; rel="license"'
    return response


# --- the design assistant: the checklist and its printable summary ---


def _design_form_page(
    request: HttpRequest,
    form: DesignForm,
    criteria: list[Criterion],
    *,
    design: DesignChecklist | None = None,
) -> HttpResponse:
    language = _language()
    checklist = assistant.checklist(criteria, language)
    for item in checklist.items:
        item.covered_field = form[covered_name(item.criterion)]
        item.note_field = form[note_name(item.criterion)]
    framework = checklist.framework
    context = {
        "form": form,
        "checklist": checklist,
        "design": design,
        "can_save": request.user.is_authenticated,
        "framework_title": framework.text("title", language) if framework else "",
        "note_max": design_services.NOTE_MAX,
        "language": language,
        "section": "design",
    }
    status = 422 if form.errors else 200
    return render(request, "observatory/design_form.html", context, status=status)


def _summary_context(
    checklist: assistant.Checklist, *, title: str, dated_on: Any
) -> dict[str, Any]:
    language = _language()
    framework = checklist.framework
    return {
        "checklist": checklist,
        "title": title,
        "dated_on": dated_on,
        "framework_title": framework.text("title", language) if framework else "",
        "language": language,
        "section": "design",
    }


def _current_framework(criteria: list[Criterion]) -> Framework:
    if not criteria:
        raise Http404  # no framework published: nothing to check a draft against
    return criteria[0].axis.framework


@public_page
def design(request: HttpRequest) -> HttpResponse:
    criteria = compare.current_criteria()
    form = DesignForm(criteria=criteria, language=_language())
    return _design_form_page(request, form, criteria)


@never_cache
@login_not_required
@require_POST
def design_summary(request: HttpRequest) -> HttpResponse:
    """The printable summary of a checklist, made from what was posted and stored nowhere.
    Anyone may ask; the drafter's notes travel in the body, never in an address."""
    criteria = compare.current_criteria()
    _current_framework(criteria)
    form = DesignForm(request.POST, criteria=criteria, language=_language())
    if not form.is_valid():
        return _design_form_page(request, form, criteria)
    checklist = assistant.checklist(criteria, _language()).fill(form.answers())
    context = _summary_context(
        checklist, title=form.cleaned_data["title"], dated_on=timezone.localdate()
    )
    context.update(form=form, hidden=form.hidden_copy(), can_save=request.user.is_authenticated)
    return render(request, "observatory/design_summary.html", context)


# --- saved checklists (signed in, the owner's only) ---


@require_POST
def design_save(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    criteria = compare.current_criteria()
    framework = _current_framework(criteria)
    form = DesignForm(request.POST, criteria=criteria, language=_language())
    if form.is_valid():
        try:
            saved = design_services.save_design(
                owner=user,
                framework=framework,
                title=form.cleaned_data["title"],
                answers=form.answers(),
            )
        except design_services.DesignError as error:
            form.add_error("title", error.message)
        else:
            messages.success(request, _("The checklist was saved. Only you can see it."))
            return redirect(saved)
    return _design_form_page(request, form, criteria)


@require_GET
def design_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        after = UUID(request.GET["after"]) if request.GET.get("after") else None
    except ValueError:
        after = None
    page = assistant.design_page(user, after=after)
    rows = [
        {
            "design": design,
            "covered": sum(1 for answer in design.answers.values() if answer.get("covered")),
        }
        for design in page.rows
    ]
    context = {"page": page, "rows": rows, "section": "design"}
    return render(request, "observatory/design_list.html", context)


@require_GET
def design_detail(request: HttpRequest, design_id: UUID) -> HttpResponse:
    design = assistant.get_design_for_user(_user(request), design_id)
    criteria = assistant.criteria_of(design.framework)
    checklist = assistant.checklist(criteria, _language()).fill(design.answers)
    context = _summary_context(
        checklist, title=design.title, dated_on=timezone.localdate(design.updated_at)
    )
    context["design"] = design
    return render(request, "observatory/design_detail.html", context)


@require_http_methods(["GET", "POST"])
def design_edit(request: HttpRequest, design_id: UUID) -> HttpResponse:
    user = _user(request)
    design = assistant.get_design_for_user(user, design_id)
    criteria = assistant.criteria_of(design.framework)
    language = _language()
    if request.method != "POST":
        initial = {**DesignForm.initial_from(design), "version": design.version}
        form = DesignEditForm(initial=initial, criteria=criteria, language=language)
        return _design_form_page(request, form, criteria, design=design)
    form = DesignEditForm(request.POST, criteria=criteria, language=language)
    if form.is_valid():
        try:
            design_services.update_design(
                design=design,
                actor=user,
                expected_version=form.cleaned_data["version"],
                title=form.cleaned_data["title"],
                answers=form.answers(),
            )
        except EditConflict as conflict:
            return _design_conflict(request, form, conflict.current, criteria)
        except design_services.DesignError as error:
            form.add_error("title", error.message)
        else:
            messages.success(request, _("The checklist was saved."))
            return redirect(design)
    return _design_form_page(request, form, criteria, design=design)


def _design_conflict(
    request: HttpRequest, form: DesignEditForm, current: Any, criteria: list[Criterion]
) -> HttpResponse:
    """Saved from another tab meanwhile: both versions side by side, the form back at the
    current version, nothing typed lost."""
    current = assistant.get_design_for_user(_user(request), current.pk)
    mine = form.answers()
    rows: list[tuple[Any, Any, Any]] = [
        (form.fields["title"].label, form.cleaned_data["title"], current.title)
    ]
    for criterion in criteria:
        ours, theirs = mine[str(criterion.pk)], current.answer(criterion.pk)
        if (ours["covered"], ours["note"]) != (theirs["covered"], theirs["note"]):
            name = criterion.text("name", _language())
            rows.append((name, _answer_text(ours), _answer_text(theirs)))
    data = request.POST.copy()
    data["version"] = str(current.version)
    rebound = DesignEditForm(data, criteria=criteria, language=_language())
    return render_conflict(request, rows=rows, form=rebound, back_url=current.get_absolute_url())


def _answer_text(answer: dict[str, Any]) -> str:
    state = _("Covers it") if answer["covered"] else _("Not yet")
    return f"{state}\n{answer['note']}" if answer["note"] else str(state)


@require_http_methods(["GET", "POST"])
def design_delete(request: HttpRequest, design_id: UUID) -> HttpResponse:
    user = _user(request)
    design = assistant.get_design_for_user(user, design_id)
    changed, status = False, 200
    if request.method == "POST":
        form = DesignDeleteForm(request.POST)
        if not form.is_valid():
            status = 422
        else:
            try:
                design_services.delete_design(
                    design=design, actor=user, expected_version=form.cleaned_data["version"]
                )
            except EditConflict as conflict:
                # Changed in another tab meanwhile: show it as it is now and ask again.
                design = assistant.get_design_for_user(user, conflict.current.pk)
                changed, status = True, 409
            else:
                messages.success(request, _("The checklist was deleted."))
                return redirect("observatory:design-list")
    return render(
        request,
        "observatory/design_delete.html",
        {"design": design, "changed": changed, "section": "design"},
        status=status,
    )
