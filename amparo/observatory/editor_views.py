"""The editors' pages: the dashboard, instruments, country narratives and the review of any
submitted work. Private (signed in, observatory editors only, editor_queries.py decides 403
or 404); every write goes through editorial.py and services.py."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import User
from amparo.core import reversing
from amparo.core.conflicts import render_conflict
from amparo.core.locking import EditConflict
from amparo.observatory import (
    editor_fields,
    editor_queries,
    editor_rows,
    editorial,
    queries,
    rules,
    services,
)
from amparo.observatory.content import InstrumentContent, changes
from amparo.observatory.editor_forms import (
    InstrumentEditor,
    NarrativeForm,
    ReviewForm,
    VersionForm,
    WithdrawForm,
    site_languages,
)
from amparo.observatory.enums import EditorialState, RevisionKind
from amparo.observatory.forms import language_name
from amparo.observatory.geography import countries, country_name
from amparo.observatory.models import PolicyInstrument, Revision


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 -- LoginRequiredMiddleware guarantees it
    return user


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def edit_url(instrument: PolicyInstrument | str) -> str:
    key = instrument if isinstance(instrument, str) else instrument.key
    return reverse("observatory:editor-instrument-edit", args=[key])


def _dashboard_url() -> str:
    return reverse("observatory:editor-dashboard")


# --- the dashboard ---


def describe(revision: Revision) -> dict[str, Any]:
    """A line of the dashboard about one piece of work."""
    title, lang, url = "", "", reversing.reverse("observatory:editor-review", args=[revision.pk])
    if revision.instrument is not None:
        title, lang = revision.instrument.title, revision.instrument.title_language
        if revision.state == EditorialState.DRAFT:
            url = edit_url(revision.instrument)
    elif revision.country_id:
        title = _("%(country)s: profile text in %(language)s") % {
            "country": country_name(revision.country_id),
            "language": language_name(revision.language),
        }
        if revision.state == EditorialState.DRAFT:
            url = reverse(
                "observatory:editor-narrative", args=[revision.country_id, revision.language]
            )
    elif revision.evaluation is not None:
        evaluation = revision.evaluation
        subject = evaluation.instrument
        title = (
            subject.title
            if subject
            else _("The policy of %(country)s as a whole")
            % {"country": country_name(evaluation.country_id or "")}
        )
        lang = subject.title_language if subject else ""
    elif revision.framework is not None:
        title = f"{revision.framework.title} (v{revision.framework.version})"
    return {
        "revision": revision,
        "kind": RevisionKind(revision.kind).label,
        "title": title,
        "lang": lang,
        "url": url,
    }


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    editor_queries.require_editor(user)
    board = editor_queries.dashboard(after=request.GET.get("after") or None, language=_language())
    other_drafts = [describe(r) for r in board.other_drafts]
    context = {
        "board": board,
        "review_rows": editor_rows.review_rows([describe(r) for r in board.review], me=user.pk),
        "draft_rows": editor_rows.draft_rows(board.instrument_drafts),
        "other_drafts": other_drafts,
        "other_draft_lines": editor_rows.other_draft_lines(
            other_drafts, board.evaluation_drafts, board.framework_drafts
        ),
        "languages": [(code, language_name(code)) for code in site_languages()],
        "country_options": editor_rows.country_options(),
        "recent_lines": editor_rows.recent_lines(board.recent),
        "section": "dashboard",
    }
    return render(request, "observatory/editor/dashboard.html", context)


# --- instruments ---


def _render_editor(
    request: HttpRequest,
    editor: InstrumentEditor,
    *,
    working: editor_queries.Working | None,
    status: int = 200,
) -> HttpResponse:
    in_review = working is not None and working.in_review
    context = {
        "editor": editor,
        # Nothing can be changed while in review: the page shows no form then.
        "fields": None if in_review else editor_fields.write(editor),
        "working": working,
        "instrument": working.instrument if working else None,
        "can_submit": working is not None and not in_review,
    }
    return render(request, "observatory/editor/instrument_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def instrument_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    editor_queries.require_editor(user)
    editor = InstrumentEditor(request.POST or None, content=None, creating=True)
    if request.method == "POST" and editor.is_valid():
        try:
            instrument = editorial.create_instrument(
                key=editor.form.cleaned_data["key"], content=editor.content(), actor=user
            )
        except services.ObservatoryError as error:
            editor.form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The instrument was saved as a draft. Submit it for review when ready.")
            )
            return redirect(edit_url(instrument))
    return _render_editor(request, editor, working=None, status=422 if editor.errors else 200)


@require_http_methods(["GET", "POST"])
def instrument_edit(request: HttpRequest, key: str) -> HttpResponse:
    user = _user(request)
    instrument = editor_queries.get_instrument_for_editor(user, key)
    working = editor_queries.working_copy(instrument)
    if request.method != "POST":
        editor = InstrumentEditor(
            content=working.content, creating=False, own_key=key, version=working.version
        )
        if working.revision:
            editor.form.initial["note"] = working.revision.note
        return _render_editor(request, editor, working=working)
    editor = InstrumentEditor(
        request.POST, content=working.content, creating=False, own_key=key, version=working.version
    )
    if editor.is_valid():
        try:
            editorial.save_instrument_draft(
                instrument=instrument,
                content=editor.content(),
                actor=user,
                expected_version=editor.form.cleaned_data["version"] or 0,
                note=editor.form.cleaned_data["note"].strip(),
            )
        except EditConflict:
            return _instrument_conflict(request, editor, instrument)
        except services.ObservatoryError as error:
            editor.form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Your draft was saved. Readers still see the published version.")
            )
            return redirect(edit_url(instrument))
    return _render_editor(request, editor, working=working, status=422)


class _EditorAsForm(forms.Form):
    """The whole instrument editor where the conflict page expects one form."""

    def __init__(self, editor: InstrumentEditor) -> None:
        super().__init__()
        self.editor = editor

    def render(self, *args: Any, **kwargs: Any) -> Any:
        return editor_fields.write(self.editor)

    __str__ = render
    __html__ = render


def _instrument_conflict(
    request: HttpRequest, editor: InstrumentEditor, instrument: PolicyInstrument
) -> HttpResponse:
    """Both versions side by side, and the editor's own form back at the saved version."""
    current = editor_queries.working_copy(instrument)
    mine = editor.content()
    rows = [(c.label, c.after, c.before) for c in changes(current.content, mine)]
    data = request.POST.copy()
    data["version"] = str(current.version)
    rebound = InstrumentEditor(
        data,
        content=current.content,
        creating=False,
        own_key=instrument.key,
        version=current.version,
    )
    rebound.is_valid()
    return render_conflict(
        request, rows=rows, form=_EditorAsForm(rebound), back_url=edit_url(instrument)
    )


@require_POST
def instrument_submit(request: HttpRequest, key: str) -> HttpResponse:
    user = _user(request)
    instrument = editor_queries.get_instrument_for_editor(user, key)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page was out of date: nothing was submitted."))
        return redirect(edit_url(instrument))
    version = form.cleaned_data["version"]
    try:
        editorial.submit_instrument(
            instrument=instrument, actor=user, expected_version=version or None
        )
    except EditConflict:
        messages.error(
            request, _("Someone saved this draft meanwhile: check it, then submit again.")
        )
    except services.ObservatoryError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Submitted: another observatory editor will review it."))
        return redirect(_dashboard_url())
    return redirect(edit_url(instrument))


@require_POST
def instrument_discard(request: HttpRequest, key: str) -> HttpResponse:
    user = _user(request)
    instrument = editor_queries.get_instrument_for_editor(user, key)
    working = editor_queries.working_copy(instrument)
    form = VersionForm(request.POST)
    if working.revision is None or not form.is_valid():
        raise Http404
    try:
        editorial.discard_instrument_draft(
            revision=working.revision, actor=user, expected_version=form.cleaned_data["version"]
        )
    except EditConflict:
        messages.error(request, _("Someone changed this draft meanwhile: nothing was discarded."))
    else:
        messages.success(request, _("The draft was discarded."))
    return redirect(edit_url(instrument))


@require_http_methods(["GET", "POST"])
def instrument_withdraw(request: HttpRequest, key: str) -> HttpResponse:
    user = _user(request)
    instrument = editor_queries.get_instrument_for_editor(user, key)
    if not instrument.is_public:
        raise Http404
    form = WithdrawForm(request.POST or None, initial={"version": instrument.version})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["version"] != instrument.version:
            form.add_error(None, _("Someone changed this instrument meanwhile: check it again."))
        else:
            try:
                services.withdraw_instrument(
                    instrument=instrument, actor=user, note=form.cleaned_data["note"].strip()
                )
            except services.ObservatoryError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The instrument was withdrawn from the public pages."))
                return redirect(edit_url(instrument))
    queries.attach_titles([instrument], _language())
    context = {"instrument": instrument, "form": form}
    status = 422 if form.errors else 200
    return render(request, "observatory/editor/instrument_withdraw.html", context, status=status)


# --- review of any submitted work ---


def _review_context(revision: Revision) -> dict[str, Any]:
    if revision.kind == RevisionKind.INSTRUMENT:
        instrument = revision.instrument
        assert instrument is not None  # noqa: S101 -- the database constraint guarantees it
        base = editor_queries.published_content(instrument)
        proposed = InstrumentContent.from_json(revision.content)
        return {
            "changes": changes(base, proposed),
            "is_new": base is None,
            "title": proposed.title,
            "subject_url": edit_url(instrument),
        }
    if revision.kind == RevisionKind.NARRATIVE:
        assert revision.country is not None  # noqa: S101 -- the database constraint guarantees it
        before = editor_queries.narrative_text(revision.country, revision.language)
        return {
            "before": before,
            "after": revision.content.get("text", ""),
            "title": country_name(revision.country_id or ""),
            "language_name": language_name(revision.language),
        }
    from amparo.observatory import editor_evaluation_views  # noqa: PLC0415 -- one-way import

    return editor_evaluation_views.review_context(revision)


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, revision_id: UUID) -> HttpResponse:
    user = _user(request)
    revision = editor_queries.get_revision_for_editor(user, revision_id)
    if revision.state != EditorialState.REVIEW:
        messages.info(request, _("This work is not waiting for review any more."))
        return redirect(_dashboard_url())
    may_review = rules.can_review(user, revision.submitted_by_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not may_review:
            form.add_error(
                None, _("Another observatory editor must review and publish what you submitted.")
            )
        elif form.is_valid():
            try:
                if form.cleaned_data["decision"] == ReviewForm.PUBLISH:
                    editorial.approve_revision(revision=revision, actor=user)
                    messages.success(request, _("Approved and published."))
                else:
                    editorial.return_revision(
                        revision=revision, actor=user, comment=form.cleaned_data["comment"].strip()
                    )
                    messages.success(request, _("Returned to the editor with your comment."))
            except services.ObservatoryError as error:
                form.add_error(None, error.message)
            else:
                return redirect(_dashboard_url())
    context = {
        "revision": revision,
        "form": form,
        "may_review": may_review,
        "language": _language(),
        **_review_context(revision),
    }
    status = 422 if form.errors else 200
    return render(
        request, f"observatory/editor/review_{revision.kind}.html", context, status=status
    )


# --- country narratives ---


def _narrative_url(code: str, language: str) -> str:
    return reverse("observatory:editor-narrative", args=[code, language])


@require_http_methods(["GET", "POST"])
def narrative_edit(request: HttpRequest, code: str, language: str) -> HttpResponse:
    user = _user(request)
    country = editor_queries.get_country_for_editor(user, code)
    if language not in site_languages():
        raise Http404
    revision = editor_queries.open_revision_of(country=country, language=language)
    published = editor_queries.narrative_text(country, language)
    version = revision.version if revision else 0
    initial = {
        "text": revision.content.get("text", "") if revision else published,
        "note": revision.note if revision else "",
        "version": version,
    }
    form = NarrativeForm(request.POST or None, initial=initial)
    in_review = revision is not None and revision.state == EditorialState.REVIEW
    if request.method == "POST" and form.is_valid():
        try:
            editorial.save_narrative_draft(
                country=country,
                language=language,
                text=form.cleaned_data["text"].strip(),
                note=form.cleaned_data["note"].strip(),
                actor=user,
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict:
            current = editor_queries.open_revision_of(country=country, language=language)
            saved = current.content.get("text", "") if current else published
            data = request.POST.copy()
            data["version"] = str(current.version if current else 0)
            return render_conflict(
                request,
                rows=[(_("Narrative"), form.cleaned_data["text"], saved)],
                form=NarrativeForm(data),
                back_url=_narrative_url(country.code, language),
            )
        except services.ObservatoryError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Your draft was saved. Readers still see the published text.")
            )
            return redirect(_narrative_url(country.code, language))
    context = {
        "country": country,
        "country_name": country_name(country.code),
        "language": language,
        "language_name": language_name(language),
        "form": form,
        "revision": revision,
        "in_review": in_review,
        "published": published,
        "languages": [(c, language_name(c)) for c in site_languages()],
    }
    status = 422 if form.errors else 200
    return render(request, "observatory/editor/narrative_form.html", context, status=status)


@require_GET
def narrative_open(request: HttpRequest) -> HttpResponse:
    """The dashboard's country and language choice, as the narrative page's address."""
    user = _user(request)
    editor_queries.require_editor(user)
    code, language = request.GET.get("country", ""), request.GET.get("language", "")
    if code not in countries() or language not in site_languages():
        raise Http404
    return redirect(_narrative_url(code, language))


@require_POST
def narrative_submit(request: HttpRequest, code: str, language: str) -> HttpResponse:
    user = _user(request)
    country = editor_queries.get_country_for_editor(user, code)
    revision = editor_queries.open_revision_of(country=country, language=language)
    form = VersionForm(request.POST)
    if revision is None or not form.is_valid():
        raise Http404
    try:
        editorial.submit_revision(
            revision=revision, actor=user, expected_version=form.cleaned_data["version"]
        )
    except EditConflict:
        messages.error(
            request, _("Someone saved this draft meanwhile: check it, then submit again.")
        )
    except services.ObservatoryError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Submitted: another observatory editor will review it."))
        return redirect(_dashboard_url())
    return redirect(_narrative_url(country.code, language))
