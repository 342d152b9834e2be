"""Renaming and deleting a team, renaming a cohort and deleting one nobody has joined (ADR
0061): the services, the pages and their permission matrix over eight people:

- member: Lea, a learner in "Team 1" of the cohort;
- other_team: Olga, a learner in "Team 2" of the same cohort;
- not_enrolled: Nell, signed in, in no course;
- facilitator: Teo, trainer of Casa Segura, the cohort's lead;
- co_facilitator: Cora, trainer of Casa Segura, his co-facilitator;
- other_trainer: Tess, trainer of another office, who leads a cohort of her own;
- org_admin: Omar, administrator of Casa Segura, the trainers' organisation: no trainer;
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
from amparo.core.locking import EditConflict
from amparo.learning import services
from amparo.learning.models import Announcement, Cohort, Enrolment, Team, TeamAnswer
from amparo.learning.tests.factories import group_work_of, make_cohort, make_course, make_team
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

PEOPLE = (
    "member",
    "other_team",
    "not_enrolled",
    "facilitator",
    "co_facilitator",
    "other_trainer",
    "org_admin",
    "anonymous",
)


@dataclass
class World:
    cohort: Cohort
    empty: Cohort
    team: Team
    other_team: Team
    people: dict[str, User | None]


@pytest.fixture
def world(organisation, trainer, other_trainer, learner, org_admin) -> World:
    course = make_course(group_work=True)
    cora = staff_member(organisation, Role.TRAINER, email="cora@example.org", display_name="Cora")
    cohort = make_cohort(course, trainer, cora)
    empty = make_cohort(course, trainer, cora, name="June edition")  # nobody joined
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
        "org_admin": org_admin,
        "anonymous": None,
    }
    return World(cohort=cohort, empty=empty, team=team, other_team=other_team, people=people)


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


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def _team_answer(world: World) -> TeamAnswer:
    return services.write_team_answer(
        team=world.team,
        question=group_work_of(world.cohort.course),
        actor=world.people["member"],
        text="We leave meetings in pairs.",
        expected_version=0,
    )


NOBODY = dict.fromkeys(PEOPLE, 404) | {"anonymous": 302}
#: Any facilitator of the cohort decides on its teams; a member sees the team (403).
MANAGE_TEAM = {**NOBODY, "member": 403, "facilitator": 200, "co_facilitator": 200}
MANAGE_TEAM_POST = {**NOBODY, "member": 403, "facilitator": 302, "co_facilitator": 302}
#: The cohort itself is its lead's; the co-facilitator sees it (403).
LEAD = {**NOBODY, "facilitator": 200, "co_facilitator": 403}
LEAD_POST = {**NOBODY, "facilitator": 302, "co_facilitator": 403}


# --- the permission matrix ---


@pytest.mark.parametrize("page", ["learning:team-rename", "learning:team-delete"])
@pytest.mark.parametrize(("person", "expected"), _matrix(MANAGE_TEAM))
def test_team_pages_matrix(world, page, person, expected):
    response = _as(world, person).get(reverse(page, args=[world.team.pk]))

    assert response.status_code == expected
    assert ("Team 1" in response.content.decode()) == (expected == 200)


@pytest.mark.parametrize(("person", "expected"), _matrix(MANAGE_TEAM_POST))
def test_rename_a_team_matrix(world, person, expected):
    response = _as(world, person).post(
        reverse("learning:team-rename", args=[world.team.pk]),
        {"name": "River team", "version": "1"},
    )

    world.team.refresh_from_db()
    name = "River team" if _did(person, expected) else "Team 1"
    assert (response.status_code, world.team.name) == (expected, name)


@pytest.mark.parametrize(("person", "expected"), _matrix(MANAGE_TEAM_POST))
def test_delete_a_team_matrix(world, person, expected):
    response = _as(world, person).post(
        reverse("learning:team-delete", args=[world.team.pk]), {"version": "1"}
    )

    teams = sorted(Team.objects.filter(cohort=world.cohort).values_list("name", flat=True))
    lea = Enrolment.objects.get(learner=world.people["member"])
    if _did(person, expected):
        assert (response.status_code, teams, lea.team_id) == (expected, ["Team 2"], None)
    else:
        assert (response.status_code, teams, lea.team_id) == (
            expected,
            ["Team 1", "Team 2"],
            world.team.pk,
        )


@pytest.mark.parametrize("page", ["learning:cohort-rename", "learning:cohort-delete"])
@pytest.mark.parametrize(("person", "expected"), _matrix(LEAD))
def test_cohort_pages_matrix(world, page, person, expected):
    response = _as(world, person).get(reverse(page, args=[world.cohort.pk]))

    assert response.status_code == expected
    assert ("March edition" in response.content.decode()) == (expected == 200)


@pytest.mark.parametrize(("person", "expected"), _matrix(LEAD_POST))
def test_rename_a_cohort_matrix(world, person, expected):
    response = _as(world, person).post(
        reverse("learning:cohort-rename", args=[world.cohort.pk]),
        {"name": "May edition", "version": "1"},
    )

    world.cohort.refresh_from_db()
    name = "May edition" if _did(person, expected) else "March edition"
    assert (response.status_code, world.cohort.name) == (expected, name)


@pytest.mark.parametrize(("person", "expected"), _matrix(LEAD_POST))
def test_delete_a_cohort_nobody_joined_matrix(world, person, expected):
    response = _as(world, person).post(
        reverse("learning:cohort-delete", args=[world.empty.pk]), {"version": "1"}
    )

    kept = Cohort.objects.filter(pk=world.empty.pk).exists()
    assert (response.status_code, kept) == (expected, not _did(person, expected))


# --- teams: the services ---


def test_renaming_a_team_moves_its_version_and_is_audited(world):
    teo = world.people["facilitator"]

    team = services.rename_team(team=world.team, actor=teo, name=" River team ", expected_version=1)

    assert (Team.objects.get(pk=team.pk).name, team.version) == ("River team", 2)
    event = AuditEvent.objects.get(action="learning.team_renamed")
    assert (event.actor_id, event.object_ids) == (
        teo.pk,
        [str(world.team.pk), str(world.cohort.pk)],
    )


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("team 2", "Another team of this group already has this name."),
        ("   ", "Give the team a name."),
    ],
)
def test_a_team_name_taken_or_empty_is_refused(world, name, error):
    before = _actions()

    with pytest.raises(services.LearningError, match=error):
        services.rename_team(
            team=world.team, actor=world.people["facilitator"], name=name, expected_version=1
        )

    assert (Team.objects.get(pk=world.team.pk).name, _actions()) == ("Team 1", before)


def test_a_team_may_change_only_the_case_of_its_name(world):
    services.rename_team(
        team=world.team, actor=world.people["facilitator"], name="TEAM 1", expected_version=1
    )

    assert Team.objects.get(pk=world.team.pk).name == "TEAM 1"


def test_the_same_name_changes_nothing(world):
    before = _actions()

    team = services.rename_team(
        team=world.team, actor=world.people["facilitator"], name="Team 1", expected_version=1
    )

    assert (team.version, _actions()) == (1, before)


def test_a_stale_rename_raises_a_conflict_with_the_team_as_it_is(world):
    services.rename_team(
        team=world.team, actor=world.people["co_facilitator"], name="Cora's", expected_version=1
    )
    stale = Team.objects.get(pk=world.team.pk)
    stale.name = "Team 1"  # as the other tab still shows it

    with pytest.raises(EditConflict) as conflict:
        services.rename_team(
            team=stale, actor=world.people["facilitator"], name="Teo's", expected_version=1
        )

    assert (conflict.value.current.name, conflict.value.current.version) == ("Cora's", 2)
    assert Team.objects.get(pk=world.team.pk).name == "Cora's"


def test_deleting_a_team_puts_its_members_in_no_team_and_audits_each(world):
    ana = UserFactory(email="ana.t@example.org", display_name="Ana")
    make_team(world.cohort, ana, name="Team 3")
    Enrolment.objects.filter(learner=ana).update(team=world.team)
    teo = world.people["facilitator"]
    last = AuditEvent.objects.order_by("id").last()

    moved = services.delete_team(team=world.team, actor=teo, expected_version=1)

    assert moved == 2
    assert not Team.objects.filter(pk=world.team.pk).exists()
    lea, ana_now = (Enrolment.objects.get(learner=p) for p in (world.people["member"], ana))
    assert (lea.team_id, ana_now.team_id) == (None, None)
    events = AuditEvent.objects.filter(id__gt=last.id).order_by("id")
    assert list(events.values_list("action", "subject_user_id")) == [
        ("learning.learner_placed", world.people["member"].pk),
        ("learning.learner_placed", ana.pk),
        ("learning.team_deleted", None),
    ]
    assert events.last().object_ids == [str(world.team.pk), str(world.cohort.pk)]


@pytest.mark.parametrize("reviewed", [False, True])
def test_a_team_with_answers_is_kept(world, reviewed):
    answer = _team_answer(world)
    if reviewed:
        services.review_team_answer(
            answer=answer,
            actor=world.people["facilitator"],
            feedback="Clear.",
            expected_version=answer.version,
        )
    before = _actions()

    with pytest.raises(services.LearningError, match="This team has written answers"):
        services.delete_team(team=world.team, actor=world.people["facilitator"], expected_version=1)

    assert TeamAnswer.objects.filter(team=world.team).count() == 1
    lea = Enrolment.objects.get(learner=world.people["member"])
    assert (lea.team_id, _actions()) == (world.team.pk, before)


def test_a_stale_deletion_raises_a_conflict(world):
    services.rename_team(
        team=world.team, actor=world.people["co_facilitator"], name="Renamed", expected_version=1
    )

    with pytest.raises(EditConflict):
        services.delete_team(team=world.team, actor=world.people["facilitator"], expected_version=1)

    assert Team.objects.filter(pk=world.team.pk).exists()


# --- cohorts: the services ---


def test_the_lead_renames_the_cohort(world):
    teo = world.people["facilitator"]

    cohort = services.rename_cohort(
        cohort=world.cohort, actor=teo, name="  May edition ", expected_version=1
    )

    assert (Cohort.objects.get(pk=cohort.pk).name, cohort.version) == ("May edition", 2)
    event = AuditEvent.objects.get(action="learning.cohort_renamed")
    assert (event.actor_id, event.object_ids) == (
        teo.pk,
        [str(world.cohort.pk), str(world.cohort.course_id)],
    )


def test_a_co_facilitator_may_not_rename_or_delete_the_cohort(world):
    cora = world.people["co_facilitator"]

    with pytest.raises(services.LearningError, match="Only the group's lead"):
        services.rename_cohort(cohort=world.cohort, actor=cora, name="X", expected_version=1)
    with pytest.raises(services.LearningError, match="Only the group's lead"):
        services.delete_cohort(cohort=world.empty, actor=cora, expected_version=1)

    assert Cohort.objects.get(pk=world.cohort.pk).name == "March edition"
    assert Cohort.objects.filter(pk=world.empty.pk).exists()


def test_a_stale_cohort_rename_raises_a_conflict(world, organisation):
    teo = world.people["facilitator"]
    tom = staff_member(organisation, Role.TRAINER, email="tom@example.org", display_name="Tom")
    services.add_co_facilitator(cohort=world.cohort, actor=teo, person=tom)  # version 2

    with pytest.raises(EditConflict) as conflict:
        services.rename_cohort(cohort=world.cohort, actor=teo, name="May", expected_version=1)

    assert conflict.value.current.version == 2
    assert Cohort.objects.get(pk=world.cohort.pk).name == "March edition"


def test_deleting_a_cohort_nobody_joined_takes_its_teams_and_announcements(world):
    teo = world.people["facilitator"]
    services.create_team(cohort=world.empty, actor=teo, name="Team A")
    services.post_announcement(cohort=world.empty, actor=teo, body="Welcome")

    services.delete_cohort(cohort=world.empty, actor=teo, expected_version=1)

    assert not Cohort.objects.filter(pk=world.empty.pk).exists()
    assert not Team.objects.filter(name="Team A").exists()
    assert not Announcement.objects.exists()
    event = AuditEvent.objects.get(action="learning.cohort_deleted")
    assert (event.actor_id, event.object_ids) == (
        teo.pk,
        [str(world.empty.pk), str(world.empty.course_id)],
    )


def test_a_cohort_learners_joined_is_kept_with_the_reason(world):
    with pytest.raises(services.LearningError) as refusal:
        services.delete_cohort(
            cohort=world.cohort, actor=world.people["facilitator"], expected_version=1
        )

    assert refusal.value.message == (
        "2 learners have joined this group, so it cannot be deleted: their progress and "
        "answers belong to it. You can still rename it."
    )
    assert Cohort.objects.filter(pk=world.cohort.pk).exists()
    assert AuditEvent.objects.filter(action="learning.cohort_deleted").count() == 0


# --- the pages ---


def test_the_teams_page_links_each_team_to_its_rename_and_delete_pages(world):
    response = _as(world, "co_facilitator").get(
        reverse("learning:cohort-teams", args=[world.cohort.pk])
    )

    html = response.content.decode()
    for team in (world.team, world.other_team):
        assert reverse("learning:team-rename", args=[team.pk]) in html
        assert reverse("learning:team-delete", args=[team.pk]) in html


def test_the_team_page_offers_renaming_to_facilitators_only(world):
    rename = reverse("learning:team-rename", args=[world.team.pk])
    pages = {
        person: rename in _as(world, person).get(world.team.get_absolute_url()).content.decode()
        for person in ("member", "facilitator", "co_facilitator")
    }

    assert pages == {"member": False, "facilitator": True, "co_facilitator": True}


def test_the_cohort_page_offers_renaming_and_deleting_to_the_lead_only(world):
    links = [
        reverse("learning:cohort-rename", args=[world.cohort.pk]),
        reverse("learning:cohort-delete", args=[world.cohort.pk]),
    ]
    pages = {}
    for person in ("facilitator", "co_facilitator"):
        html = _as(world, person).get(world.cohort.get_absolute_url()).content.decode()
        pages[person] = [link in html for link in links]

    assert pages == {"facilitator": [True, True], "co_facilitator": [False, False]}


def test_renaming_a_team_on_its_page_goes_back_to_the_teams(world):
    client = _as(world, "co_facilitator")
    url = reverse("learning:team-rename", args=[world.team.pk])

    form = client.get(url).context["form"]
    response = client.post(url, {"name": "River team", "version": form["version"].value()})

    assert response["Location"] == reverse("learning:cohort-teams", args=[world.cohort.pk])
    page = client.get(response["Location"]).content.decode()
    assert "The team is now called “River team”." in page
    assert form["name"].value() == "Team 1"


def test_a_stale_team_rename_answers_409_with_the_current_name_and_the_typed_one_kept(world):
    client = _as(world, "facilitator")
    services.rename_team(
        team=world.team, actor=world.people["co_facilitator"], name="Cora's", expected_version=1
    )

    response = client.post(
        reverse("learning:team-rename", args=[world.team.pk]),
        {"name": "Teo's", "version": "1"},
    )

    html = response.content.decode()
    form = response.context["form"]
    assert response.status_code == 409
    assert "it is now called “Cora&#x27;s”" in html
    assert (form["name"].value(), form["version"].value()) == ("Teo's", "2")
    assert Team.objects.get(pk=world.team.pk).name == "Cora's"


def test_a_taken_team_name_answers_422_with_the_typed_name_kept(world):
    response = _as(world, "facilitator").post(
        reverse("learning:team-rename", args=[world.team.pk]),
        {"name": "TEAM 2", "version": "1"},
    )

    assert response.status_code == 422
    assert response.context["form"]["name"].value() == "TEAM 2"
    assert "Another team of this group already has this name." in response.content.decode()


def test_the_delete_page_lists_the_members_and_the_deletion_says_how_many_moved(world):
    client = _as(world, "facilitator")
    url = reverse("learning:team-delete", args=[world.team.pk])

    page = client.get(url)
    response = client.post(url, {"version": "1"}, follow=True)

    assert [m.learner.display_name for m in page.context["members"]] == ["Lea"]
    assert "Its members will be in no team" in page.content.decode()
    assert "The team “Team 1” was deleted. Its 1 member is in no team now." in (
        response.content.decode()
    )
    assert [e.display_name for e in response.context["unplaced"]] == ["Lea"]


def test_the_delete_page_of_a_team_with_answers_says_why_it_is_kept_and_offers_no_button(world):
    _team_answer(world)
    client = _as(world, "facilitator")
    url = reverse("learning:team-delete", args=[world.team.pk])

    page = client.get(url)
    refused = client.post(url, {"version": "1"})

    reason = "This team has written answers to group work, so it is kept"
    assert reason in page.content.decode().replace("&#x27;", "'")
    assert "Delete the team</button>" not in page.content.decode()
    assert refused.status_code == 422
    assert reason in refused.content.decode().replace("&#x27;", "'")
    assert Team.objects.filter(pk=world.team.pk).exists()


def test_a_stale_team_deletion_answers_409_with_the_team_as_it_is(world):
    services.rename_team(
        team=world.team, actor=world.people["co_facilitator"], name="Renamed", expected_version=1
    )

    response = _as(world, "facilitator").post(
        reverse("learning:team-delete", args=[world.team.pk]), {"version": "1"}
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "This team was renamed after you opened this page." in html
    assert "Renamed" in html
    assert response.context["form"]["version"].value() == 2
    assert Team.objects.filter(pk=world.team.pk).exists()


def test_renaming_the_cohort_shows_the_new_name(world):
    client = _as(world, "facilitator")

    response = client.post(
        reverse("learning:cohort-rename", args=[world.cohort.pk]),
        {"name": "May edition", "version": "1"},
        follow=True,
    )

    assert response.redirect_chain == [(world.cohort.get_absolute_url(), 302)]
    assert "The group is now called “May edition”." in response.content.decode()
    assert response.context["cohort"].name == "May edition"


def test_a_stale_cohort_rename_answers_409_with_the_typed_name_kept(world):
    services.rename_cohort(
        cohort=world.cohort,
        actor=world.people["facilitator"],
        name="Renamed in another tab",
        expected_version=1,
    )

    response = _as(world, "facilitator").post(
        reverse("learning:cohort-rename", args=[world.cohort.pk]),
        {"name": "May edition", "version": "1"},
    )

    form = response.context["form"]
    assert response.status_code == 409
    assert "it is now called “Renamed in another tab”" in response.content.decode()
    assert (form["name"].value(), form["version"].value()) == ("May edition", "2")


def test_an_empty_cohort_name_answers_422(world):
    response = _as(world, "facilitator").post(
        reverse("learning:cohort-rename", args=[world.cohort.pk]), {"name": " ", "version": "1"}
    )

    assert response.status_code == 422
    assert Cohort.objects.get(pk=world.cohort.pk).name == "March edition"


def test_the_delete_page_of_a_joined_cohort_says_why_it_is_kept(world):
    client = _as(world, "facilitator")
    url = reverse("learning:cohort-delete", args=[world.cohort.pk])

    page = client.get(url).content.decode()
    refused = client.post(url, {"version": "1"})

    reason = "2 learners have joined this group, so it cannot be deleted"
    assert reason in page
    assert "Delete the group</button>" not in page
    assert (refused.status_code, reason in refused.content.decode()) == (422, True)
    assert Cohort.objects.filter(pk=world.cohort.pk).exists()


def test_deleting_an_empty_cohort_goes_back_to_the_list(world):
    client = _as(world, "facilitator")

    response = client.post(
        reverse("learning:cohort-delete", args=[world.empty.pk]), {"version": "1"}, follow=True
    )

    assert response.redirect_chain == [(reverse("learning:cohort-list"), 302)]
    assert "The group “June edition” was deleted." in response.content.decode()
    assert [cohort.name for cohort in response.context["cohorts"]] == ["March edition"]


def test_a_stale_cohort_deletion_answers_409(world):
    services.rename_cohort(
        cohort=world.empty, actor=world.people["facilitator"], name="July", expected_version=1
    )

    response = _as(world, "facilitator").post(
        reverse("learning:cohort-delete", args=[world.empty.pk]), {"version": "1"}
    )

    assert response.status_code == 409
    assert "This group changed after you opened this page" in response.content.decode()
    assert Cohort.objects.filter(pk=world.empty.pk).exists()


# --- query counts ---


@pytest.mark.parametrize("rows", [1, 50])
def test_team_delete_page_query_count_is_flat(client, world, rows, django_assert_num_queries):
    for n in range(rows - 1):
        learner = UserFactory(email=f"l{n}@example.org", display_name=f"L{n}")
        make_team(world.cohort, learner, name=f"Extra {n}")
        Enrolment.objects.filter(learner=learner).update(team=world.team)
    url = reverse("learning:team-delete", args=[world.team.pk])
    login_fresh(client, world.people["facilitator"])
    client.get(url)

    # session, user with memberships, team, members, has answers
    with django_assert_num_queries(5):
        response = client.get(url)

    assert len(response.context["members"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_cohort_delete_page_query_count_is_flat(client, world, rows, django_assert_num_queries):
    for n in range(rows - 1):
        make_team(world.cohort, UserFactory(email=f"l{n}@example.org"), name=f"Extra {n}")
    url = reverse("learning:cohort-delete", args=[world.cohort.pk])
    login_fresh(client, world.people["facilitator"])
    client.get(url)

    # session, user with memberships, cohort, learners who joined
    with django_assert_num_queries(4):
        response = client.get(url)

    assert f"{rows + 1} learner" in response.content.decode()
