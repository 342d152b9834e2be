"""The editors' pages for evaluations and framework versions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.core.conflicts import render_conflict, rows_from_form
from amparo.core.locking import EditConflict
from amparo.observatory import editor_queries, editorial, queries, services
from amparo.observatory.editor_forms import EvaluationForm, FrameworkForm
from amparo.observatory.editor_views import _language, _user
from amparo.observatory.enums import EditorialState, Score
from amparo.observatory.geography import country_name
from amparo.observatory.models import (
    Country,
    CriterionScore,
    Evaluation,
    Framework,
    PolicyInstrument,
    Revision,
)


def evaluation_url(evaluation: Evaluation) -> str:
    return reverse("observatory:editor-evaluation-edit", args=[evaluation.pk])


def framework_url(framework: Framework) -> str:
    return reverse("observatory:editor-framework-edit", args=[framework.key, framework.version])


def _criteria(framework: Framework) -> list[Any]:
    axes = queries.framework_tree(framework)
    return [c for axis in axes for c in axis.criteria.all()]


def _subject(request: HttpRequest) -> tuple[PolicyInstrument | None, Country | None]:
    key, code = request.GET.get("instrument", ""), request.GET.get("country", "")
    if bool(key) == bool(code):
        raise Http404
    if key:
        instrument = PolicyInstrument.objects.filter(key=key).first()
        if instrument is None:
            raise Http404
        return instrument, None
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise Http404
    return None, country


def _subject_name(instrument: PolicyInstrument | None, country: Country | None) -> str:
    if instrument is not None:
        queries.attach_titles([instrument], _language())
        return instrument.title
    return _("The policy of %(country)s as a whole") % {"country": country_name(country.code)}  # type: ignore[union-attr]


# --- evaluations ---


@require_http_methods(["GET", "POST"])
def evaluation_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    editor_queries.require_editor(user)
    instrument, country = _subject(request)
    framework = queries.current_framework()
    if framework is None:
        messages.error(request, _("Publish an evaluation framework first."))
        return redirect("observatory:editor-dashboard")
    criteria = _criteria(framework)
    form = EvaluationForm(
        request.POST or None, criteria=criteria, initial={"language": _language()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = services.create_evaluation(
                framework=framework,
                evaluator_name=data["evaluator_name"].strip(),
                evaluated_on=data["evaluated_on"],
                scores=form.scores(),
                actor=user,
                instrument=instrument,
                country=country,
                summary=data["summary"].strip(),
                language=data["language"],
            )
        except services.ObservatoryError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The evaluation was saved as a draft."))
            return redirect(evaluation_url(evaluation))
    context = {
        "form": form,
        "framework": framework,
        "subject": _subject_name(instrument, country),
        "evaluation": None,
        "editable": True,
    }
    status = 422 if form.errors else 200
    return render(request, "observatory/editor/evaluation_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def evaluation_edit(request: HttpRequest, evaluation_id: UUID) -> HttpResponse:
    user = _user(request)
    evaluation = editor_queries.get_evaluation_for_editor(user, evaluation_id)
    criteria = _criteria(evaluation.framework)
    scores = list(evaluation.scores.select_related("source_instrument"))
    token = editorial.lock_token(evaluation)
    initial = EvaluationForm.initial_from(evaluation, scores, token)
    editable = evaluation.editorial_state == EditorialState.DRAFT
    form = EvaluationForm(
        request.POST if request.method == "POST" else None, criteria=criteria, initial=initial
    )
    if request.method == "POST":
        if not editable:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                editorial.update_evaluation(
                    evaluation=evaluation,
                    data=editorial.EvaluationData(
                        evaluator_name=data["evaluator_name"].strip(),
                        evaluated_on=data["evaluated_on"],
                        summary=data["summary"].strip(),
                        language=data["language"],
                        scores=form.scores(),
                    ),
                    actor=user,
                    token=data["token"],
                )
            except EditConflict as conflict:
                return _evaluation_conflict(request, form, conflict.current, criteria)
            except services.ObservatoryError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The evaluation was saved."))
                return redirect(evaluation_url(evaluation))
    context = {
        "form": form,
        "framework": evaluation.framework,
        "subject": _subject_name(evaluation.instrument, evaluation.country),
        "evaluation": evaluation,
        "editable": editable,
        "revision": editor_queries.open_revision_of(evaluation=evaluation),
        "token": token,
    }
    status = 422 if form.errors else 200
    return render(request, "observatory/editor/evaluation_form.html", context, status=status)


def _evaluation_conflict(
    request: HttpRequest, form: EvaluationForm, current: Any, criteria: list[Any]
) -> HttpResponse:
    current = Evaluation.objects.get(pk=current.pk)
    saved = {s.criterion_id: s for s in current.scores.all()}
    rows = rows_from_form(form, current, ["evaluator_name", "summary"])
    labels = dict(Score.choices)
    for criterion in criteria:
        prefix = f"c{criterion.pk}"
        mine = form.data.get(f"{prefix}_score", "")
        score = saved.get(criterion.pk)
        rows.append(
            (
                criterion.name,
                f"{labels.get(mine, '')} {form.data.get(f'{prefix}_evidence', '')}".strip(),
                f"{labels.get(score.score, '')} {score.evidence}".strip() if score else "",
            )
        )
    data = request.POST.copy()
    data["token"] = editorial.lock_token(current)
    rebound = EvaluationForm(data, criteria=criteria)
    return render_conflict(request, rows=rows, form=rebound, back_url=evaluation_url(current))


@require_POST
def evaluation_submit(request: HttpRequest, evaluation_id: UUID) -> HttpResponse:
    user = _user(request)
    evaluation = editor_queries.get_evaluation_for_editor(user, evaluation_id)
    if request.POST.get("token") != editorial.lock_token(evaluation):
        messages.error(
            request, _("Someone saved this evaluation meanwhile: check it, then submit again.")
        )
        return redirect(evaluation_url(evaluation))
    try:
        editorial.submit_evaluation(evaluation=evaluation, actor=user)
    except services.ObservatoryError as error:
        messages.error(request, error.message)
        return redirect(evaluation_url(evaluation))
    messages.success(request, _("Submitted: another observatory editor will review it."))
    return redirect("observatory:editor-dashboard")


@require_POST
def evaluation_new_version(request: HttpRequest, evaluation_id: UUID) -> HttpResponse:
    user = _user(request)
    evaluation = editor_queries.get_evaluation_for_editor(user, evaluation_id)
    try:
        draft = editorial.new_evaluation_version(evaluation=evaluation, actor=user)
    except services.ObservatoryError as error:
        messages.error(request, error.message)
        return redirect(evaluation_url(evaluation))
    messages.success(request, _("A new version was started from the published one."))
    return redirect(evaluation_url(draft))


@dataclass(frozen=True)
class ScoreChange:
    criterion: Any
    before: CriterionScore | None
    after: CriterionScore | None

    @property
    def changed(self) -> bool:
        def plain(score: CriterionScore | None) -> tuple[Any, ...]:
            if score is None:
                return ()
            return (score.score, score.evidence, score.source_url, score.source_instrument_id)

        return plain(self.before) != plain(self.after)


def review_context(revision: Revision) -> dict[str, Any]:
    """The review of an evaluation (its scores beside the published version's) or of a
    framework version (the texts that differ from the version before it)."""
    if revision.evaluation_id:
        evaluation = revision.evaluation
        assert evaluation is not None  # noqa: S101 -- the database constraint guarantees it
        previous = (
            Evaluation.objects.filter(
                series=evaluation.series, editorial_state=EditorialState.PUBLISHED
            )
            .exclude(pk=evaluation.pk)
            .first()
        )
        scores = queries.scores_of([e for e in (evaluation, previous) if e])
        now = {s.criterion_id: s for s in scores.get(evaluation.pk, [])}
        before = {s.criterion_id: s for s in scores.get(previous.pk, [])} if previous else {}
        rows = [
            ScoreChange(c, before.get(c.pk), now.get(c.pk)) for c in _criteria(evaluation.framework)
        ]
        return {
            "evaluation": evaluation,
            "previous": previous,
            "rows": rows,
            "title": _subject_name(evaluation.instrument, evaluation.country),
            "subject_url": evaluation_url(evaluation),
        }
    framework = revision.framework
    assert framework is not None  # noqa: S101 -- the database constraint guarantees it
    previous_framework = (
        Framework.objects.filter(key=framework.key, version__lt=framework.version)
        .order_by("-version")
        .first()
    )
    return {
        "framework": framework,
        "previous": previous_framework,
        "rows": _framework_changes(previous_framework, framework),
        "title": framework.title,
        "subject_url": framework_url(framework),
    }


TEXT_LABELS = {
    "name": gettext_lazy("Name"),
    "description": gettext_lazy("Description"),
    "question": gettext_lazy("Question"),
    "guidance": gettext_lazy("Guidance for coders"),
    "good_practice": gettext_lazy("What good practice looks like"),
}


def _texts(framework: Framework | None) -> dict[tuple[str, ...], str]:
    if framework is None:
        return {}
    found: dict[tuple[str, ...], str] = {("", "", "title"): framework.title}
    found[("", "", "description")] = framework.description
    for axis in queries.framework_tree(framework):
        for name in ("name", "description"):
            found[(axis.key, "", name)] = getattr(axis, name)
        for c in axis.criteria.all():
            for name in ("name", "question", "guidance", "good_practice"):
                found[(axis.key, c.key, name)] = getattr(c, name)
    return found


def _framework_changes(before: Framework | None, after: Framework) -> list[dict[str, Any]]:
    old, new = _texts(before), _texts(after)
    rows = []
    for where, text in new.items():
        if old.get(where, "") != text:
            axis, criterion, name = where
            rows.append(
                {
                    "where": " · ".join(p for p in (axis, criterion) if p),
                    "label": TEXT_LABELS.get(name, gettext_lazy("Title")),
                    "before": old.get(where, ""),
                    "after": text,
                }
            )
    return rows


# --- framework versions ---


@require_GET
def framework_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    editor_queries.require_editor(user)
    context = {"frameworks": editor_queries.frameworks_for_editors()}
    return render(request, "observatory/editor/framework_list.html", context)


def _framework_language(request: HttpRequest) -> str:
    """The language edited: English (the source) unless `lang` names another of Amparo's."""
    language = (request.POST.get("lang") or request.GET.get("lang") or "en").strip()
    return language if language in dict(settings.LANGUAGES) else "en"


def _framework_texts(data: dict[str, Any], axes: list[Any]) -> dict[str, Any]:
    return {
        "title": data["title"].strip(),
        "description": data["description"].strip(),
        "axes": {a.pk: (data[f"a{a.pk}_name"], data[f"a{a.pk}_description"]) for a in axes},
        "criteria": {
            c.pk: editorial.CriterionText(
                name=data[f"c{c.pk}_name"],
                question=data[f"c{c.pk}_question"],
                guidance=data[f"c{c.pk}_guidance"],
                good_practice=data[f"c{c.pk}_good_practice"],
            )
            for a in axes
            for c in a.criteria.all()
        },
    }


@require_http_methods(["GET", "POST"])
def framework_edit(request: HttpRequest, key: str, version: int) -> HttpResponse:
    """The English texts of a draft version, or with `?lang=` one language's translation
    (blank fields read as the English)."""
    user = _user(request)
    framework = editor_queries.get_framework_for_editor(user, key, version)
    axes = queries.framework_tree(framework)
    token = editorial.lock_token(framework)
    editable = framework.editorial_state == EditorialState.DRAFT
    language = _framework_language(request)
    form = FrameworkForm(
        request.POST if request.method == "POST" else None,
        axes=axes,
        framework=framework,
        language=language,
        initial=FrameworkForm.initial_from(framework, axes, token),
    )
    if request.method == "POST":
        if not editable:
            raise Http404
        if form.is_valid():
            texts = _framework_texts(form.cleaned_data, axes)
            try:
                if language == "en":
                    editorial.update_framework_texts(
                        framework=framework, actor=user, token=form.cleaned_data["token"], **texts
                    )
                else:
                    editorial.update_framework_translation(
                        framework=framework,
                        actor=user,
                        token=form.cleaned_data["token"],
                        language=language,
                        **texts,
                    )
            except EditConflict as conflict:
                current = Framework.objects.get(pk=conflict.current.pk)
                data = request.POST.copy()
                data["token"] = editorial.lock_token(current)
                # The rows compare the English; a translation's conflict shows the form alone.
                rows = rows_from_form(form, current, ["title", "description"])
                return render_conflict(
                    request,
                    rows=rows if language == "en" else [],
                    form=FrameworkForm(data, axes=axes, framework=current, language=language),
                    back_url=framework_url(current),
                )
            except services.ObservatoryError as error:
                form.add_error(None, error.message)
            else:
                if language == "en":
                    messages.success(request, _("The draft framework version was saved."))
                else:
                    messages.success(request, _("The translation was saved."))
                target = framework_url(framework)
                return redirect(f"{target}?lang={language}" if language != "en" else target)
    context = {
        "framework": framework,
        "form": form,
        "editable": editable,
        "token": token,
        "language": language,
        "languages": [
            (code, name, framework.has_text("title", code)) for code, name in settings.LANGUAGES
        ],
        "revision": editor_queries.open_revision_of(framework=framework),
    }
    status = 422 if form.errors else 200
    return render(request, "observatory/editor/framework_form.html", context, status=status)


@require_POST
def framework_new_version(request: HttpRequest, key: str, version: int) -> HttpResponse:
    user = _user(request)
    framework = editor_queries.get_framework_for_editor(user, key, version)
    try:
        draft = editorial.new_framework_version(framework=framework, actor=user)
    except services.ObservatoryError as error:
        messages.error(request, error.message)
        return redirect("observatory:editor-framework-list")
    messages.success(request, _("A new draft version was started: edit its texts, then submit it."))
    return redirect(framework_url(draft))


@require_POST
def framework_submit(request: HttpRequest, key: str, version: int) -> HttpResponse:
    user = _user(request)
    framework = editor_queries.get_framework_for_editor(user, key, version)
    if request.POST.get("token") != editorial.lock_token(framework):
        messages.error(
            request, _("Someone saved this version meanwhile: check it, then submit again.")
        )
        return redirect(framework_url(framework))
    try:
        editorial.submit_framework(framework=framework, actor=user)
    except services.ObservatoryError as error:
        messages.error(request, error.message)
        return redirect(framework_url(framework))
    messages.success(request, _("Submitted: another observatory editor will review it."))
    return redirect("observatory:editor-dashboard")
