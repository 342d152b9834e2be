"""Pages of cohorts with several facilitators and of group work, with their permission matrix
over seven people:

- member: Lea, a learner in "Team 1" of the cohort;
- other_team: Olga, a learner in "Team 2" of the same cohort;
- not_enrolled: Nell, signed in, in no course;
- facilitator: Teo, trainer of Casa Segura, the cohort's lead;
- co_facilitator: Cora, trainer of Casa Segura, his co-facilitator;
- other_trainer: Tess, trainer of another office, who leads a cohort of her own;
- anonymous.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from amparo.accounts.enums import Role
from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory, staff_member
from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.learning import services
from amparo.learning.enums import ReviewState
from amparo.learning.models import Announcement, Answer, Cohort, Enrolment, Team, TeamAnswer
from amparo.learning.tests.factories import (
    group_work_of,
    make_cohort,
    make_course,
    make_team,
    pending_answer,
    quiz_of,
)
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

PEOPLE = (
    "member",
    "other_team",
    "not_enrolled",
    "facilitator",
    "co_facilitator",
    "other_trainer",
    "anonymous",
)


@dataclass
class World:
    cohort: Cohort
    team: Team
    other_team: Team
    people: dict[str, User | None]

    @property
    def question(self):
        return group_work_of(self.cohort.course)


@pytest.fixture
def world(organisation, trainer, other_trainer, learner) -> World:
    course = make_course(group_work=True)
    cora = staff_member(organisation, Role.TRAINER, email="cora@example.org", display_name="Cora")
    cohort = make_cohort(course, trainer, cora)
    olga = UserFactory(email="olga@example.org", display_name="Olga")
    nell = UserFactory(email="nell@example.org", display_name="Nell")
    team = make_team(cohort, learner, name="Team 1")
    other_team = make_team(cohort, olga, name="Team 2")
    make_cohort(make_course(slug="tess", group_work=True), other_trainer, name="Tess's edition")
    people: dict[str, User | None] = {
        "member": learner,
        "other_team": olga,
        "not_enrolled": nell,
        "facilitator": trainer,
        "co_facilitator": cora,
        "other_trainer": other_trainer,
        "anonymous": None,
    }
    return World(cohort=cohort, team=team, other_team=other_team, people=people)


def _as(world: World, person: str) -> Client:
    client = Client()
    user = world.people[person]
    if user is not None:
        login_fresh(client, user)
    return client


def _matrix(expected: dict[str, int]) -> list[tuple[str, int]]:
    assert set(expected) == set(PEOPLE)
    return list(expected.items())


def _did(person: str, expected: int) -> bool:
    """Whether a POST answered `expected` had its effect (an anonymous 302 is to sign in)."""
    return expected == 302 and person != "anonymous"


def _state(model, pk) -> str:
    """The review state, read without decrypting the row's text."""
    return model.objects.filter(pk=pk).values_list("state", flat=True).get()


def _write(world: World, member: User, text: str, version: int = 0) -> TeamAnswer:
    return services.write_team_answer(
        team=world.team, question=world.question, actor=member, text=text, expected_version=version
    )


def _text(answer_id) -> str:
    with audit_context(actor=None):
        return TeamAnswer.objects.get(pk=answer_id).text


NOBODY = {
    "member": 404,
    "other_team": 404,
    "not_enrolled": 404,
    "facilitator": 404,
    "co_facilitator": 404,
    "other_trainer": 404,
    "anonymous": 302,
}
FACILITATORS = {**NOBODY, "facilitator": 200, "co_facilitator": 200}
FACILITATORS_POST = {**NOBODY, "facilitator": 302, "co_facilitator": 302}


# --- the permission matrix ---


@pytest.mark.parametrize(("person", "expected"), _matrix({**FACILITATORS, "member": 200}))
def test_team_page_matrix(world, person, expected):
    _write(world, world.people["member"], "We leave in pairs.")

    response = _as(world, person).get(world.team.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == expected
    assert ("We leave in pairs." in html) == (expected == 200)
    assert ("Olga" in html) is False  # another team's member never shows


@pytest.mark.parametrize(
    ("person", "expected"),
    _matrix({**NOBODY, "member": 302, "facilitator": 403, "co_facilitator": 403}),
)
def test_team_answer_matrix(world, person, expected):
    question = world.question

    response = _as(world, person).post(
        reverse("learning:team-answer", args=[world.team.pk, question.pk]),
        {f"{question.pk}-text": "Our shared rule", f"{question.pk}-version": "0"},
    )

    written = list(TeamAnswer.objects.values_list("team_id", "written_by_id"))
    expected_rows = [(world.team.pk, world.people["member"].pk)] if _did(person, expected) else []
    assert (response.status_code, written) == (expected, expected_rows)


@pytest.mark.parametrize(("person", "expected"), _matrix(FACILITATORS_POST))
def test_team_answer_review_matrix(world, person, expected):
    answer = _write(world, world.people["member"], "Ours")

    response = _as(world, person).post(
        reverse("learning:team-answer-review", args=[answer.pk]),
        {f"{answer.pk}-feedback": "Well agreed.", f"{answer.pk}-version": answer.version},
    )

    reviewed = ReviewState.REVIEWED if _did(person, expected) else ReviewState.PENDING
    assert (response.status_code, _state(TeamAnswer, answer.pk)) == (expected, reviewed)


@pytest.mark.parametrize(("person", "expected"), _matrix(FACILITATORS))
def test_cohort_teams_page_matrix(world, person, expected):
    response = _as(world, person).get(reverse("learning:cohort-teams", args=[world.cohort.pk]))

    assert response.status_code == expected
    if expected == 200:
        assert [team.name for team in response.context["teams"]] == ["Team 1", "Team 2"]


@pytest.mark.parametrize(("person", "expected"), _matrix(FACILITATORS_POST))
def test_make_a_team_matrix(world, person, expected):
    response = _as(world, person).post(
        reverse("learning:cohort-teams", args=[world.cohort.pk]), {"name": "Team 3"}
    )

    made = Team.objects.filter(name="Team 3").exists()
    assert (response.status_code, made) == (expected, _did(person, expected))


@pytest.mark.parametrize(("person", "expected"), _matrix(FACILITATORS_POST))
def test_place_a_learner_matrix(world, person, expected):
    olga = Enrolment.objects.get(learner=world.people["other_team"])

    response = _as(world, person).post(
        reverse("learning:team-placement", args=[world.cohort.pk]),
        {"enrolments": [str(olga.pk)], "team": str(world.team.pk)},
    )

    olga.refresh_from_db()
    team = world.team if _did(person, expected) else world.other_team
    assert (response.status_code, olga.team) == (expected, team)


@pytest.mark.parametrize(("person", "expected"), _matrix(FACILITATORS))
def test_cohort_progress_page_matrix(world, person, expected):
    response = _as(world, person).get(reverse("learning:cohort", args=[world.cohort.pk]))

    assert response.status_code == expected
    if expected == 200:
        names = [(e.learner.display_name, e.team.name) for e in response.context["enrolments"]]
        assert names == [("Lea", "Team 1"), ("Olga", "Team 2")]


@pytest.mark.parametrize(("person", "expected"), _matrix(FACILITATORS_POST))
def test_review_of_a_learners_answer_matrix(world, person, expected):
    answer = pending_answer(Enrolment.objects.get(learner=world.people["member"]))

    response = _as(world, person).post(
        reverse("learning:answer-review", args=[answer.pk]),
        {f"{answer.pk}-feedback": "Good", f"{answer.pk}-version": answer.version},
    )

    reviewed = ReviewState.REVIEWED if _did(person, expected) else ReviewState.PENDING
    assert (response.status_code, _state(Answer, answer.pk)) == (expected, reviewed)


@pytest.mark.parametrize(("person", "expected"), _matrix(FACILITATORS_POST))
def test_announcement_matrix(world, person, expected):
    response = _as(world, person).post(
        reverse("learning:announcement-create", args=[world.cohort.pk]), {"body": "Thursday"}
    )

    posted = list(Announcement.objects.values_list("author_id", flat=True))
    author = world.people[person]
    assert (response.status_code, posted) == (
        expected,
        [author.pk] if _did(person, expected) else [],
    )


@pytest.mark.parametrize(("person", "expected"), _matrix(FACILITATORS))
def test_facilitators_page_matrix(world, person, expected):
    response = _as(world, person).get(
        reverse("learning:cohort-facilitators", args=[world.cohort.pk])
    )

    assert response.status_code == expected
    if expected == 200:
        assert [p.display_name for p in response.context["facilitators"]] == ["Teo", "Cora"]
        assert response.context["is_lead"] is (person == "facilitator")


@pytest.mark.parametrize(
    ("person", "expected"), _matrix({**FACILITATORS_POST, "co_facilitator": 403})
)
def test_add_a_co_facilitator_matrix(world, organisation, person, expected):
    tom = staff_member(organisation, Role.TRAINER, email="tom@example.org", display_name="Tom")

    response = _as(world, person).post(
        reverse("learning:cohort-facilitators", args=[world.cohort.pk]), {"person": str(tom.pk)}
    )

    added = world.cohort.facilitators.filter(pk=tom.pk).exists()
    assert (response.status_code, added) == (expected, _did(person, expected))


@pytest.mark.parametrize(
    ("person", "expected"), _matrix({**FACILITATORS_POST, "co_facilitator": 403})
)
def test_remove_a_co_facilitator_matrix(world, person, expected):
    cora = world.people["co_facilitator"]

    response = _as(world, person).post(
        reverse("learning:facilitator-remove", args=[world.cohort.pk, cora.pk])
    )

    still = world.cohort.facilitators.filter(pk=cora.pk).exists()
    assert (response.status_code, still) == (expected, not _did(person, expected))


# --- what each page shows and does ---


def test_a_learner_sees_their_team_and_its_members_names_on_the_course_page(client, world):
    ana = UserFactory(email="ana.t@example.org", display_name="Ana")
    services.place_learners(
        cohort=world.cohort,
        actor=world.people["facilitator"],
        enrolments=[services.enrol(learner=ana, course=world.cohort.course, cohort=world.cohort)],
        team=world.team,
    )
    client.force_login(world.people["member"])

    response = client.get(reverse("learning:course-progress", args=[world.cohort.course.pk]))

    html = response.content.decode()
    assert response.context["team"] == world.team
    assert [m.learner.display_name for m in response.context["team_members"]] == ["Lea", "Ana"]
    assert "Your team: Team 1" in html
    assert "ana.t@example.org" not in html  # names only, never addresses
    assert "Olga" not in html


def test_the_quiz_page_sends_a_team_member_to_the_team_and_tells_others_there_is_nothing_to_send(
    client, world, course, learner
):
    quiz = quiz_of(world.cohort.course)
    client.force_login(world.people["member"])
    member_page = client.get(quiz.get_absolute_url()).content.decode()
    alone = make_course(slug="alone", group_work=True)
    nell = world.people["not_enrolled"]
    services.enrol(learner=nell, course=alone)
    client.force_login(nell)
    alone_page = client.get(quiz_of(alone).get_absolute_url()).content.decode()

    link = f"{world.team.get_absolute_url()}#question-{world.question.pk}"
    assert link in member_page
    assert "Agree on one rule as a team" in member_page
    assert "You are in no team" in alone_page
    assert "/learning/teams/" not in alone_page


def test_a_member_writes_the_answer_and_a_teammate_revises_it(client, world):
    lea = world.people["member"]
    ana = UserFactory(email="ana.t@example.org", display_name="Ana")
    Enrolment.objects.filter(
        pk=services.enrol(learner=ana, course=world.cohort.course, cohort=world.cohort).pk
    ).update(team=world.team)
    question = world.question
    url = reverse("learning:team-answer", args=[world.team.pk, question.pk])
    client.force_login(lea)

    first = client.post(url, {f"{question.pk}-text": "Lea's rule", f"{question.pk}-version": "0"})
    client.force_login(ana)
    page = client.get(world.team.get_absolute_url())
    form = page.context["exercises"][0]["form"]
    second = client.post(
        url,
        {f"{question.pk}-text": "Lea's rule, and Ana's", f"{question.pk}-version": "1"},
    )

    assert first["Location"] == f"{world.team.get_absolute_url()}#question-{question.pk}"
    assert (form.initial["text"], form.initial["version"]) == ("Lea's rule", 1)
    assert second.status_code == 302
    answer = TeamAnswer.objects.get()
    assert (_text(answer.pk), answer.written_by, answer.version) == (
        "Lea's rule, and Ana's",
        ana,
        2,
    )


def test_a_stale_version_is_refused_with_both_texts_on_the_page(client, world):
    lea = world.people["member"]
    answer = _write(world, lea, "Saved first by a teammate")
    question = world.question
    client.force_login(lea)

    response = client.post(
        reverse("learning:team-answer", args=[world.team.pk, question.pk]),
        {f"{question.pk}-text": "What I typed meanwhile", f"{question.pk}-version": "0"},
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "Saved first by a teammate" in html  # theirs, above
    assert "What I typed meanwhile" in html  # mine, kept in the box
    assert "Another member of your team saved this answer" in html
    form = response.context["exercises"][0]["form"]
    assert form["version"].value() == str(answer.version)  # sending again is deliberate
    assert _text(answer.pk) == "Saved first by a teammate"


def test_a_reviewed_answer_has_no_form_and_shows_the_feedback(client, world):
    answer = _write(world, world.people["member"], "Ours")
    services.review_team_answer(
        answer=answer,
        actor=world.people["co_facilitator"],
        feedback="Clear and practical.",
        expected_version=answer.version,
    )
    client.force_login(world.people["member"])

    response = client.get(world.team.get_absolute_url())

    assert response.context["exercises"][0]["form"] is None
    assert "Clear and practical." in response.content.decode()


def test_the_cohort_page_lists_team_answers_to_review(client, world):
    answer = _write(world, world.people["member"], "We share our routes.")
    client.force_login(world.people["co_facilitator"])

    response = client.get(reverse("learning:cohort", args=[world.cohort.pk]))

    assert [row["answer"].pk for row in response.context["team_pending"]] == [answer.pk]
    assert "We share our routes." in response.content.decode()
    assert AuditEvent.objects.filter(
        action="audit.tier1_read", actor=world.people["co_facilitator"]
    ).exists()


def test_a_stale_team_review_is_refused_and_keeps_the_feedback(client, world):
    answer = _write(world, world.people["member"], "First")
    _write(world, world.people["member"], "Second", version=answer.version)
    client.force_login(world.people["facilitator"])

    response = client.post(
        reverse("learning:team-answer-review", args=[answer.pk]),
        {f"{answer.pk}-feedback": "My careful feedback", f"{answer.pk}-version": answer.version},
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "My careful feedback" in html
    assert "The team changed this answer" in html
    assert TeamAnswer.objects.get().state == ReviewState.PENDING


def test_a_team_review_sent_after_anothers_answers_409_with_theirs_and_the_typed_feedback(
    client, world
):
    answer = _write(world, world.people["member"], "Ours")
    services.review_team_answer(
        answer=answer,
        actor=world.people["co_facilitator"],
        feedback="Cora's feedback",
        expected_version=answer.version,
    )
    client.force_login(world.people["facilitator"])

    response = client.post(
        reverse("learning:team-answer-review", args=[answer.pk]),
        {f"{answer.pk}-feedback": "Teo's feedback", f"{answer.pk}-version": 1},  # before Cora's
    )

    html = response.content.decode()
    assert response.status_code == 409
    [row] = response.context["team_pending"]
    form = row["form"]
    assert (row["answer"].pk, row["reviewed"]) == (answer.pk, True)
    assert (form["feedback"].value(), form["version"].value()) == ("Teo's feedback", "2")
    assert "Reviewed by Cora on" in html
    assert "The team changed this answer" in html
    assert _state(TeamAnswer, answer.pk) == ReviewState.REVIEWED


def test_the_teams_page_places_learners_and_takes_them_out(client, world):
    nell = world.people["not_enrolled"]
    enrolment = services.enrol(learner=nell, course=world.cohort.course, cohort=world.cohort)
    client.force_login(world.people["facilitator"])
    url = reverse("learning:team-placement", args=[world.cohort.pk])

    page = client.get(reverse("learning:cohort-teams", args=[world.cohort.pk]))
    placed = client.post(url, {"enrolments": [str(enrolment.pk)], "team": str(world.team.pk)})
    in_team = Enrolment.objects.get(pk=enrolment.pk).team
    client.post(url, {"enrolments": [str(enrolment.pk)], "team": ""})

    assert [e.pk for e in page.context["unplaced"]] == [enrolment.pk]
    assert placed["Location"] == reverse("learning:cohort-teams", args=[world.cohort.pk])
    assert (in_team, Enrolment.objects.get(pk=enrolment.pk).team) == (world.team, None)


def test_placing_a_learner_of_another_cohort_is_refused(client, world, other_trainer):
    tess_cohort = Cohort.objects.get(name="Tess's edition")
    stranger = services.enrol(
        learner=UserFactory(email="s@example.org"), course=tess_cohort.course, cohort=tess_cohort
    )
    client.force_login(world.people["facilitator"])

    response = client.post(
        reverse("learning:team-placement", args=[world.cohort.pk]),
        {"enrolments": [str(stranger.pk)], "team": str(world.team.pk)},
    )

    assert response.status_code == 422
    assert "This learner is not in the group." in response.content.decode()
    assert Enrolment.objects.get(pk=stranger.pk).team is None


def test_placing_nobody_says_what_to_do(client, world):
    client.force_login(world.people["facilitator"])

    response = client.post(
        reverse("learning:team-placement", args=[world.cohort.pk]), {"team": str(world.team.pk)}
    )

    assert response.status_code == 422
    assert "Choose at least one learner." in response.content.decode()
    assert list(Enrolment.objects.filter(team=world.team).values_list("learner__email")) == [
        ("lea@example.org",)
    ]


def test_a_team_name_taken_keeps_the_form(client, world):
    client.force_login(world.people["facilitator"])

    response = client.post(
        reverse("learning:cohort-teams", args=[world.cohort.pk]), {"name": "team 1"}
    )

    assert response.status_code == 422
    assert response.context["team_form"]["name"].value() == "team 1"
    assert Team.objects.filter(cohort=world.cohort).count() == 2


def test_the_lead_offers_only_trainers_of_the_organisation(client, world, organisation):
    staff_member(organisation, Role.TRAINER, email="tom@example.org", display_name="Tom")
    staff_member(organisation, Role.DESK_LEAD, email="dan@example.org", display_name="Dan")
    client.force_login(world.people["facilitator"])

    response = client.get(reverse("learning:cohort-facilitators", args=[world.cohort.pk]))

    choices = [label for _, label in response.context["form"].fields["person"].choices]
    assert choices == ["Tom"]  # not Cora (already in), Dan (no trainer) nor Tess (elsewhere)


def test_the_lead_cannot_remove_themselves(client, world):
    teo = world.people["facilitator"]
    client.force_login(teo)

    response = client.post(
        reverse("learning:facilitator-remove", args=[world.cohort.pk, teo.pk]), follow=True
    )

    assert "The lead facilitator cannot be removed" in response.content.decode()
    assert world.cohort.facilitators.filter(pk=teo.pk).exists()


def test_a_removed_co_facilitator_no_longer_reaches_the_cohort(client, world):
    cora = world.people["co_facilitator"]
    client.force_login(cora)
    url = reverse("learning:cohort", args=[world.cohort.pk])
    before = client.get(url)
    services.remove_co_facilitator(
        cohort=world.cohort, actor=world.people["facilitator"], person=cora
    )

    response = client.get(url)

    assert (before.status_code, world.cohort.name in before.content.decode()) == (200, True)
    assert response.status_code == 404
    assert world.cohort.name not in response.content.decode()


def test_quiz_form_leaves_group_work_to_the_team(client, world):
    lea = world.people["member"]
    quiz = quiz_of(world.cohort.course)
    client.force_login(lea)

    form = client.get(quiz.get_absolute_url()).context["quiz_form"]

    assert [field.label for field in form.visible_fields()] == [
        "1. Pick B",
        "2. Pick A and C",
        "3. Say something about your work",
    ]
    assert not Answer.objects.exists()
