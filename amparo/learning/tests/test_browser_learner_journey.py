"""A person signs up as a learner, takes a lesson and a quiz, gets a certificate and verifies it
(issue #8: "sign up, take a lesson and a quiz, get a certificate and verify it"), on a phone
without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from amparo.learning.models import Enrolment
from amparo.learning.tests.factories import make_course
from amparo.testing.browser import click_and_wait, screenshot

pytestmark = pytest.mark.browser


def test_sign_up_learn_pass_the_quiz_and_verify_the_certificate(
    page_no_js, new_context, transactional_db
):
    make_course(readings=1)
    page = page_no_js

    # From the public catalogue to the course, then a learner account.
    page.goto("/en/learn/")
    click_and_wait(page, page.get_by_role("link", name="Security basics"))
    click_and_wait(page, page.get_by_role("link", name="Create a learner account"))
    page.get_by_label("Name to show").fill("Nadia")
    page.get_by_label("Email address").fill("nadia@example.org")
    page.get_by_label("Password", exact=False).first.fill("five words nobody would guess")
    screenshot(page, "learning-sign-up")
    click_and_wait(page, page.get_by_role("button", name="Create my learner account"))

    # Back on the course page, signed in: enrol and start.
    expect(page.get_by_role("heading", level=1)).to_have_text("Security basics")
    click_and_wait(page, page.get_by_role("button", name="Enrol in this course"))
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
    click_and_wait(page, page.get_by_role("link", name="Start the first lesson"))

    # A lesson: read, mark done, go on to the quiz.
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading 1")
    click_and_wait(page, page.get_by_role("button", name="Mark as done and continue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The quiz")

    # A wrong choice first: the result is immediate.
    page.get_by_role("group", name="1. Pick B").get_by_label("A").check()
    page.get_by_role("group", name="2. Pick A and C").get_by_label("A").check()
    page.get_by_role("group", name="2. Pick A and C").get_by_label("C").check()
    page.get_by_label("3. Say something about your work").fill("We walk home in pairs.")
    click_and_wait(page, page.get_by_role("button", name="Send my answers"))
    expect(page.get_by_text("Not yet right")).to_be_visible()
    expect(page.get_by_text("Waiting for a facilitator")).to_be_visible()

    # The form keeps the last answers: only the wrong one changes, and the course completes.
    expect(page.get_by_label("3. Say something about your work")).to_have_value(
        "We walk home in pairs."
    )
    page.get_by_role("group", name="1. Pick B").get_by_label("B").check()
    click_and_wait(page, page.get_by_role("button", name="Send my answers"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificate of completion")
    expect(page.get_by_text("Nadia completed the course")).to_be_visible()
    code = Enrolment.objects.get(learner__email="nadia@example.org").certificate_code
    expect(page.locator("dd code")).to_have_text(code)
    screenshot(page, "learning-certificate")

    # Anyone, without an account, checks the code.
    stranger = new_context(java_script_enabled=False).new_page()
    stranger.goto("/en/learn/certificates/")
    stranger.get_by_label("Certificate code").fill(code.lower())
    click_and_wait(stranger, stranger.get_by_role("button", name="Check"))
    expect(stranger.get_by_role("heading", name="This certificate is genuine")).to_be_visible()
    expect(stranger.get_by_text("Nadia", exact=True)).to_be_visible()
