"""The desk's case list is a prepared query per shape of request (ADR 0050): the same rows and
officers as its queryset path, for every person, filter, page size and cursor."""

from __future__ import annotations

import pytest

from amparo.audit.services import audit_context
from amparo.defenders.models import DefenderShare
from amparo.desk import queries
from amparo.desk.enums import CaseState, Confidentiality, Priority
from amparo.desk.models import Case, CaseOfficer
from amparo.desk.tests.test_dashboard_lists import desk  # noqa: F401 -- a fixture

pytestmark = pytest.mark.django_db

PERSONAS = ("desk_officer", "desk_lead", "second_officer", "outsider", "defender", "org_admin")


def _filter_cases(organisation):
    """Each filter alone, with values the desk's cases hold, and all of them together."""
    first = Case.objects.filter(organisation=organisation).order_by("created_at").first()
    return [
        queries.CaseFilters(),
        queries.CaseFilters(state=first.state),
        queries.CaseFilters(priority=first.priority),
        queries.CaseFilters(mine=True),
        queries.CaseFilters(open_only=True),
        queries.CaseFilters(state=CaseState.DECLINED),
        queries.CaseFilters(state=first.state, priority=Priority.LOW, mine=True),
    ]


@pytest.fixture
def staffed(desk, organisation, desk_officer, second_officer):  # noqa: F811 -- the fixture
    """Officers on some cases (two on one, in an order that is not their creation's), and
    named cases that only their officers and the leads see."""
    ours = list(Case.objects.filter(organisation=organisation).order_by("created_at"))
    for case in ours[::2]:
        CaseOfficer.objects.create(case=case, user=second_officer)
    for case in ours[::3]:
        CaseOfficer.objects.create(case=case, user=desk_officer)
    Case.objects.filter(pk__in=[ours[1].pk, ours[2].pk]).update(
        confidentiality=Confidentiality.NAMED
    )


def _officers(page):
    return [[(o.display_name, o.email) for o in case.officer_list] for case in page.rows]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.usefixtures("staffed")
def test_the_case_page_reads_what_the_queryset_reads(request, organisation, persona):
    person = request.getfixturevalue(persona)
    found = []

    for filters in _filter_cases(organisation):
        cases = queries.filter_cases(queries.cases_visible_to(person), person, filters)
        for size in (1, 4, 50):
            expected = queries.keyset_page(cases, after=None, size=size)
            page = queries.case_page(person, filters, after=None, size=size)
            assert [c.pk for c in page.rows] == [c.pk for c in expected.rows], filters
            assert (page.next_after, page.is_first) == (expected.next_after, True)
            assert _officers(page) == _officers(expected)
            found.append(bool(expected.rows))
            foreign = Case.objects.exclude(organisation=person.memberships.first().organisation)
            for after in filter(None, [expected.next_after, getattr(foreign.first(), "pk", None)]):
                later = queries.case_page(person, filters, after=after, size=size)
                reference = queries.keyset_page(cases, after=after, size=size)
                assert [c.pk for c in later.rows] == [c.pk for c in reference.rows]
                assert later.next_after == reference.next_after
                assert _officers(later) == _officers(reference)
    if persona == "desk_officer":
        assert all(found[:-3]), found  # every filter alone finds cases for the desk
    if persona in ("defender", "org_admin"):
        assert not any(found)


@pytest.mark.usefixtures("staffed")
def test_the_case_page_reads_the_list_columns(desk_officer):
    """A row holds the values the list shows, as the case's own fields give them, and its
    defender's pseudonym opens under the defender's binding, as a read of that defender."""
    from amparo.core import crypto

    (row,) = queries.case_page(desk_officer, queries.CaseFilters(), after=None, size=1).rows
    case = Case.objects.select_related("defender").get(pk=row.pk)

    assert isinstance(row, queries.ListedCase)
    assert (row.id, row.code, row.state, row.priority, row.urgency, row.opened_on) == (
        case.pk,
        case.code,
        case.state,
        case.priority,
        case.urgency,
        case.opened_on,
    )
    assert (row.defender.pk, row.defender.code) == (case.defender.pk, case.defender.code)
    with audit_context(actor=desk_officer):
        pseudonym = str(case.defender.pseudonym)
    read = []
    crypto.on_decrypt.append(lambda *args: read.append(args))
    try:
        with audit_context(actor=desk_officer):
            assert row.defender.pseudonym == pseudonym
            assert row.defender.pseudonym == pseudonym  # decrypted once
    finally:
        crypto.on_decrypt.pop()
    label = "defenders.Defender.pseudonym"
    assert read == [(label, case.defender.pk, case.defender.organisation_id)]


@pytest.mark.parametrize("shared", [False, True])
@pytest.mark.parametrize("persona", ["desk_officer", "desk_lead"])
def test_the_dashboards_recent_incidents_are_the_registers_first(
    client, request, organisation, other_organisation, *, persona, shared
):
    """The desk dashboard reads the register's first page through its narrowed, prepared path
    (`register_page`): the same incidents as the whole visible set, newest first."""
    from django.urls import reverse

    from amparo.incidents.benchdata import bulk_seed
    from amparo.incidents.queries import incidents_visible_to
    from amparo.incidents.tests.factories import make_defender
    from amparo.testing.auth import login_fresh

    bulk_seed(organisation, [make_defender(organisation, "Ana")], 15, seed=3)
    bea = make_defender(other_organisation, "Bea")
    bulk_seed(other_organisation, [bea], 5, seed=4)
    if shared:  # then they see incidents of a register they do not keep: the wider path
        DefenderShare.objects.create(defender=bea, organisation=organisation)
    person = request.getfixturevalue(persona)
    login_fresh(client, person)

    shown = client.get(reverse("desk:dashboard")).context["recent_incidents"]

    expected = list(incidents_visible_to(person)[: queries.DASHBOARD_ROWS])
    assert [i.pk for i in shown] == [i.pk for i in expected]
    assert len(shown) == min(queries.DASHBOARD_ROWS, incidents_visible_to(person).count())


def _api_filters(organisation):
    """The API's filters: each alone, as the API passes them (enum members), and together."""
    first = Case.objects.filter(organisation=organisation).order_by("created_at").first()
    return [
        queries.CaseFilters(),
        queries.CaseFilters(state=CaseState(first.state)),
        queries.CaseFilters(priority=Priority(first.priority)),
        queries.CaseFilters(mine=True),
        queries.CaseFilters(state=CaseState.DECLINED),
        queries.CaseFilters(state=CaseState(first.state), priority=Priority.LOW, mine=True),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.usefixtures("staffed")
def test_the_api_case_page_reads_what_the_queryset_reads(request, organisation, persona):
    """`case_api_page` gives `pk_page` over `api_list_rows`' values: the same dicts (every
    value of the same type), the same cursor, for each filter, limit and cursor."""
    from amparo.api.paging import pk_page

    person = request.getfixturevalue(persona)
    found = []

    def rows(page):
        return [
            (sorted(row.items()), [type(value) for _key, value in sorted(row.items())])
            for row in page["items"]
        ]

    for filters in _api_filters(organisation):
        cases = queries.api_list_rows(
            queries.filter_cases(queries.cases_visible_to(person), person, filters)
        )
        for limit in (1, 4, 50):
            foreign = Case.objects.exclude(organisation=person.memberships.first().organisation)
            expected = pk_page(cases, None, limit, item=dict)
            found.append(bool(expected["items"]))
            afters = [None, expected["next_after"], getattr(foreign.first(), "pk", None)]
            for after in afters:
                reference = pk_page(cases, after, limit, item=dict)
                page = queries.case_api_page(person, filters, after=after, limit=limit, item=dict)
                assert rows(page) == rows(reference), (filters, limit, after)
                assert page["next_after"] == reference["next_after"]
    if persona == "desk_officer":
        assert all(found[:-6]), found  # every filter alone finds cases for the desk
    if persona in ("defender", "org_admin"):
        assert not any(found)
