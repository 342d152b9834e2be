"""Group work: a cohort's teams page, where its facilitators make teams and place learners,
the pages where they rename and delete a team, and a team's page, where its members see each
other's display names and write the team's shared answers (which the facilitators read there
and review on the cohort's page)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import User
from amparo.core.csrf import csrf_input
from amparo.core.locking import EditConflict
from amparo.core.pages import rebound, user_of
from amparo.core.reversing import reverse
from amparo.learning import queries, rows, services
from amparo.learning.enums import ReviewState
from amparo.learning.forms import (
    DeleteForm,
    PlacementForm,
    TeamAnswerForm,
    TeamForm,
    TeamRenameForm,
)
from amparo.learning.models import Cohort, Team

# --- a cohort's teams (facilitators) ---


def _teams_page(
    request: HttpRequest,
    cohort: Cohort,
    *,
    team_form: TeamForm | None = None,
    placement_form: PlacementForm | None = None,
    status: int = 200,
) -> HttpResponse:
    teams = queries.teams_of(cohort)
    unplaced = queries.learners_without_team(cohort)
    # One token for every form of the page: the rows' (written in Python) and the template's
    # `{% csrf_token %}`, which reads it from the context.
    token = get_token(request)
    placement_url = reverse("learning:team-placement", args=[cohort.pk])
    context = {
        "cohort": cohort,
        "teams": teams,
        "team_sections": rows.team_sections(
            teams, placement_url=placement_url, csrf=csrf_input(token)
        ),
        "team_options": rows.team_options(teams) if unplaced else "",
        "unplaced": unplaced,
        "learner_boxes": rows.learner_boxes(unplaced) if teams else "",
        "learner_items": "" if teams else rows.learner_items(unplaced),
        "team_form": team_form or TeamForm(),
        "placement_form": placement_form,
        "csrf_token": token,
    }
    return render(request, "learning/cohort_teams.html", context, status=status)


@require_http_methods(["GET", "POST"])
def cohort_teams(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    """The cohort's teams with their members and the learners in no team; a new team."""
    user = user_of(request)
    cohort = queries.get_cohort_for_user(user, cohort_id)
    if request.method != "POST":
        return _teams_page(request, cohort)
    form = TeamForm(request.POST)
    if form.is_valid():
        try:
            team = services.create_team(cohort=cohort, actor=user, name=form.cleaned_data["name"])
        except services.LearningError as error:
            form.add_error("name", error.message)
        else:
            messages.success(
                request, _("The team “%(name)s” is ready. Place learners in it.") % {"name": team}
            )
            return redirect("learning:cohort-teams", cohort_id=cohort.pk)
    return _teams_page(request, cohort, team_form=form, status=422)


@require_POST
def team_placement(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    """Put the chosen learners in a team, or take them out of theirs (an empty team)."""
    user = user_of(request)
    cohort = queries.get_cohort_for_user(user, cohort_id)
    form = PlacementForm(request.POST, cohort=cohort)
    if form.is_valid():
        team = form.cleaned_data["team"]
        try:
            moved = services.place_learners(
                cohort=cohort,
                actor=user,
                enrolments=list(form.cleaned_data["enrolments"]),
                team=team,
            )
        except services.LearningError as error:
            form.add_error(None, error.message)
        else:
            if team is None:
                text = ngettext(
                    "%(count)d learner is in no team now.",
                    "%(count)d learners are in no team now.",
                    moved,
                )
            else:
                text = ngettext(
                    "%(count)d learner placed in “%(team)s”.",
                    "%(count)d learners placed in “%(team)s”.",
                    moved,
                )
            messages.success(request, text % {"count": moved, "team": team})
            return redirect("learning:cohort-teams", cohort_id=cohort.pk)
    return _teams_page(request, cohort, placement_form=form, status=422)


# --- renaming and deleting a team (facilitators) ---


def _rename_page(
    request: HttpRequest, team: Team, form: TeamRenameForm, status: int = 200
) -> HttpResponse:
    context = {"team": team, "cohort": team.cohort, "form": form}
    return render(request, "learning/team_rename.html", context, status=status)


@require_http_methods(["GET", "POST"])
def team_rename(request: HttpRequest, team_id: UUID) -> HttpResponse:
    """A facilitator of the team's cohort renames it. A form made before someone else renamed
    the team answers 409 with its name as it is now and the typed one kept."""
    user = user_of(request)
    team = queries.get_team_to_manage(user, team_id)
    if request.method != "POST":
        form = TeamRenameForm(initial={"name": team.name, "version": team.version})
        return _rename_page(request, team, form)
    form = TeamRenameForm(request.POST)
    if form.is_valid():
        try:
            services.rename_team(
                team=team,
                actor=user,
                name=form.cleaned_data["name"],
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict:
            team = queries.get_team_to_manage(user, team_id)
            form = TeamRenameForm(rebound(request, team.version))
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone renamed this team after you opened this page: it is now called "
                    "“%(name)s”. The name you typed is kept below: send it again to use it."
                )
                % {"name": team.name},
            )
            return _rename_page(request, team, form, status=409)
        except services.LearningError as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, _("The team is now called “%(name)s”.") % {"name": team})
            return redirect("learning:cohort-teams", cohort_id=team.cohort_id)
    return _rename_page(request, team, form, status=422)


def _delete_page(
    request: HttpRequest,
    team: Team,
    *,
    form: DeleteForm | None = None,
    changed: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {
        "team": team,
        "cohort": team.cohort,
        "members": queries.team_members(team),
        "has_answers": queries.team_has_answers(team),
        "form": form or DeleteForm(initial={"version": team.version}),
        "changed": changed,
    }
    return render(request, "learning/team_delete.html", context, status=status)


@require_http_methods(["GET", "POST"])
def team_delete(request: HttpRequest, team_id: UUID) -> HttpResponse:
    """A facilitator of the team's cohort deletes it, after a confirmation page that lists its
    members (they go back to no team). A team with answers is kept: the page says why. A
    confirmation made before someone renamed the team answers 409 with the team as it is."""
    user = user_of(request)
    team = queries.get_team_to_manage(user, team_id)
    if request.method != "POST":
        return _delete_page(request, team)
    form = DeleteForm(request.POST)
    if not form.is_valid():
        return _delete_page(request, team, form=form, status=422)
    try:
        moved = services.delete_team(
            team=team, actor=user, expected_version=form.cleaned_data["version"]
        )
    except EditConflict:
        team = queries.get_team_to_manage(user, team_id)
        return _delete_page(request, team, changed=True, status=409)
    except services.LearningError as error:
        form.add_error(None, error.message)
        return _delete_page(request, team, form=form, status=422)
    if moved:
        text = ngettext(
            "The team “%(name)s” was deleted. Its %(count)d member is in no team now.",
            "The team “%(name)s” was deleted. Its %(count)d members are in no team now.",
            moved,
        )
    else:
        text = _("The team “%(name)s” was deleted.")
    messages.success(request, text % {"name": team.name, "count": moved})
    return redirect("learning:cohort-teams", cohort_id=team.cohort_id)


# --- a team's page (members and facilitators) ---


def _team_page(
    request: HttpRequest,
    user: User,
    team: Team,
    *,
    forms: dict[UUID, TeamAnswerForm] | None = None,
    conflict: UUID | None = None,
    status: int = 200,
) -> HttpResponse:
    answers = queries.team_answers(team)
    exercises: list[dict[str, Any]] = []
    for question in queries.group_work_of(team.cohort.course_id):
        answer = answers.get(question.pk)
        form = None
        if team.is_member and (answer is None or answer.state != ReviewState.REVIEWED):  # type: ignore[attr-defined]
            form = (forms or {}).get(question.pk) or TeamAnswerForm(
                initial={
                    "text": answer.text if answer else "",
                    "version": answer.version if answer else 0,
                },
                prefix=str(question.pk),
            )
        exercises.append(
            {
                "question": question,
                "answer": answer,
                "form": form,
                "conflict": question.pk == conflict,
            }
        )
    context = {
        "team": team,
        "cohort": team.cohort,
        "course": team.cohort.course,
        "members": queries.team_members(team),
        "exercises": exercises,
        "is_member": team.is_member,  # type: ignore[attr-defined]
        "is_facilitator": team.is_facilitator,  # type: ignore[attr-defined]
    }
    return render(request, "learning/team_detail.html", context, status=status)


@require_GET
def team_detail(request: HttpRequest, team_id: UUID) -> HttpResponse:
    user = user_of(request)
    return _team_page(request, user, queries.get_team_for_user(user, team_id))


@require_POST
def team_answer(request: HttpRequest, team_id: UUID, question_id: UUID) -> HttpResponse:
    """A member writes or revises the team's answer. A stale version (another member saved
    meanwhile) answers 409 with the current answer on the page and the typed text kept."""
    user = user_of(request)
    team = queries.get_team_for_user(user, team_id, for_write=True)
    question = queries.get_group_work(team, question_id)
    prefix = str(question.pk)
    form = TeamAnswerForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            services.write_team_answer(
                team=team,
                question=question,
                actor=user,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as conflict:
            data = request.POST.copy()
            data[f"{prefix}-version"] = str(conflict.current.version)  # type: ignore[attr-defined]
            form = TeamAnswerForm(data, prefix=prefix)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Another member of your team saved this answer after you opened the page. "
                    "Their answer is shown above; what you wrote is kept below. Combine the "
                    "two, then save again."
                ),
            )
            return _team_page(
                request, user, team, forms={question.pk: form}, conflict=question.pk, status=409
            )
        except services.LearningError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your team's answer was saved."))
            return redirect(f"{team.get_absolute_url()}#question-{question.pk}")
    return _team_page(request, user, team, forms={question.pk: form}, status=422)
