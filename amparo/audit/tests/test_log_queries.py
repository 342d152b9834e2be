"""The organisation log's prepared reads (`organisation_log_page`, `log_people`) give what the
querysets they stand in for gave: the same rows, pages and people, for an admin and for
someone who may not read the log or the members."""

from __future__ import annotations

from typing import Any

import pytest

from amparo.accounts import queries as account_queries
from amparo.accounts.models import Organisation, User
from amparo.audit import queries
from amparo.audit.queries import Person
from amparo.audit.services import record_event

pytestmark = pytest.mark.django_db


def _reference_people(user: User, organisation: Organisation) -> list[tuple[str, str]]:
    """`log_people` as it was: the members through `memberships_visible_to`'s reach."""
    members = (
        account_queries.memberships_visible_to(user)
        .filter(organisation=organisation)
        .values_list("user_id", "user__display_name", "user__email")
    )
    people = {(str(pk), str(Person(pk, name, email))) for pk, name, email in members}
    return sorted(people, key=lambda person: person[1])


def _reference_page(user: User, organisation: Organisation, before: int | None, size: int) -> Any:
    return queries.log_page(
        queries.organisation_events(user, organisation), before=before, size=size
    )


@pytest.mark.parametrize("size", [1, 3, 50])
def test_the_prepared_pages_are_the_querysets_pages(
    organisation, other_organisation, org_admin, desk_officer, size
) -> None:
    for n in range(7):
        actor = (org_admin, desk_officer, None)[n % 3]
        record_event(actor=actor, action=f"accounts.thing_{n}", organisation=organisation)
        record_event(actor=actor, action="accounts.elsewhere", organisation=other_organisation)

    for user in (org_admin, desk_officer):
        before = None
        while True:
            page = queries.organisation_log_page(user, organisation, before=before, size=size)
            assert page == _reference_page(user, organisation, before, size)
            rows, before = page
            if before is None:
                break
    rows, _next = queries.organisation_log_page(org_admin, organisation, before=None, size=50)
    assert [row.seq for row in rows] == list(range(7, 0, -1))
    assert {row.action for row in rows} == {f"accounts.thing_{n}" for n in range(7)}


def test_a_filtered_page_goes_through_the_queryset(organisation, org_admin, desk_officer) -> None:
    for n in range(4):
        actor = (org_admin, desk_officer)[n % 2]
        record_event(actor=actor, action="accounts.thing_done", organisation=organisation)

    rows, _next = queries.organisation_log_page(
        org_admin, organisation, before=None, size=50, action="accounts.thing", actor_id=None
    )
    mine, _next = queries.organisation_log_page(
        org_admin, organisation, before=None, size=50, actor_id=desk_officer.pk
    )

    assert [row.seq for row in rows] == [4, 3, 2, 1]
    assert [row.seq for row in mine] == [4, 2]


def test_the_prepared_people_are_the_querysets_people(
    organisation, other_organisation, org_admin, desk_officer
) -> None:
    for user in (org_admin, desk_officer):
        for each in (organisation, other_organisation):
            assert queries.log_people(user, each) == _reference_people(user, each)
    assert queries.log_people(org_admin, organisation)
