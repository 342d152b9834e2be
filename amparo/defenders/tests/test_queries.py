"""Who sees which defenders, the in-memory search and duplicate check, and the read log."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import MembershipFactory, OrganisationFactory, staff_member
from amparo.audit.services import audit_context, record_event
from amparo.defenders import queries
from amparo.defenders.enums import DefenderStatus
from amparo.defenders.models import Defender, DefenderShare
from amparo.defenders.tests.factories import DefenderFactory, add_member

pytestmark = pytest.mark.django_db


def _codes(defenders) -> list[str]:
    return sorted(d.code for d in defenders)


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("desk_officer", ["record", "own_record", "collective_record"]),
        ("desk_lead", ["record", "own_record", "collective_record"]),
        ("defender", ["own_record", "collective_record"]),
        ("org_admin", []),
        ("outsider", []),
    ],
)
@pytest.mark.usefixtures("record", "own_record", "collective_record", "foreign_record")
def test_visible_defenders_follow_the_access_paths(request, persona, sees):
    user = request.getfixturevalue(persona)

    visible = queries.defenders_visible_to(user)

    assert _codes(visible) == sorted(request.getfixturevalue(name).code for name in sees)


def test_a_share_lets_the_other_units_staff_read_but_not_write(record, other_organisation):
    reader = staff_member(other_organisation, Role.DESK_OFFICER)
    DefenderShare.objects.create(defender=record, organisation=other_organisation)

    assert queries.get_defender_for_user(reader, record.pk) == record
    with pytest.raises(PermissionDenied):
        queries.get_defender_for_user(reader, record.pk, for_write=True)


def test_invisible_records_are_not_found(outsider, record):
    with pytest.raises(Http404):
        queries.get_defender_for_user(outsider, record.pk)


def test_filters_narrow_and_archived_records_wait_to_be_asked_for(organisation, desk_officer):
    land = DefenderFactory(organisation=organisation, categories=["land"], country="CO")
    DefenderFactory(organisation=organisation, categories=["journalist"], country="CO")
    archived = DefenderFactory(
        organisation=organisation, categories=["land"], status=DefenderStatus.ARCHIVED
    )
    DefenderFactory(organisation=organisation, categories=["land"], country="PE")

    current = queries.filtered_defenders(desk_officer, category="land", country="co")
    old = queries.filtered_defenders(desk_officer, category="land", status="archived")

    assert (_codes(current), _codes(old)) == ([land.code], [archived.code])


def test_search_ignores_case_and_accents_and_finds_codes(organisation, desk_officer, reading):
    maria = DefenderFactory(organisation=organisation, pseudonym="María José")
    DefenderFactory(organisation=organisation, pseudonym="Mario")
    other = DefenderFactory(organisation=organisation, pseudonym="Zoe")
    visible = queries.defenders_visible_to(desk_officer)

    by_name = queries.search_defenders(visible, "  maria JOSE ")
    by_code = queries.search_defenders(visible, other.code.lower())

    assert (_codes(by_name.defenders), _codes(by_code.defenders)) == ([maria.code], [other.code])


def test_search_is_bounded_and_says_so(organisation, desk_officer, reading, monkeypatch):
    monkeypatch.setattr(queries, "SEARCH_LIMIT", 2)
    DefenderFactory.create_batch(3, organisation=organisation, pseudonym="Same")

    result = queries.search_defenders(queries.defenders_visible_to(desk_officer), "same")

    assert (len(result.defenders), result.truncated) == (2, True)


@pytest.mark.parametrize(
    "typed",
    [["lucia mar"], ["LUCÍA  MAR ortega"], ["Someone", "Lucia Mar Ortega"], ["Mar"]],
)
def test_possible_duplicates_compare_pseudonym_and_legal_name(
    desk_officer, record, foreign_record, typed, reading
):
    found = queries.possible_duplicates(desk_officer, typed)

    assert [d.pk for d in found.defenders] == [record.pk]  # never the other office's


def test_possible_duplicates_leave_different_names_alone(desk_officer, record, reading):
    assert queries.possible_duplicates(desk_officer, ["Rosa Elena", ""]).defenders == []


@pytest.mark.usefixtures("reading")
def test_a_collective_page_names_only_members_the_reader_reaches(
    collective_record, own_record, record, defender, desk_officer
):
    add_member(collective_record, own_record)
    add_member(collective_record, record)  # kept by the desk: Ana may not open it

    as_ana = queries.get_defender_for_user(defender, collective_record.pk)
    as_desk = queries.get_defender_for_user(desk_officer, collective_record.pk)

    assert [link.member_id for link in as_ana.members.all()] == [own_record.pk]
    assert queries.hidden_member_count(as_ana, 1) == 1
    assert sorted(link.member_id for link in as_desk.members.all()) == sorted(
        [own_record.pk, record.pk]
    )


def test_read_log_lists_reads_and_writes_naming_this_defender_only(
    record, desk_officer, desk_lead, organisation
):
    other = DefenderFactory(organisation=organisation)
    with audit_context(actor=desk_lead):
        str(Defender.objects.get(pk=record.pk).pseudonym)  # Lena opens the record
    with audit_context(actor=desk_officer):
        str(Defender.objects.get(pk=other.pk).pseudonym)  # Dora opens someone else's
    record_event(
        actor=desk_officer,
        action="defenders.defender_updated",
        organisation=organisation,
        target=record,
    )

    events, next_before = queries.read_log(record)

    assert [(e.action, e.actor) for e in events] == [
        ("defenders.defender_updated", desk_officer),
        ("audit.tier1_read", desk_lead),
    ]
    assert next_before is None


def test_read_log_pages_by_key_and_forgets_after_a_year(record, organisation, desk_officer):
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        record_event(actor=desk_officer, action="old", organisation=organisation, target=record)
    for n in range(3):
        record_event(actor=desk_officer, action=f"a{n}", organisation=organisation, target=record)

    first, before = queries.read_log(record, limit=2)
    second, after = queries.read_log(record, before=before, limit=2)

    assert ([e.action for e in first + second], after) == (["a2", "a1", "a0"], None)


def test_read_log_ignores_other_chains(record, other_organisation, desk_officer):
    record_event(
        actor=desk_officer, action="elsewhere", organisation=other_organisation, target=record
    )

    assert queries.read_log(record) == ([], None)


def test_organisations_for_creation_are_those_with_defenders_edit(desk_officer, organisation):
    second = OrganisationFactory(name="A second office")
    MembershipFactory(user=desk_officer, organisation=second, role=Role.DESK_LEAD)
    MembershipFactory(user=desk_officer, organisation=OrganisationFactory(), role=Role.TRAINER)

    assert queries.organisations_for_creation(desk_officer) == [second, organisation]
