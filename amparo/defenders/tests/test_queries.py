"""Who sees which defenders, the in-memory search and duplicate check, and the read log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from amparo.accounts.enums import Role
from amparo.accounts.permissions import Perm
from amparo.accounts.rules import active_memberships
from amparo.accounts.tests.factories import MembershipFactory, OrganisationFactory, staff_member
from amparo.audit.services import audit_context, record_event
from amparo.defenders import queries, rules
from amparo.defenders.enums import DefenderStatus
from amparo.defenders.models import ClosePerson, Defender, DefenderShare
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


@pytest.fixture
def mixed_register(organisation, other_organisation, record, own_record, collective_record):
    """Defenders of every kind, status, category and country, kept by the persona's unit, by
    another (one shared with the persona's unit), and the persona's own and collective's."""
    made = []
    for n in range(14):
        made.append(
            DefenderFactory(
                organisation=organisation if n % 5 else other_organisation,
                categories=[("land", "journalist", "women")[n % 3]],
                country=("CO", "PE")[n % 2],
                status=DefenderStatus.ARCHIVED if n % 4 == 0 else DefenderStatus.ACTIVE,
            )
        )
    DefenderShare.objects.create(defender=made[5], organisation=organisation)
    return made


_FILTER_CASES = [
    {},
    {"kind": "collective"},
    {"kind": "individual"},
    {"status": "archived"},
    {"category": "land"},
    {"country": "pe"},  # written upper-case, as the filter form may not
    {"kind": "individual", "status": "active", "category": "land", "country": "CO"},
]


@pytest.mark.parametrize(
    "persona", ["desk_officer", "desk_lead", "defender", "org_admin", "outsider"]
)
@pytest.mark.usefixtures("mixed_register", "reading")
def test_the_list_page_reads_what_the_queryset_reads(request, persona):
    """`defender_page` is the list's queryset path prepared per shape of request (ADR 0050):
    the same rows, for every filter, page size and cursor, for every persona."""
    user = request.getfixturevalue(persona)
    found = []

    for filters in _FILTER_CASES:
        for size in (1, 3, 50):
            rows = queries.list_rows(queries.filtered_defenders(user, **filters))
            expected = queries.list_page(rows, after=None, size=size)
            page = queries.defender_page(user, after=None, size=size, **filters)
            assert [d.pk for d in page.rows] == [d.pk for d in expected.rows], filters
            assert page.next_after == expected.next_after
            found.append(bool(expected.rows))
            # The next page, and a cursor the person cannot see (an empty page).
            for after in filter(None, [expected.next_after, Defender.objects.order_by("pk")[0].pk]):
                later = queries.defender_page(user, after=after, size=size, **filters)
                reference = queries.list_page(rows, after=after, size=size)
                assert [d.pk for d in later.rows] == [d.pk for d in reference.rows]
                assert (later.next_after, later.is_first) == (reference.next_after, False)
    if persona == "desk_officer":
        assert all(found), found  # every filter finds someone for the desk


@pytest.mark.usefixtures("reading")
def test_the_list_page_reads_the_list_columns_only(desk_officer, record):
    """The page's rows are the values of LIST_FIELDS (no instance, no other Tier-1 column),
    each what the record holds, the pseudonym decrypted by its field and audited."""
    from amparo.core import crypto

    seen: list[tuple[str, Any, Any]] = []
    crypto.on_decrypt.append(lambda *read: seen.append(read))
    try:
        (row,) = queries.defender_page(desk_officer, after=None, size=1).rows
    finally:
        crypto.on_decrypt.pop()

    assert isinstance(row, queries.ListedDefender)
    assert seen == [("defenders.Defender.pseudonym", record.pk, record.organisation_id)]
    shown = [name for name in queries.LIST_FIELDS if name != "id"]  # the id is the row's pk
    stored = Defender.objects.get(pk=record.pk)
    assert {name: getattr(row, name) for name in shown} == {
        **{name: getattr(stored, name) for name in shown},
        "pseudonym": str(stored.pseudonym),
    }
    assert (row.pk, row.code, row.category_codes) == (record.pk, record.code, [])


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

    as_ana = queries.get_defender_page(defender, collective_record.pk)
    as_desk = queries.get_defender_page(desk_officer, collective_record.pk)
    ana_members, ana_collectives = queries.collective_links(defender, as_ana)
    desk_members, _ = queries.collective_links(desk_officer, as_desk)

    assert ([link.member_id for link in ana_members], ana_collectives) == ([own_record.pk], [])
    assert queries.hidden_member_count(as_ana, len(ana_members)) == 1
    assert sorted(link.member_id for link in desk_members) == sorted([own_record.pk, record.pk])
    assert queries.hidden_member_count(as_desk, len(desk_members)) == 0


@pytest.mark.usefixtures("reading")
def test_an_individuals_page_lists_the_collectives_the_reader_reaches(
    collective_record, own_record, organisation, other_organisation, defender
):
    add_member(collective_record, own_record)
    add_member(DefenderFactory(organisation=other_organisation, kind="collective"), own_record)

    page = queries.get_defender_page(defender, own_record.pk)
    members, collectives = queries.collective_links(defender, page)

    assert (members, [link.collective_id for link in collectives]) == ([], [collective_record.pk])


def test_the_page_knows_which_of_the_readers_organisations_it_was_shared_with(
    record, desk_officer, other_organisation, organisation
):
    hub_reader = staff_member(other_organisation, Role.DESK_OFFICER)
    DefenderShare.objects.create(defender=record, organisation=other_organisation)

    keeper = queries.get_defender_page(desk_officer, record.pk)
    hub = queries.get_defender_page(hub_reader, record.pk)

    assert (keeper.shared_with_reader, hub.shared_with_reader) == (
        frozenset(),
        frozenset({other_organisation.pk}),
    )
    assert (keeper.share_count, hub.share_count) == (1, 1)


@pytest.mark.parametrize(("shared", "reads"), [(True, True), (False, False)])
def test_reads_defender_answers_shares_from_the_page_without_a_query(
    record, other_organisation, shared, reads, django_assert_num_queries
):
    hub_reader = staff_member(other_organisation, Role.DESK_OFFICER)
    if shared:
        DefenderShare.objects.create(defender=record, organisation=other_organisation)
        page = queries.get_defender_page(hub_reader, record.pk)
    else:
        # As the page would have it, had the reader reached the record some other way.
        page = Defender.objects.get(pk=record.pk)
        page.shared_with_reader = frozenset()
    active_memberships(hub_reader)  # loaded with the person on every request

    with django_assert_num_queries(0):
        answer = rules.reads_defender(
            hub_reader, page, staff_perm=Perm.RISK_VIEW, collective_perm=Perm.COLLECTIVE_VIEW
        )

    assert answer is reads


@pytest.mark.parametrize(("shared", "reads"), [(True, True), (False, False)])
def test_reads_defender_asks_the_database_about_any_other_defender(
    record, other_organisation, shared, reads, django_assert_num_queries
):
    hub_reader = staff_member(other_organisation, Role.DESK_OFFICER)
    if shared:
        DefenderShare.objects.create(defender=record, organisation=other_organisation)
    loaded = Defender.objects.get(pk=record.pk)
    active_memberships(hub_reader)  # loaded with the person on every request

    with django_assert_num_queries(1):  # the share, since the page did not load it
        answer = rules.reads_defender(
            hub_reader, loaded, staff_perm=Perm.RISK_VIEW, collective_perm=Perm.COLLECTIVE_VIEW
        )

    assert answer is reads


def test_reads_defender_follows_the_module_permission(
    record, organisation, django_assert_num_queries
):
    trainer = staff_member(organisation, Role.TRAINER)
    page = Defender.objects.get(pk=record.pk)
    active_memberships(trainer)  # loaded with the person on every request

    with django_assert_num_queries(0):  # no risk.view anywhere: no share can help
        answer = rules.reads_defender(
            trainer, page, staff_perm=Perm.RISK_VIEW, collective_perm=Perm.COLLECTIVE_VIEW
        )

    assert answer is False


def test_part_pages_go_by_creation_time_with_a_cursor(record, reading):
    people = [
        ClosePerson.objects.create(
            organisation=record.organisation, defender=record, relation="child", name=f"P{n}"
        )
        for n in range(5)
    ]
    rows = queries.close_people_of(record)

    first, after = queries.keyset_page(rows, None, 2)
    second, after_second = queries.keyset_page(rows, after, 2)
    last, none = queries.keyset_page(rows, after_second, 2)

    expected = sorted(people, key=lambda person: (person.created_at, person.pk))
    assert [p.pk for p in first + second + last] == [p.pk for p in expected]
    assert none is None


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


@pytest.mark.parametrize(
    "persona", ["desk_officer", "desk_lead", "defender", "org_admin", "outsider"]
)
@pytest.mark.usefixtures("mixed_register", "reading")
def test_the_api_list_page_reads_what_the_queryset_reads(request, persona):
    """`defender_api_page` is the API list's queryset path (`pk_page` over `list_rows` of
    `filtered_defenders`) prepared per shape of request: the same rows and columns, for every
    filter, limit and cursor, for every persona."""
    from amparo.api.paging import pk_page

    user = request.getfixturevalue(persona)
    invisible = Defender.objects.order_by("-pk")[0].pk
    for filters in _FILTER_CASES:
        rows = queries.list_rows(queries.filtered_defenders(user, **filters), also=("languages",))
        for limit in (1, 3, 50):
            expected = pk_page(rows, None, limit)
            page = queries.defender_api_page(user, after=None, limit=limit, **filters)
            assert [d["id"] for d in page["items"]] == [d.pk for d in expected["items"]], filters
            assert page["next_after"] == expected["next_after"]
            for after in filter(None, [expected["next_after"], invisible]):
                later = queries.defender_api_page(user, after=after, limit=limit, **filters)
                reference = pk_page(rows, after, limit)
                assert [d["id"] for d in later["items"]] == [d.pk for d in reference["items"]]
                assert later["next_after"] == reference["next_after"]
    listed = queries.defender_api_page(user, after=None, limit=50)["items"]
    records = queries.with_category_codes(
        list(
            pk_page(
                queries.list_rows(queries.filtered_defenders(user), also=("languages",)), None, 50
            )["items"]
        )
    )
    assert len(listed) == len(records)
    shown = {Defender._meta.get_field(name).attname for name in queries.LIST_FIELDS}
    assert set(queries.API_LIST_COLUMNS) == shown | set(queries.API_ALSO)
    for row, record in zip(listed, records, strict=True):
        # Every column the values path reads is the instance's value, the pseudonym decrypted.
        assert row == {
            **{name: getattr(record, name) for name in queries.API_LIST_COLUMNS},
            "pseudonym": str(record.pseudonym),
            "languages": str(record.languages),
            "categories": record.category_codes,
        }


@pytest.mark.usefixtures("mixed_register", "reading")
def test_the_api_list_decrypts_each_tier1_value_through_its_field(desk_officer):
    """The values path decrypts under the binding an instance's read would have: one audited
    Tier-1 read per row, with the row's id and organisation, as before."""
    from amparo.core import crypto

    seen: list[tuple[str, Any, Any]] = []

    def hook(label: str, row_id: Any, organisation_id: Any) -> None:
        seen.append((label, row_id, organisation_id))

    crypto.on_decrypt.append(hook)
    try:
        items = queries.defender_api_page(desk_officer, after=None, limit=50)["items"]
    finally:
        crypto.on_decrypt.remove(hook)
    assert items
    assert seen == [
        (f"defenders.Defender.{name}", row["id"], row["organisation_id"])
        for row in items
        for name in ("languages", "pseudonym")
    ]


def test_the_close_people_page_is_the_keyset_page_of_the_queryset(
    organisation, record, foreign_record, reading
):
    assert queries.PART_PAGE == 50
    people = [
        ClosePerson(organisation=organisation, defender=record, relation="child", name=f"P{n}")
        for n in range(53)
    ]
    ClosePerson.objects.bulk_create(
        [
            *people,
            ClosePerson(
                organisation=foreign_record.organisation,
                defender=foreign_record,
                relation="child",
                name="X",
            ),
        ]
    )
    # Some share a time, so the id breaks the tie.
    ClosePerson.objects.filter(pk__in=[p.pk for p in people[:5]]).update(
        created_at=people[0].created_at
    )
    stranger = ClosePerson.objects.get(defender=foreign_record).pk
    rows = queries.close_people_of(record)
    _first, next_after = queries.keyset_page(rows, None, 50)
    assert next_after is not None
    for after in (None, next_after, stranger, people[3].pk, people[-1].pk):
        expected, expected_next = queries.keyset_page(rows, after, 50)
        found, found_next = queries.close_people_page(record, after)
        assert [(p.pk, p.name) for p in found] == [(p.pk, p.name) for p in expected]
        assert found_next == expected_next
