"""The audit pages: an organisation's log for its admins, "who opened records about me"."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from amparo.accounts.models import Organisation, User
from amparo.audit.models import AuditEvent
from amparo.audit.services import TIER1_READ, record_event

pytestmark = [pytest.mark.django_db, pytest.mark.req("AUD-01")]


def _events(organisation: Organisation, count: int, *, actor: User | None = None) -> None:
    for _ in range(count):
        record_event(actor=actor, action="accounts.thing_tested", organisation=organisation)


def test_organisation_log_shows_only_its_own_chain_newest_first(
    client, organisation, other_organisation, org_admin, desk_officer
) -> None:
    record_event(actor=desk_officer, action="accounts.first_done", organisation=organisation)
    record_event(actor=org_admin, action="accounts.second_done", organisation=organisation)
    record_event(actor=None, action="accounts.elsewhere_done", organisation=other_organisation)
    record_event(actor=None, action="accounts.signed_in", organisation=None)
    client.force_login(org_admin)

    response = client.get(reverse("audit:organisation-log", args=[organisation.pk]))

    rows = [(e.seq, e.action, str(e.actor)) for e in response.context["events"]]
    assert rows == [(2, "accounts.second_done", "Omar"), (1, "accounts.first_done", "Dora")]
    assert "Omar" in response.content.decode()


def test_organisation_log_filters_by_action_actor_and_period(
    client, organisation, org_admin, desk_officer
) -> None:
    with time_machine.travel(datetime(2025, 1, 10, 12, tzinfo=UTC)):
        record_event(
            actor=desk_officer, action="accounts.membership_ended", organisation=organisation
        )
    with time_machine.travel(datetime(2025, 2, 10, 12, tzinfo=UTC)):
        record_event(
            actor=desk_officer, action="accounts.membership_ended", organisation=organisation
        )
        record_event(actor=org_admin, action="accounts.membership_ended", organisation=organisation)
        record_event(
            actor=desk_officer, action="accounts.invitation_sent", organisation=organisation
        )
    client.force_login(org_admin)

    response = client.get(
        reverse("audit:organisation-log", args=[organisation.pk]),
        {
            "action": "accounts.membership",
            "actor": str(desk_officer.pk),
            "since": "2025-02-01",
            "until": "2025-02-28",
        },
    )

    assert [e.seq for e in response.context["events"]] == [2]


def test_organisation_log_pages_by_keyset(client, organisation, org_admin) -> None:
    _events(organisation, 51)
    client.force_login(org_admin)
    url = reverse("audit:organisation-log", args=[organisation.pk])

    first = client.get(url)
    second = client.get(f"{url}?{first.context['next_query']}")

    assert (
        [e.seq for e in first.context["events"]][:2],
        len(first.context["events"]),
        [e.seq for e in second.context["events"]],
        second.context["next_query"],
    ) == ([51, 50], 50, [1], "")


@pytest.mark.parametrize("rows", [1, 50])
def test_organisation_log_query_count_is_flat(
    client, organisation, org_admin, rows, *, desk_officer, django_assert_num_queries
) -> None:
    _events(organisation, rows, actor=desk_officer)
    client.force_login(org_admin)
    url = reverse("audit:organisation-log", args=[organisation.pk])
    client.get(url)  # the first request after sign-in records the session's state once

    # session, the user with their memberships, members for the "by" filter, events with
    # their people (no COUNT: keyset pagination)
    with django_assert_num_queries(4):
        response = client.get(url)

    assert len(response.context["events"]) == rows


def test_organisation_page_links_to_the_log_for_admins_only(
    client, organisation, org_admin, desk_lead
) -> None:
    url = reverse("accounts:organisation-detail", args=[organisation.pk])
    log_url = reverse("audit:organisation-log", args=[organisation.pk])

    client.force_login(org_admin)
    as_admin = log_url in client.get(url).content.decode()
    client.force_login(desk_lead)
    as_lead = log_url in client.get(url).content.decode()

    assert (as_admin, as_lead) == (True, False)


def _read_about(subject: User, *, by: User | None, organisation: Organisation) -> AuditEvent:
    return record_event(
        actor=by,
        action=TIER1_READ,
        organisation=organisation,
        object_ids=[uuid.uuid4()],
        object_type="desk.Case",
        subject_user=subject,
    )


def test_reads_about_me_lists_only_reads_of_my_records_by_others(
    client, organisation, defender, desk_officer, org_admin
) -> None:
    mine = _read_about(defender, by=desk_officer, organisation=organisation)
    _read_about(defender, by=defender, organisation=organisation)  # my own reading
    _read_about(org_admin, by=desk_officer, organisation=organisation)  # about someone else
    record_event(  # about me, but not a read
        actor=desk_officer,
        action="accounts.membership_role_changed",
        organisation=organisation,
        subject_user=defender,
    )
    client.force_login(defender)

    response = client.get(reverse("audit:reads-about-me"))

    assert [(e.pk, str(e.actor)) for e in response.context["events"]] == [(mine.pk, "Dora")]


def test_reads_about_me_says_kindly_when_there_is_nothing(client, defender) -> None:
    client.force_login(defender)

    response = client.get(reverse("audit:reads-about-me"))

    assert (
        list(response.context["events"]),
        "Nobody has opened a record about you" in response.content.decode(),
    ) == ([], True)


@pytest.mark.parametrize("rows", [1, 50])
def test_reads_about_me_query_count_is_flat(
    client, organisation, defender, rows, *, desk_officer, django_assert_num_queries
) -> None:
    for _ in range(rows):
        _read_about(defender, by=desk_officer, organisation=organisation)
    client.force_login(defender)
    client.get(reverse("audit:reads-about-me"))  # records the session's state once

    # session, the user with their memberships (second-factor rule), events with actor and
    # organisation
    with django_assert_num_queries(3):
        response = client.get(reverse("audit:reads-about-me"))

    assert len(response.context["events"]) == rows


def test_reads_about_me_pages_below_the_last_event_shown(
    client, organisation, defender, desk_officer
) -> None:
    made = [_read_about(defender, by=desk_officer, organisation=organisation) for _ in range(53)]
    _read_about(desk_officer, by=defender, organisation=organisation)  # not about me
    client.force_login(defender)

    first = client.get(reverse("audit:reads-about-me"))
    after = first.context["next_before"]
    second = client.get(reverse("audit:reads-about-me"), {"before": after})

    newest_first = [event.pk for event in reversed(made)]
    assert [e.pk for e in first.context["events"]] == newest_first[:50]
    assert after == newest_first[49]
    assert [e.pk for e in second.context["events"]] == newest_first[50:]
    assert second.context["next_before"] is None
