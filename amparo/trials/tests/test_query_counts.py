"""Query-count guards: the same count at 1 and at 50 rows (PERFORMANCE.md 2)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import MembershipFactory, OrganisationFactory, staff_member
from amparo.audit.services import audit_context
from amparo.incidents.tests.factories import make_incident
from amparo.testing.auth import login_fresh
from amparo.trials import services
from amparo.trials.tests.factories import (
    make_case,
    make_defender,
    make_hearing,
    make_period,
    make_unattributed_period,
)

pytestmark = pytest.mark.django_db


def _signed_in(client, user, url):
    """The first request of the session checks the second factor and saves the session once."""
    login_fresh(client, user)
    client.get(url)
    return client


ROWS = [1, 50]


@pytest.mark.parametrize("rows", ROWS)
def test_case_list(client, record, desk_officer, rows, django_assert_num_queries):
    for _ in range(rows):
        make_case(record)
    url = reverse("trials:case-list")
    _signed_in(client, desk_officer, url)

    # session, person; the cases with postponements and next hearing (subqueries); their
    # defenders; the read event of the pseudonyms (head, insert).
    with django_assert_num_queries(6):
        response = client.get(url)

    assert len(response.context["cases"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_case_detail(client, trial, desk_officer, rows, django_assert_num_queries):
    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    for n in range(rows):
        make_hearing(trial, starts_at=start + timedelta(hours=n))
        first = date(2020, 1, 1) + timedelta(days=3 * n)  # a re-arrest every three days
        make_period(trial, starts_on=first, ends_on=first + timedelta(days=1), place="Estación")
    # And one whose defender is not stated (migration 0003), on days already counted.
    make_unattributed_period(trial, starts_on=date(2020, 1, 1), ends_on=date(2020, 1, 2))
    _signed_in(client, desk_officer, trial.get_absolute_url())

    # session, person; the case; defenders; detention periods (their defenders come from the
    # case's); charges; incidents; hearings with their missions and reports; the read event
    # (head, insert). PERFORMANCE.md's ceiling of 10.
    with django_assert_num_queries(10):
        response = client.get(trial.get_absolute_url())

    assert len(response.context["hearings"]) == rows
    assert [len(response.context["periods"]), response.context["days_detained"]] == [
        rows + 1,
        2 * rows,
    ]
    assert response.context["unattributed"] is True


@pytest.mark.parametrize("rows", ROWS)
def test_api_detention_periods(api_client, trial, desk_officer, rows, django_assert_num_queries):
    for n in range(rows):
        first = date(2020, 1, 1) + timedelta(days=3 * n)
        make_period(trial, starts_on=first, ends_on=first + timedelta(days=1), place="Estación")
    caller = api_client(desk_officer)
    url = f"/api/v1/trials/cases/{trial.pk}/detention-periods"
    caller.get(url)

    # token, memberships; the case; its periods; the read event (head, insert).
    with django_assert_num_queries(6):
        response = caller.get(url)

    assert len(response.json()) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_calendar(client, trial, desk_officer, rows, django_assert_num_queries):
    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    for n in range(rows):
        make_hearing(trial, starts_at=start + timedelta(hours=n * 5))
    url = reverse("trials:calendar") + "?month=2026-12"
    _signed_in(client, desk_officer, url)

    # session, person; the month's hearings (their cases' codes come from their ids). Nothing
    # decrypted.
    with django_assert_num_queries(3):
        response = client.get(url)

    assert sum(len(day_rows) for _day, day_rows in response.context["days"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_calendar_to_come_and_later(client, trial, desk_officer, rows, django_assert_num_queries):
    """The default page (the hearings to come) and the page after a hearing: the cursor is a
    subquery of the page's query."""
    from django.utils import timezone

    from amparo.trials.views import CALENDAR_PAGE

    start = timezone.now() + timedelta(hours=1)
    hearings = [
        make_hearing(trial, starts_at=start + timedelta(hours=n * 5))
        for n in range(CALENDAR_PAGE + rows)
    ]
    url = reverse("trials:calendar")
    _signed_in(client, desk_officer, url)

    # session, person; the page's hearings. Nothing decrypted.
    with django_assert_num_queries(3):
        first = client.get(url)
    with django_assert_num_queries(3):
        later = client.get(url, {"after": hearings[CALENDAR_PAGE - 1].pk})

    assert len(first.context["page"].rows) == CALENDAR_PAGE
    assert len(later.context["page"].rows) == rows


def _held_cases(record, rows):
    """`rows` cases, each with a detention period: a quarter still running."""
    for n in range(rows):
        first = date(2024, 1, 1) + timedelta(days=n)
        ends_on = None if n % 4 == 0 else first + timedelta(days=n)
        make_period(make_case(record), starts_on=first, ends_on=ends_on)


@pytest.mark.parametrize("rows", ROWS)
def test_public_stats(client, record, rows, django_assert_num_queries):
    _held_cases(record, rows)

    # The ETag's version (cases with charges; published reports); then the cases' codes, their
    # charges' kinds, their detention periods' codes and dates, and the published reports.
    with django_assert_num_queries(6):
        response = client.get(reverse("trials-public:stats"))

    assert response.status_code == 200
    time_in_detention = response.context["detention_groups"][-1]["figures"]
    assert sum(figure.count for figure in time_in_detention) == rows
    # A reader with the current copy: the version only, nothing counted again.
    with django_assert_num_queries(2):
        again = client.get(
            reverse("trials-public:stats"), headers={"If-None-Match": response["ETag"]}
        )
    assert again.status_code == 304
    # A new reader of a page already rendered by this worker: the version only (page cache).
    with django_assert_num_queries(2):
        kept = client.get(reverse("trials-public:stats"))
    assert kept.status_code == 200


@pytest.mark.parametrize("rows", ROWS)
def test_public_csv_and_api_statistics(client, record, rows, django_assert_num_queries):
    _held_cases(record, rows)

    # The ETag's version (two); the cases' codes, their charges' kinds, their periods.
    with django_assert_num_queries(5):
        csv = client.get(reverse("trials-public:stats-csv"))
    # No token, no ETag: the cases' codes, their charges' kinds, their periods.
    with django_assert_num_queries(3):
        api = client.get("/api/v1/trials/statistics")

    shown = rows if rows >= 5 else None
    assert f"detention_kind,pre_trial,Pre-trial detention,{shown or ''}" in (
        csv.content.decode().splitlines()
    )
    assert api.json()["detention_kind"] == [
        {"code": "pre_trial", "label": "Pre-trial detention", "cases": shown}
    ]


@pytest.mark.parametrize("rows", ROWS)
def test_api_case_list(api_client, record, desk_officer, rows, django_assert_num_queries):
    for _ in range(rows):
        make_case(record)
    caller = api_client(desk_officer)
    caller.get("/api/v1/trials/cases")  # the token's first use stamps it once

    # token, memberships; the cases (Tier 2 only).
    with django_assert_num_queries(3):
        response = caller.get("/api/v1/trials/cases")

    assert len(response.json()["items"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_case_form_and_its_searches(
    client, organisation, desk_officer, rows, django_assert_num_queries
):
    defenders = [make_defender(organisation, f"Defender {n}") for n in range(rows)]
    for n in range(rows):
        with audit_context(actor=None):
            make_incident(organisation, desk_officer, title=f"Raid {n}")
    url = reverse("trials:case-create")
    _signed_in(client, desk_officer, url)

    # session, person; the defenders offered; the incidents offered; the read event (head,
    # insert). A search decrypts a wider window in the same two queries.
    with django_assert_num_queries(6):
        page = client.get(url)
    with django_assert_num_queries(6):
        found = client.post(url, {"find": "defenders", "defender_search": "defender 0"})

    assert len(page.context["form"].fields["defenders"].choices) == min(rows, 20)
    assert len(page.context["form"].fields["incidents"].choices) == min(rows, 20)
    # "Defender 0" alone, found among every one read ("Defender 10" does not match).
    assert [value for value, _label in found.context["form"].fields["defenders"].choices] == [
        str(defenders[0].pk)
    ]


@pytest.mark.parametrize("rows", ROWS)
def test_case_edit_form(client, trial, desk_officer, rows, django_assert_num_queries):
    defenders = [make_defender(trial.organisation, f"Defender {n}") for n in range(rows)]
    with audit_context(actor=None):
        incidents = [
            make_incident(trial.organisation, desk_officer, title=f"Raid {n}") for n in range(rows)
        ]
        services.update_case(
            case=trial,
            actor=None,
            expected_version=1,
            changes={},
            defenders=defenders,
            incidents=incidents,
        )
    url = reverse("trials:case-edit", args=[trial.pk])
    _signed_in(client, desk_officer, url)

    # session, person; the case; the ids of its defenders and of its incidents; the defenders
    # and incidents offered (the newest and the chosen, however many); the read event.
    with django_assert_num_queries(9):
        page = client.get(url)

    assert len(page.context["form"]["defenders"].value()) == rows
    # Every linked incident is offered, ticked, however old.
    assert len(page.context["form"]["incidents"].value()) == rows
    assert len(page.context["form"].fields["incidents"].choices) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_organisation_chooser(client, organisation, rows, django_assert_num_queries):
    nadia = staff_member(organisation, Role.DESK_OFFICER, email="nadia@example.org")
    for n in range(rows):
        MembershipFactory(
            user=nadia, organisation=OrganisationFactory(name=f"Office {n}"), role=Role.DESK_LEAD
        )
    url = reverse("trials:case-create")
    _signed_in(client, nadia, url)

    # session, person; the organisations to choose from.
    with django_assert_num_queries(3):
        response = client.get(url)

    assert len(response.context["form"].fields["organisation"].choices) == rows + 1
