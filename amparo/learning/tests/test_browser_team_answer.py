"""Two learners of a team write their shared answer on a phone: one with JavaScript, one
without. The second, whose page was opened before the first saved, is told so, sees the first
one's answer and keeps what she typed, then saves the two combined (issue #8: group work)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from amparo.accounts.tests.factories import UserFactory
from amparo.audit.services import audit_context
from amparo.learning.models import TeamAnswer
from amparo.learning.tests.factories import make_cohort, make_course, make_team
from amparo.testing.browser import click_and_wait, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_two_members_write_their_teams_answer_and_a_stale_save_keeps_the_typed_text(
    page, new_context, transactional_db
):
    course = make_course(readings=1, group_work=True)
    trainer = UserFactory(email="teo@example.org", display_name="Teo")
    lea = UserFactory(email="lea@example.org", display_name="Lea")
    ana = UserFactory(email="ana@example.org", display_name="Ana")
    make_team(make_cohort(course, trainer), lea, ana, name="River team")

    # Lea finds her team from her course page: its name and its members' names.
    sign_in(page, lea, totp_secret=None)
    page.goto(f"/learning/courses/{course.pk}/")
    expect(page.get_by_role("heading", name="Your team: River team")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Ana")).to_be_visible()
    click_and_wait(page, page.get_by_role("link", name="Your team's group work"))
    expect(page.get_by_role("heading", level=1)).to_have_text("River team")

    # Ana, on a phone without JavaScript, opens the same page before Lea saves.
    other = new_context(java_script_enabled=False).new_page()
    sign_in(other, ana, totp_secret=None)
    other.goto(page.url)
    expect(other.get_by_text("Your team has not answered yet.")).to_be_visible()

    # Lea writes the team's answer.
    page.get_by_label("Your team's answer").fill("We always leave meetings in pairs.")
    click_and_wait(page, page.get_by_role("button", name="Save our answer"))
    expect(page.get_by_text("Your team's answer was saved.")).to_be_visible()
    expect(page.locator("blockquote")).to_have_text("We always leave meetings in pairs.")
    screenshot(page, "learning-team-answer")

    # Ana saves over a page made before Lea's answer: refused, nothing of hers lost.
    other.get_by_label("Your team's answer").fill("We tell someone when we get home.")
    click_and_wait(other, other.get_by_role("button", name="Save our answer"))
    expect(other.locator("#error-summary")).to_contain_text(
        "Another member of your team saved this answer"
    )
    expect(other.locator("blockquote")).to_have_text("We always leave meetings in pairs.")
    box = other.get_by_label("Your team's answer")
    expect(box).to_have_value("We tell someone when we get home.")
    screenshot(other, "learning-team-answer-conflict")

    # She combines the two and saves again, this time over Lea's answer.
    box.fill("We always leave meetings in pairs, and tell someone when we get home.")
    click_and_wait(other, other.get_by_role("button", name="Save our answer"))
    expect(other.get_by_text("Your team's answer was saved.")).to_be_visible()

    with audit_context(actor=None):
        answer = TeamAnswer.objects.get()
        assert (answer.text, answer.written_by, answer.version) == (
            "We always leave meetings in pairs, and tell someone when we get home.",
            ana,
            2,
        )
