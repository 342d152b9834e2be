"""Two facilitators of a group look after its teams on a phone: the lead renames a team with
JavaScript on; his co-facilitator, without JavaScript, had opened the same rename page before:
her save is refused with the new name shown and hers kept. She then deletes the team, and its
member is back among the learners in no team (ADR 0061)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import OrganisationFactory, UserFactory, staff_member
from amparo.learning.models import Enrolment, Team
from amparo.learning.tests.factories import make_cohort, make_course, make_team
from amparo.testing.browser import click_and_wait, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_a_facilitator_renames_a_team_and_another_deletes_it_after_a_stale_rename(
    page, new_context, transactional_db
):
    office = OrganisationFactory(name="Casa Segura country office", slug="casa-segura")
    teo = staff_member(office, Role.TRAINER, email="teo@example.org", display_name="Teo")
    cora = staff_member(office, Role.TRAINER, email="cora@example.org", display_name="Cora")
    lea = UserFactory(email="lea@example.org", display_name="Lea")
    cohort = make_cohort(make_course(readings=1, group_work=True), teo, cora)
    make_team(cohort, lea, name="Team 1")
    teams_url = f"/learning/cohorts/{cohort.pk}/teams/"

    # Cora, on a phone without JavaScript, opens the rename page of Team 1 first.
    other = new_context(java_script_enabled=False).new_page()
    sign_in(other, cora)
    other.goto(teams_url)
    click_and_wait(other, other.get_by_role("link", name="Rename “Team 1”"))

    # Teo renames it from the group's teams page.
    sign_in(page, teo)
    page.goto(teams_url)
    click_and_wait(page, page.get_by_role("link", name="Rename “Team 1”"))
    page.get_by_label("Name of the team").fill("River team")
    click_and_wait(page, page.get_by_role("button", name="Rename the team"))
    expect(page.get_by_text("The team is now called “River team”.")).to_be_visible()
    expect(page.get_by_role("heading", name="River team")).to_be_visible()
    screenshot(page, "learning-team-renamed")

    # Cora's rename was made before Teo's: refused, his name shown, hers kept in the box.
    other.get_by_label("Name of the team").fill("Mountain team")
    click_and_wait(other, other.get_by_role("button", name="Rename the team"))
    expect(other.locator("#error-summary")).to_contain_text(
        "Someone renamed this team after you opened this page: it is now called “River team”."
    )
    expect(other.get_by_label("Name of the team")).to_have_value("Mountain team")
    screenshot(other, "learning-team-rename-conflict")

    # She deletes the team instead: the page says who goes back to no team.
    other.goto(teams_url)
    click_and_wait(other, other.get_by_role("link", name="Delete “River team”"))
    expect(other.get_by_role("listitem").filter(has_text="Lea")).to_be_visible()
    click_and_wait(other, other.get_by_role("button", name="Delete the team"))
    expect(
        other.get_by_text("The team “River team” was deleted. Its 1 member is in no team now.")
    ).to_be_visible()
    expect(other.get_by_text("This group has no team yet.")).to_be_visible()
    expect(other.locator("#unplaced + ul")).to_have_text("Lea")
    screenshot(other, "learning-team-deleted")

    assert not Team.objects.exists()
    assert Enrolment.objects.get(learner=lea).team_id is None
