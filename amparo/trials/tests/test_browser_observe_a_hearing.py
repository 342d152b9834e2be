"""Issue #7's flow on a phone: open a case, add a hearing, record a detention and the release,
observe the hearing with the fair-trial checklist, approve and print the report, find the
hearing in the calendar and subscribe to it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from amparo.testing.browser import click_and_wait, http_get, screenshot, sign_in
from amparo.trials.enums import ReportStatus
from amparo.trials.models import Assessment, DetentionPeriod, Hearing, Report
from amparo.trials.tests.factories import make_case

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("tab", ["page", "page_no_js"])
def test_the_lead_observes_a_hearing_approves_the_report_and_subscribes(
    request, tab, transactional_db, live_server, *, record, desk_lead
):
    case = make_case(record, desk_lead, case_number="RAD-2025-0042")
    lead = request.getfixturevalue(tab)
    sign_in(lead, desk_lead)

    lead.goto(case.get_absolute_url())
    click_and_wait(lead, lead.get_by_role("link", name="Add a hearing"))
    lead.locator("#id_starts_at").fill("2026-12-01T10:00")
    lead.get_by_label("Type").select_option("trial")
    lead.get_by_label("Place").fill("Palacio de Justicia, sala 3")
    click_and_wait(lead, lead.get_by_role("button", name="Save the hearing"))
    expect(lead.locator("#hearings")).to_be_visible()
    expect(lead.locator("main")).to_contain_text("Palacio de Justicia, sala 3")

    click_and_wait(lead, lead.get_by_role("link", name="Record a detention period"))
    lead.get_by_label("Kind of detention").select_option("custody")
    lead.locator("#id_starts_on").fill("2025-03-01")
    lead.get_by_label("Place of detention").fill("Estación Norte")
    click_and_wait(lead, lead.get_by_role("button", name="Save the detention period"))
    expect(lead.locator("#detention-" + str(DetentionPeriod.objects.get().pk))).to_contain_text(
        "Still detained"
    )
    screenshot(lead, f"trials-detention-{tab}")
    click_and_wait(lead, lead.get_by_role("button", name="Record the release"))
    expect(lead.locator("main")).to_contain_text("Released · 0 postponements")

    click_and_wait(lead, lead.get_by_role("button", name="Observe"))
    click_and_wait(lead, lead.get_by_role("link", name="Fill the fair-trial checklist"))
    lead.locator("#id_finding_tribunal").select_option("concern")
    lead.locator("#id_note_tribunal").fill("Relatives kept outside")
    lead.locator("#id_finding_presumption").select_option("violated")
    click_and_wait(lead, lead.get_by_role("button", name="Save the checklist"))
    expect(lead.locator("main")).to_contain_text("Relatives kept outside")

    click_and_wait(lead, lead.get_by_role("button", name="Draft the report from the checklist"))
    click_and_wait(lead, lead.get_by_role("button", name="Send for review"))
    click_and_wait(lead, lead.get_by_role("button", name="Approve the report"))
    click_and_wait(lead, lead.get_by_role("link", name="Printable version"))
    expect(lead.get_by_role("heading", level=1)).to_contain_text("Trial observation report")
    expect(lead.locator("main")).to_contain_text("Presumption of innocence: Violated")
    screenshot(lead, f"trials-report-print-{tab}")

    # The calendar shows the month's hearing; its entry leads to the hearing on the case page.
    lead.goto(reverse("trials:calendar") + "?month=2026-12")
    expect(lead.get_by_role("heading", level=1)).to_have_text("Hearings in December 2026")
    screenshot(lead, f"trials-calendar-{tab}")
    click_and_wait(lead, lead.get_by_role("link", name=case.code))
    row = lead.locator(f"#hearing-{Hearing.objects.get().pk}")
    expect(row).to_contain_text("Palacio de Justicia, sala 3")

    lead.goto(reverse("trials:calendar-subscription"))
    click_and_wait(lead, lead.get_by_role("button", name="Create a calendar address"))
    feed_url = lead.locator("#feed-url").input_value()
    feed = http_get(feed_url)  # no cookie: the address alone

    assert Report.objects.get().status == ReportStatus.APPROVED
    assert DetentionPeriod.objects.values_list("kind", "ends_on").get() == (
        "custody",
        timezone.localdate(),
    )
    assert Assessment.objects.get(criterion="presumption").finding == "violated"
    assert feed.status == 200
    assert feed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert f"SUMMARY:{case.code}: Trial session" in feed.body
