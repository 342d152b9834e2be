"""In a browser: raise an alert, acknowledge it from the emailed link, write its debrief and
close it with a reason (refused first while its source still poses a threat); see an
acknowledgement arrive on the alert's page without reloading it; miss a check-in and see the
escalation arrive on the alert page and in the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from amparo.networks import services, sweeps, views
from amparo.networks.models import Alert
from amparo.networks.tests.factories import make_check_in, make_contact, make_tree
from amparo.testing.browser import click_and_wait, screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("tab", ["page", "page_no_js"])
def test_raise_an_alert_and_acknowledge_it_from_the_link(  # noqa: PLR0917 -- fixtures
    request, tab, new_context, transactional_db, defender, own_subject
):
    page = request.getfixturevalue(tab)
    rosa = make_contact(own_subject, name="Rosa", disclosure="message_location")
    make_tree(own_subject, [([rosa], 10)])
    sign_in(page, defender)

    page.goto(reverse("networks:network", args=[own_subject.pk]))
    click_and_wait(page, page.get_by_role("link", name="Raise an urgent alert"))
    page.get_by_label("Message").fill("Two men outside the house")
    page.get_by_label("Share a location").select_option("locality")
    page.get_by_label("Location", exact=True).fill("Barrio San José")
    click_and_wait(page, page.get_by_role("button", name="Raise the alert"))
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Told: 1 · answered: 0")
    screenshot(page, "networks-alert-raised")

    # Rosa opens the link from her email, without an account.
    (message,) = mail.outbox
    assert "Two men" not in message.body
    link = message.body.split("http://127.0.0.1:8000", 1)[1].split()[0]
    contact_page = new_context(java_script_enabled=tab == "page").new_page()
    contact_page.goto(link)
    expect(contact_page.get_by_text("Two men outside the house")).to_be_visible()
    expect(contact_page.get_by_text("Barrio San José")).to_be_visible()
    click_and_wait(contact_page, contact_page.get_by_role("button", name="I received this alert"))
    expect(contact_page.get_by_role("heading", level=1)).to_have_text("Thank you")
    # The link works once.
    contact_page.goto(link)
    expect(contact_page.get_by_role("heading", level=1)).to_have_text("This link does not work")

    # The sender reloads the alert page (a plain link, no script needed).
    click_and_wait(page, page.get_by_role("link", name="Reload to see who has answered"))
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Told: 1 · answered: 1")
    expect(page.get_by_role("cell", name="Rosa")).to_be_visible()

    # Rosa answered: the debrief is due (NET-2). Ana writes it.
    expect(page.get_by_text("Debrief due")).to_be_visible()
    click_and_wait(page, page.get_by_role("link", name="Write the debrief"))
    page.get_by_label("What happened?").fill("Two men waited outside, then drove off")
    page.get_by_label("What did the network do?").fill("Rosa called within five minutes")
    page.get_by_label("What worked?").fill("The link in the email")
    click_and_wait(page, page.get_by_role("button", name="Save the debrief"))
    expect(page.get_by_text("Rosa called within five minutes")).to_be_visible()
    expect(page.get_by_text("Debrief due")).to_have_count(0)

    # Closing while the source may still threaten is refused; what was typed stays (NET-3).
    click_and_wait(page, page.get_by_role("link", name="Close or lower the alert"))
    page.get_by_label("The harm was prevented").check()
    page.get_by_label("We do not know yet").check()
    page.get_by_label("Reason").fill("The men were identified and left town")
    page.get_by_label("What to keep watching").fill("A grey car near the house")
    click_and_wait(page, page.get_by_role("button", name="Close the alert"))
    expect(page.get_by_text("Keep it open, or lower it")).to_be_visible()
    expect(page.get_by_label("Reason")).to_have_value("The men were identified and left town")
    page.get_by_label("No, it no longer poses a threat").check()
    click_and_wait(page, page.get_by_role("button", name="Close the alert"))
    expect(page.get_by_text("The alert was closed.")).to_be_visible()
    expect(page.get_by_text("The men were identified and left town")).to_be_visible()
    screenshot(page, "networks-alert-closed")

    # What to keep watching stays on the network page.
    page.goto(reverse("networks:network", args=[own_subject.pk]))
    expect(page.get_by_text("Keep watching: A grey car near the house")).to_be_visible()


def test_the_sender_sees_the_answer_arrive_without_reloading(
    page, transactional_db, defender, own_subject
):
    rosa = make_contact(own_subject, name="Rosa")
    make_tree(own_subject, [([rosa], 10)])
    alert = services.raise_alert(actor=defender, defender=own_subject, message="Men outside")
    sign_in(page, defender)
    loads: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: loads.append(frame.url) if frame == page.main_frame else None,
    )
    polls: list[int] = []
    page.on("response", lambda r: polls.append(r.status) if "/deliveries/" in r.url else None)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    panel = page.get_by_role("heading", level=2).first

    page.goto(alert.get_absolute_url())
    expect(panel).to_contain_text("Told: 1 · answered: 0")
    # The panel asks every few seconds; while nothing changed, the answer is a bare 304.
    with page.expect_response(lambda r: "/deliveries/" in r.url and r.status == 304):
        pass
    assert services.acknowledge(services.ack_token(alert.deliveries.get())) is not None

    # Within one or two polls (the assertion waits longer than Playwright's default 5 s).
    expect(panel).to_contain_text("Told: 1 · answered: 1", timeout=3 * views.POLL_SECONDS * 1000)
    expect(page.get_by_role("cell", name="Rosa")).to_be_visible()
    expect(page.get_by_role("cell", name="Yes, at")).to_be_visible()
    screenshot(page, "networks-alert-answered-live")
    assert loads == [page.url]  # the page itself was loaded once: no reload
    # Bare 304s until the answer came, then the panel once.
    changed = polls.index(200)
    assert (changed > 0, set(polls[:changed])) == (True, {304})
    assert errors == []  # no CSP refusal, no script error


@pytest.mark.parametrize("tab", ["page", "page_no_js"])
def test_a_missed_check_in_escalates_to_the_network(
    request, tab, transactional_db, desk_officer, own_subject
):
    page = request.getfixturevalue(tab)
    rosa = make_contact(own_subject, name="Rosa")
    luis = make_contact(own_subject, name="Luis")
    make_tree(own_subject, [([rosa], 10), ([luis], 20)])
    check_in = make_check_in(
        own_subject, due_at=timezone.now() - timedelta(minutes=20), grace_minutes=15
    )

    # The worker's tick after the deadline.
    assert sweeps.escalate(now=check_in.deadline + timedelta(seconds=30)) == 1

    assert [m.to for m in mail.outbox] == [["rosa@example.org"]]
    alert = Alert.objects.get()
    sign_in(page, desk_officer)
    page.goto(reverse("networks:network", args=[own_subject.pk]))
    expect(page.get_by_text("Missed check-in")).to_be_visible()
    click_and_wait(page, page.get_by_role("link", name=alert.code))
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Told: 1 · answered: 0")
    expect(page.get_by_role("cell", name="Rosa")).to_be_visible()

    # Nobody answered within ten minutes: the next tick tells the second step.
    assert sweeps.escalate(now=timezone.now() + timedelta(minutes=11)) == 1
    click_and_wait(page, page.get_by_role("link", name="Reload to see who has answered"))
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Told: 2 · answered: 0")
    expect(page.get_by_role("cell", name="Luis")).to_be_visible()
    assert [m.to for m in mail.outbox] == [["rosa@example.org"], ["luis@example.org"]]
