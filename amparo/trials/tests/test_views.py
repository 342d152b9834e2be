from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from amparo.audit.services import audit_context
from amparo.trials.enums import HearingResult, ReportStatus
from amparo.trials.models import CriminalisationCase, DetentionPeriod, Hearing, Report
from amparo.trials.tests.factories import make_case, make_hearing, make_mission, make_period

pytestmark = pytest.mark.django_db


def test_the_list_shows_only_the_organisations_cases(client, trial, foreign_trial, trial_observer):
    client.force_login(trial_observer)

    response = client.get(reverse("trials:case-list"))

    assert [case.pk for case in response.context["cases"]] == [trial.pk]
    assert "Canary Defender" not in response.content.decode()


def test_an_officer_opens_a_case_against_a_collective(client, organisation, desk_officer):
    from amparo.trials.tests.factories import make_defender

    collective = make_defender(organisation, "Comunidad Río Claro", kind="collective")
    client.force_login(desk_officer)

    response = client.post(
        reverse("trials:case-create"),
        {
            "defenders": [collective.pk],
            "country": "co",
            "court_type": "special",
            "case_number": "11001-60-00",
            "initiator": "company",
            "patterns": ["meritless_charges", "repeated_postponement"],
            "stage": "charged",
            "opened_on": "2025-02-01",
            "appeal": "none",
        },
    )

    case = CriminalisationCase.objects.get()
    assert response.status_code == 302
    with audit_context(actor=None):
        number = case.case_number
    assert (case.country, number, case.patterns) == (
        "CO",
        "11001-60-00",
        ["meritless_charges", "repeated_postponement"],
    )
    assert list(case.defenders.all()) == [collective]


def test_an_observer_reads_but_cannot_edit(client, trial, trial_observer):
    client.force_login(trial_observer)

    page = client.get(trial.get_absolute_url())
    edit = client.get(reverse("trials:case-edit", args=[trial.pk]))

    assert page.status_code == 200
    assert "RAD-2025-0042" in page.content.decode()
    assert edit.status_code == 403


def test_a_stale_case_edit_shows_the_conflict_and_keeps_the_text(client, trial, desk_officer):
    CriminalisationCase.objects.filter(pk=trial.pk).update(version=2)
    client.force_login(desk_officer)

    response = client.post(
        reverse("trials:case-edit", args=[trial.pk]),
        {
            "version": "1",
            "defenders": [trial.defenders.get().pk],
            "country": "CO",
            "court_type": "ordinary",
            "initiator": "state",
            "stage": "trial",
            "opened_on": "2025-03-01",
            "appeal": "none",
            "summary": "My careful summary",
        },
    )

    assert response.status_code == 409
    assert "My careful summary" in response.content.decode()
    assert CriminalisationCase.objects.values_list("stage", flat=True).get() == "investigation"


def test_postponed_hearings_are_counted_on_the_case_page(client, trial, desk_officer):
    make_hearing(trial, result=HearingResult.POSTPONED)
    client.force_login(desk_officer)

    response = client.post(
        reverse("trials:hearing-create", args=[trial.pk]),
        {
            "starts_at": "2026-12-09T09:30",
            "kind": "trial",
            "result": "scheduled",
            "place": "Sala 2",
        },
    )
    page = client.get(trial.get_absolute_url())

    assert response.status_code == 302
    assert Hearing.objects.filter(case=trial).count() == 2
    assert "1 postponement" in page.content.decode()
    assert "Sala 2" in page.content.decode()


def test_the_calendar_lists_the_months_hearings(client, trial, foreign_trial, desk_officer):
    make_hearing(trial, starts_at=datetime(2026, 12, 1, 14, tzinfo=UTC))
    make_hearing(foreign_trial, starts_at=datetime(2026, 12, 1, 15, tzinfo=UTC))
    make_hearing(trial, starts_at=datetime(2027, 1, 5, 14, tzinfo=UTC))
    client.force_login(desk_officer)

    response = client.get(reverse("trials:calendar") + "?month=2026-12")

    days = response.context["days"]
    assert [(day.isoformat(), [h.case_id for h in rows]) for day, rows in days] == [
        ("2026-12-01", [trial.pk])
    ]


def _hearings_from(trial, first, count, **fields):
    """`count` hearings of `trial`, one every eight hours from `first`."""
    from datetime import timedelta

    return [
        make_hearing(trial, starts_at=first + timedelta(hours=8 * n), **fields)
        for n in range(count)
    ]


def test_the_calendar_shows_the_hearings_to_come_a_page_at_a_time(
    client, trial, foreign_trial, desk_officer
):
    from datetime import timedelta

    from django.utils import timezone

    from amparo.trials.views import CALENDAR_PAGE

    today = timezone.localdate()
    midnight = datetime(today.year, today.month, today.day, tzinfo=timezone.get_current_timezone())
    make_hearing(trial, starts_at=midnight - timedelta(minutes=1))  # yesterday: not to come
    to_come = _hearings_from(trial, midnight, CALENDAR_PAGE + 3)
    make_hearing(foreign_trial, starts_at=midnight + timedelta(hours=1))
    client.force_login(desk_officer)

    first = client.get(reverse("trials:calendar"))
    later = client.get(reverse("trials:calendar"), {"after": to_come[CALENDAR_PAGE - 1].pk})

    def shown(response):
        return [h.id for _day, rows in response.context["days"] for h in rows]

    html = first.content.decode()
    assert shown(first) == [h.pk for h in to_come[:CALENDAR_PAGE]]
    assert "<h1>Upcoming hearings</h1>" in html
    assert f'<a href="?after={to_come[CALENDAR_PAGE - 1].pk}">Later hearings</a>' in html
    assert f'<a href="?month={today:%Y-%m}">Hearings in {today:%B %Y}</a>' in html
    assert "First page" not in html
    assert shown(later) == [h.pk for h in to_come[CALENDAR_PAGE:]]
    assert "Later hearings" not in later.content.decode()
    assert '<a href="?">First page</a>' in later.content.decode()


def test_a_month_of_the_calendar_is_paged_too(client, trial, desk_officer):
    from amparo.trials.views import CALENDAR_PAGE

    hearings = _hearings_from(trial, datetime(2026, 12, 1, 8, tzinfo=UTC), CALENDAR_PAGE + 2)
    make_hearing(trial, starts_at=datetime(2027, 1, 1, tzinfo=UTC))  # the next month
    client.force_login(desk_officer)
    url = reverse("trials:calendar")

    first = client.get(url, {"month": "2026-12"})
    cursor = hearings[CALENDAR_PAGE - 1].pk
    later = client.get(url, {"month": "2026-12", "after": cursor})

    assert len(first.context["page"].rows) == CALENDAR_PAGE
    html = first.content.decode()
    assert "<h1>Hearings in December 2026</h1>" in html
    assert f'<a href="?month=2026-12&amp;after={cursor}">Later hearings</a>' in html
    assert f'<a href="{url}">Upcoming hearings</a>' in html
    assert [h.id for h in later.context["page"].rows] == [h.pk for h in hearings[CALENDAR_PAGE:]]
    assert '<a href="?month=2026-12">First page</a>' in later.content.decode()


@pytest.mark.parametrize(
    "query", [{"month": "2026-13"}, {"month": "0001-01"}, {"month": "9999-12"}, {"after": "x"}]
)
def test_the_calendar_answers_404_to_a_month_or_cursor_it_cannot_read(client, desk_officer, query):
    client.force_login(desk_officer)

    assert client.get(reverse("trials:calendar"), query).status_code == 404


def test_the_feed_holds_every_hearing_of_its_window_beyond_a_page(client, trial, desk_officer):
    """The page shows the hearings a page at a time; a calendar application gets them all."""
    from django.utils import timezone

    from amparo.trials.views import CALENDAR_PAGE

    hearings = _hearings_from(trial, timezone.now(), CALENDAR_PAGE + 10)
    client.force_login(desk_officer)
    url = client.post(reverse("trials:calendar-subscription"), {"action": "create"}).context[
        "feed_url"
    ]
    client.logout()

    body = client.get(url).content.decode()

    assert body.count("BEGIN:VEVENT") == len(hearings)
    assert all(f"UID:{h.pk}@amparo" in body for h in hearings)


def test_the_feed_serves_icalendar_without_a_session_until_revoked(
    client, hearing, foreign_trial, desk_officer
):
    make_hearing(foreign_trial)
    client.force_login(desk_officer)
    page = client.post(reverse("trials:calendar-subscription"), {"action": "create"})
    url = page.context["feed_url"]
    client.logout()

    feed = client.get(url)
    client.force_login(desk_officer)
    client.post(reverse("trials:calendar-subscription"), {"action": "revoke"})
    client.logout()
    revoked = client.get(url)

    body = feed.content.decode()
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1
    assert f"UID:{hearing.pk}@amparo" in body
    assert "Palacio de Justicia" not in body
    assert revoked.status_code == 404


def test_observe_fill_the_checklist_and_draft_the_report(client, hearing, trial_observer):
    from amparo.trials.checklist import CHECKLIST

    client.force_login(trial_observer)
    client.post(reverse("trials:mission-create", args=[hearing.pk]))
    mission = hearing.__class__.objects.get(pk=hearing.pk).mission
    data = {"version": "1", **{f"finding_{c.key}": "respected" for c in CHECKLIST}}
    data |= {"finding_presumption": "violated", "note_presumption": "Shown in a cage"}

    saved = client.post(reverse("trials:checklist", args=[mission.pk]), data)
    client.post(reverse("trials:report-create", args=[mission.pk]))

    report = Report.objects.get()
    assert saved.status_code == 302
    with audit_context(actor=None):
        assert "Presumption of innocence: Violated. Shown in a cage" in report.findings
    page = client.get(report.get_absolute_url())
    assert "Approve the report" not in page.content.decode()  # observers do not approve


def test_a_lead_approves_publishes_and_the_public_page_hides_notes(client, hearing, desk_lead):
    from amparo.trials import services

    mission = make_mission(hearing)
    with audit_context(actor=None):
        services.save_checklist(
            mission=mission,
            actor=None,
            expected_version=1,
            findings={"tribunal": ("violated", "Judge Pérez refused the press")},
        )
        report = services.draft_report(mission=mission, actor=None)
        services.move_report(report=report, actor=desk_lead, to="review", expected_version=1)
    client.force_login(desk_lead)

    client.post(reverse("trials:report-step", args=[report.pk]), {"version": "2", "to": "approved"})
    empty = client.post(
        reverse("trials:report-step", args=[report.pk]), {"version": "3", "to": "published"}
    )
    client.post(
        reverse("trials:report-step", args=[report.pk]),
        {
            "version": "3",
            "to": "published",
            "public_title": "A hearing closed to the press",
            "public_text": "Observers found the hearing was not public.",
            "shows_findings": "on",
        },
    )
    client.logout()
    public = client.get(reverse("trials-public:report", args=[report.pk]))

    assert empty.status_code == 422
    assert Report.objects.values_list("status", flat=True).get() == ReportStatus.PUBLISHED
    body = public.content.decode()
    assert "A hearing closed to the press" in body
    assert "Violated" in body
    for secret in ("Judge Pérez", "RAD-2025-0042", "Palacio de Justicia", "Marta"):
        assert secret not in body


def test_a_draft_report_is_not_public(client, hearing):
    from amparo.trials import services

    with audit_context(actor=None):
        report = services.draft_report(mission=make_mission(hearing), actor=None)

    response = client.get(reverse("trials-public:report", args=[report.pk]))

    assert response.status_code == 404


def test_public_statistics_page_and_csv_suppress_small_counts(client, record):
    for _ in range(5):
        make_case(record, country="CO", initiator="company")
    make_case(record, country="KE", initiator="state")

    page = client.get(reverse("trials-public:stats"))
    csv = client.get(reverse("trials-public:stats-csv")).content.decode()

    body = page.content.decode()
    assert "<svg" in body
    assert '<th scope="row">Kenya</th><td>not shown</td>' in body
    # Colombia's 5 too: with the 6 cases in all, it would give Kenya's 1 back.
    assert '<th scope="row">Colombia</th><td>not shown</td>' in body
    assert "6 cases recorded." in body
    assert "How small counts are protected" in body
    assert csv.splitlines()[:3] == [
        "dimension,code,label,cases",
        "country,CO,Colombia,",
        "country,KE,Kenya,",
    ]


@pytest.mark.parametrize("name", ["trials-public:stats", "trials-public:stats-csv"])
def test_public_figures_answer_304_until_they_change(client, record, name):
    url = reverse(name)
    make_case(record, country="CO")
    first = client.get(url)
    tag = first["ETag"]

    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304

    make_case(record, country="KE")  # a new case: the figures change, so does the tag
    changed = client.get(url, headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed["ETag"] != tag
    assert "max-age=300" in changed["Cache-Control"]


def test_the_kept_statistics_page_shows_a_new_case_at_once(client, record):
    for _ in range(5):
        make_case(record, country="CO")
    first = client.get(reverse("trials-public:stats")).content.decode()
    assert "Colombia" in first

    for _ in range(5):
        make_case(record, country="KE")
    again = client.get(reverse("trials-public:stats")).content.decode()

    assert "Kenya" in again
    assert "Kenya" not in first


def test_a_case_cannot_be_opened_in_an_organisation_without_the_right(
    client, other_organisation, desk_officer
):
    client.force_login(desk_officer)

    response = client.get(reverse("trials:case-create") + f"?organisation={other_organisation.pk}")

    assert response.status_code == 403


def test_a_stale_publish_keeps_the_public_text(client, hearing, desk_lead):
    from amparo.trials import services

    with audit_context(actor=None):
        report = services.draft_report(mission=make_mission(hearing), actor=None)
        for version, to in enumerate(["review", "approved"], start=1):
            services.move_report(report=report, actor=desk_lead, to=to, expected_version=version)
    client.force_login(desk_lead)

    response = client.post(
        reverse("trials:report-step", args=[report.pk]),
        {
            "version": "2",
            "to": "published",
            "public_title": "My public title",
            "public_text": "My careful public text",
        },
    )

    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone changed this report since you opened it" in body
    assert "My careful public text" in body
    assert Report.objects.values_list("status", flat=True).get() == ReportStatus.APPROVED


def test_the_country_figures_partial_suppresses_small_counts(record):
    from django.template.loader import render_to_string

    from amparo.trials import queries
    from amparo.trials.tests.factories import make_defender

    other = make_defender(record.organisation, "Luz")
    for _ in range(5):
        make_case(other, country="KE", outcome="acquitted")
    with audit_context(actor=None):
        make_case(record, country="KE", outcome="convicted")

    html = render_to_string(
        "trials/_country_figures.html", {"figures": queries.country_figures("KE")}
    )

    assert "6 cases recorded." in html
    # The 5 acquittals are withheld with the one conviction: 6 - 5 would give it back.
    assert '<th scope="row">Acquitted</th><td>not shown</td>' in html
    assert '<th scope="row">Convicted</th><td>not shown</td>' in html


# --- detention periods ---


def test_an_officer_records_a_period_ends_it_and_removes_it(client, trial, record, desk_officer):
    client.force_login(desk_officer)

    created = client.post(
        reverse("trials:detention-create", args=[trial.pk]),
        {
            "defender": str(record.pk),
            "kind": "custody",
            "starts_on": "2025-03-01",
            "place": "Estación Norte",
        },
    )
    running = client.get(trial.get_absolute_url()).content.decode()
    period = DetentionPeriod.objects.get()
    ended = client.post(
        reverse("trials:detention-end", args=[period.pk]),
        {"version": "1", "ends_on": "2025-03-03"},
    )
    released = client.get(trial.get_absolute_url()).content.decode()
    removed = client.post(reverse("trials:detention-remove", args=[period.pk]), {"version": "2"})

    assert [created.status_code, ended.status_code, removed.status_code] == [302, 302, 302]
    assert "Still detained" in running
    assert "Estación Norte" in running
    assert "Police custody · 0 postponements" in running
    assert "Released · 0 postponements" in released
    assert "3 days in detention in total, each day counted once." in released
    assert DetentionPeriod.objects.count() == 0
    assert CriminalisationCase.objects.values_list("detention", flat=True).get() == "free"


def test_a_period_with_reversed_dates_comes_back_translated_with_what_was_typed(
    client, trial, record, desk_officer
):
    desk_officer.language = "es"
    desk_officer.save(update_fields=["language"])
    client.force_login(desk_officer)

    response = client.post(
        reverse("trials:detention-create", args=[trial.pk]),
        {
            "defender": str(record.pk),
            "kind": "pre_trial",
            "starts_on": "2025-03-05",
            "ends_on": "2025-03-01",
            "place": "Sala de retención 4",
        },
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "La puesta en libertad no puede ser anterior a la detención." in page
    assert 'value="Sala de retención 4"' in page
    assert 'value="2025-03-01"' in page
    assert DetentionPeriod.objects.count() == 0


def test_an_overlapping_period_is_refused_on_the_page(client, trial, desk_officer):
    make_period(trial, starts_on=date(2025, 3, 1))
    client.force_login(desk_officer)

    response = client.post(
        reverse("trials:detention-create", args=[trial.pk]),
        {"defender": str(trial.defenders.get().pk), "kind": "custody", "starts_on": "2025-04-01"},
    )

    assert response.status_code == 422
    assert "already has a detention period on those dates" in response.content.decode()


def test_a_stale_period_correction_shows_the_conflict_and_keeps_the_text(
    client, trial, desk_officer
):
    period = make_period(trial, place="Estación Norte")
    DetentionPeriod.objects.filter(pk=period.pk).update(version=2)
    client.force_login(desk_officer)

    response = client.post(
        reverse("trials:detention-edit", args=[period.pk]),
        {
            "version": "1",
            "defender": str(period.defender_id),
            "kind": "house_arrest",
            "starts_on": "2025-03-02",
            "place": "My careful place",
        },
    )

    assert response.status_code == 409
    assert "My careful place" in response.content.decode()
    assert DetentionPeriod.objects.values_list("kind", flat=True).get() == "pre_trial"


def test_a_release_before_the_arrest_is_refused_and_the_period_runs_on(client, trial, desk_officer):
    period = make_period(trial, starts_on=date(2025, 3, 2))
    client.force_login(desk_officer)

    response = client.post(
        reverse("trials:detention-end", args=[period.pk]),
        {"version": "1", "ends_on": "2025-03-01"},
    )

    assert response.status_code == 422
    assert "The release cannot come before the detention." in response.content.decode()
    assert DetentionPeriod.objects.values_list("ends_on", flat=True).get() is None


def test_an_observer_reads_the_periods_but_records_none(client, trial, trial_observer):
    make_period(trial, place="Estación Norte")
    client.force_login(trial_observer)

    page = client.get(trial.get_absolute_url())
    form = client.get(reverse("trials:detention-create", args=[trial.pk]))

    assert [row[0].place for row in page.context["periods"]] == ["Estación Norte"]
    assert "Record the release" not in page.content.decode()
    assert form.status_code == 403
