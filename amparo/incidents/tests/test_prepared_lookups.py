"""The incident lookups that are prepared queries (ADR 0050) read what their querysets read,
for every persona: the record by id, and the dashboard's count of untriaged danger-now
reports."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404

from amparo.audit.services import audit_context
from amparo.core.pickers import pick
from amparo.defenders.enums import DefenderStatus
from amparo.defenders.models import Defender
from amparo.incidents import queries
from amparo.incidents.benchdata import bulk_seed
from amparo.incidents.enums import IncidentStatus
from amparo.incidents.models import Incident
from amparo.incidents.tests.factories import make_defender, make_perpetrator

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "defender", "desk_officer", "desk_lead", "org_admin", "outsider")


def _person(request, persona):
    return request.getfixturevalue(persona) or AnonymousUser()


@pytest.fixture
def register(organisation, other_organisation):
    ours = make_defender(organisation, "Ana")
    theirs = make_defender(other_organisation, "Bea")
    bulk_seed(organisation, [ours], 60, seed=21)
    bulk_seed(other_organisation, [theirs], 5, seed=22)
    ours_first = list(Incident.objects.order_by("pk"))
    urgent = [i.pk for i in ours_first if i.organisation_id == organisation.pk][:55]
    urgent += [i.pk for i in ours_first if i.organisation_id == other_organisation.pk][:2]
    Incident.objects.filter(pk__in=urgent).update(
        is_danger_now=True, status=IncidentStatus.SUBMITTED
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_urgent_count_is_the_querysets(request, register, persona):
    person = _person(request, persona)

    expected = queries.urgent_count(queries.incidents_visible_to(person))

    assert queries.urgent_count_for(person) == expected
    if persona == "desk_officer":
        assert expected == queries.URGENT_SHOWN + 1  # counted no further than "50+"


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_record_lookups_read_what_the_queryset_reads(request, register, persona):
    person = _person(request, persona)
    visible = {i.pk for i in queries.incidents_visible_to(person)}

    for incident in Incident.objects.all():
        for lookup in (queries.get_incident_for_user, queries.get_incident_for_api):
            if incident.pk in visible:
                assert lookup(person, incident.pk).pk == incident.pk
            else:
                with pytest.raises(Http404):
                    lookup(person, incident.pk)
    with pytest.raises(Http404):
        queries.get_incident_for_user(person, uuid.uuid4())


# --- the register's list (register_page), prepared per shape of request ---


def _queryset_page(person, filters, after, size, columns=queries.LIST_FIELDS):
    visible = queries.incidents_visible_to(person, narrow=True)
    rows = queries.filter_incidents(visible, filters).only(*columns)
    return queries.keyset_page(rows, after=after, size=size)


def _filter_cases(organisation):
    """One case per filter, values taken from the register so that each finds rows, and all
    of them at once (which finds few or none)."""
    from amparo.defenders.models import DefenderCategory
    from amparo.incidents.models import Act, Involvement

    first = Incident.objects.filter(organisation=organisation).order_by("pk").first()
    act = Act.objects.filter(incident=first).first()
    involvement = Involvement.objects.select_related("perpetrator").filter(incident=first).first()
    category = DefenderCategory.objects.values_list("code", flat=True).first() or "land"
    values = {
        "act_type": act.act_type,
        "date_from": first.occurred_on,
        "date_to": first.occurred_on,
        "country": first.country.lower(),  # the filter upper-cases it
        "region": first.region,
        "perpetrator_kind": involvement.perpetrator.kind,
        "perpetrator": involvement.perpetrator_id,
        "category": category,
        "status": first.status,
        "danger_now": True,
    }
    cases = [queries.IncidentFilters.from_mapping({name: value}) for name, value in values.items()]
    return [queries.IncidentFilters(), *cases, queries.IncidentFilters.from_mapping(values)]


@pytest.fixture
def linked_register(register, defender, organisation):
    """The register, with the `defender` persona's own record among the victims: they reach
    those incidents through the victims, not as staff (the list's other query)."""
    from amparo.defenders.models import Defender

    ana = Defender.objects.get(organisation=organisation)
    ana.categories.create(code="land")
    Defender.objects.filter(pk=ana.pk).update(user=defender)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_register_page_reads_what_the_queryset_reads(
    request, linked_register, organisation, persona
):
    person = _person(request, persona)
    register = queries.register_for(person)

    found = []
    for filters in _filter_cases(organisation):
        found.append(bool(_queryset_page(person, filters, None, 1).rows))
        for size in (1, 7, 50):
            expected = _queryset_page(person, filters, None, size)
            page = queries.register_page(register, filters, after=None, size=size)
            assert [i.pk for i in page.rows] == [i.pk for i in expected.rows], filters
            assert page.next_after == expected.next_after
            # The next page, from the cursor, and from a cursor the person cannot see.
            cursors = [expected.next_after, Incident.objects.order_by("-pk").first().pk]
            for after in filter(None, cursors):
                later = queries.register_page(register, filters, after=after, size=size)
                reference = _queryset_page(person, filters, after, size)
                assert [i.pk for i in later.rows] == [i.pk for i in reference.rows]
                assert (later.next_after, later.is_first) == (reference.next_after, False)
    if persona in ("desk_officer", "defender"):  # staff, and through the victims
        assert all(found[:-2]), found  # each filter alone finds rows (danger_now may not)


def test_the_register_page_reads_only_the_columns_asked_for(linked_register, desk_officer):
    register = queries.register_for(desk_officer)
    filters = queries.IncidentFilters()

    (row,) = queries.register_page(register, filters, after=None, size=1).rows
    (api_row,) = queries.register_page(
        register, filters, after=None, size=1, columns=queries.API_LIST_FIELDS
    ).rows

    deferred = {f.attname for f in Incident._meta.concrete_fields} - {
        Incident._meta.get_field(name).attname for name in queries.LIST_FIELDS
    }
    assert row.get_deferred_fields() == deferred
    assert "version" not in api_row.get_deferred_fields()
    assert api_row.version == Incident.objects.get(pk=api_row.pk).version


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_register_urgent_count_is_the_querysets(request, linked_register, persona):
    person = _person(request, persona)

    expected = queries.urgent_count(queries.incidents_visible_to(person, narrow=True))

    assert queries.register_urgent_count(queries.register_for(person)) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_desk_only_is_the_querysets(request, linked_register, persona):
    from amparo.accounts.permissions import Perm
    from amparo.defenders.rules import organisations_with

    person = _person(request, persona)
    staff = organisations_with(person, Perm.INCIDENTS_VIEW) if person.is_authenticated else set()
    outside = (
        Incident.objects.filter(
            queries.visible_incidents_reference_q(person) & ~Q(organisation_id__in=staff)
        ).exists()
        if person.is_authenticated
        else True
    )

    assert queries.desk_only(person) == (bool(staff) and not outside)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_timeline_page_reads_what_the_queryset_reads(request, linked_register, persona):
    from amparo.core.paging import page_from
    from amparo.defenders.models import Defender

    person = _person(request, persona)
    found = []
    for defender in Defender.objects.all():
        for size in (1, 7, 50):
            rows, _victims = queries.timeline_for(person, defender)
            expected = page_from(rows[: size + 1], size=size, is_first=True)
            page, victims = queries.timeline_page(person, defender, after=None, size=size)
            assert [i.pk for i in page.rows] == [i.pk for i in expected.rows]
            assert page.next_after == expected.next_after
            assert victims == queries.timeline_victim_ids(defender)
            found.append(bool(page.rows))
            if expected.next_after:
                later, _ = queries.timeline_page(
                    person, defender, after=expected.next_after, size=size
                )
                rows, _ = queries.timeline_for(person, defender, after=expected.next_after)
                reference = page_from(rows[: size + 1], size=size, is_first=False)
                assert [i.pk for i in later.rows] == [i.pk for i in reference.rows]
                assert later.next_after == reference.next_after
    if persona in ("desk_officer", "defender"):
        assert any(found)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_timeline_defender_is_the_querysets(request, linked_register, persona):
    from amparo.defenders.models import Defender

    person = _person(request, persona)
    found = 0
    for defender_id in [*Defender.objects.values_list("pk", flat=True), uuid.uuid4()]:
        try:
            expected = queries.timeline_defender_reference(person, defender_id)
        except Http404:
            with pytest.raises(Http404):
                queries.get_timeline_defender(person, defender_id)
            continue
        defender = queries.get_timeline_defender(person, defender_id)
        assert defender.pk == expected.pk
        assert (defender.organisation_id, defender.user_id, defender.kind) == (
            expected.organisation_id,
            expected.user_id,
            expected.kind,
        )
        found += 1
    if persona in ("desk_officer", "defender"):
        assert found


# --- the entry form's pickers (victim_picker, perpetrator_picker), prepared per shape ---


@pytest.fixture
def picker_records(organisation, other_organisation):
    ours = [make_defender(organisation, f"Ana {n}") for n in range(25)]
    Defender.objects.filter(pk=ours[3].pk).update(status=DefenderStatus.ARCHIVED)
    theirs = [make_defender(other_organisation, f"Ana {n}") for n in range(3)]
    perpetrators = [make_perpetrator(organisation, f"Battalion {n}") for n in range(24)]
    others = [make_perpetrator(other_organisation, "Battalion 1")]
    return ours, theirs, perpetrators, others


def _pick_cases(records):
    ours, theirs, perpetrators, others = records
    oldest, archived, foreign = ours[0].pk, ours[3].pk, theirs[0].pk
    return [
        ("", []),
        ("", [oldest]),
        ("", [oldest, oldest, foreign, archived, uuid.uuid4()]),
        ("ana 1", []),
        ("ANA  1", [ours[1].pk]),
        ("nobody", [oldest]),
        ("battalion", [perpetrators[0].pk, others[0].pk]),
        (ours[5].code, []),
        (perpetrators[2].code.split("-")[-1], []),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_pickers_offer_what_pick_offers(request, picker_records, persona):
    person = _person(request, persona)
    for search, keep in _pick_cases(picker_records):
        for prepared, candidates, to_known in (
            (queries.victim_picker, queries.victim_candidates, queries._known_victims),
            (
                queries.perpetrator_picker,
                queries.perpetrator_candidates,
                queries._known_perpetrators,
            ),
        ):
            if not person.is_authenticated:
                continue  # the entry form asks for a person with a desk
            with audit_context(actor=person):
                expected = pick(candidates(person), to_known, search=search, keep=keep)
                found = prepared(person, search=search, keep=keep)
            assert found == expected, (search, keep)


def test_the_pickers_offer_the_newest_and_the_kept(picker_records, desk_officer):
    ours, theirs, _perpetrators, _others = picker_records
    with audit_context(actor=desk_officer):
        offered = queries.victim_picker(desk_officer, keep=[ours[0].pk, theirs[0].pk]).options
    assert [k.id for k in offered[:1]] == [ours[0].pk]  # kept, however old
    assert len(offered) == 1 + 20
    assert theirs[0].pk not in {k.id for k in offered}
    assert ours[3].pk not in {k.id for k in offered}  # archived


# --- an incident's parts (with_parts), prepared for the keeping desk ---


@pytest.fixture
def two_incidents(organisation, desk_officer):
    from amparo.incidents import services
    from amparo.incidents.tests.factories import make_incident

    made = []
    for n in range(2):
        incident = make_incident(
            organisation,
            desk_officer,
            victims=[make_defender(organisation, f"Victim {n} {m}") for m in range(3)],
            perpetrators=[make_perpetrator(organisation, f"Unit {n} {m}") for m in range(2)],
        )
        for m in range(2):
            services.add_source(
                incident=incident, actor=desk_officer, values={"connection": "witness"}
            )
            services.add_intervention(
                incident=incident,
                actor=desk_officer,
                values={"intervention_type": "legal_aid", "done_on": f"2025-0{3 - m}-01"},
            )
        made.append(incident)
    return made


PARTS = ("acts", "involvements", "interventions", "sources", "attachments")


@pytest.mark.parametrize("files_and_sources", [True, False])
def test_with_parts_reads_what_the_prefetch_reads(
    two_incidents, django_assert_num_queries, files_and_sources
):
    from django.db.models import prefetch_related_objects

    incident = Incident.objects.get(pk=two_incidents[0].pk)
    expected = Incident.objects.get(pk=incident.pk)
    prefetch_related_objects(
        [expected], queries._acts(None), *(name for name in PARTS if name != "acts")
    )
    shown = PARTS if files_and_sources else PARTS[:3]
    wanted = {
        name: [r.pk for r in getattr(expected, name).order_by(*_order(name))] for name in shown
    }
    victims = [a.victim.pk for a in expected.acts.all()]
    perpetrators = [i.perpetrator.pk for i in expected.involvements.all()]
    with django_assert_num_queries(len(shown)):
        queries.with_parts(incident, files=files_and_sources, sources=files_and_sources)
    with django_assert_num_queries(0):
        for name in shown:
            rows = list(getattr(incident, name).all())
            assert [r.pk for r in rows] == wanted[name]
            assert all(r.incident is incident for r in rows)
        assert [a.victim.pk for a in incident.acts.all()] == victims
        assert [i.perpetrator.pk for i in incident.involvements.all()] == perpetrators
    assert len(incident.acts.all()) == 3
    assert [i.done_on.month for i in incident.interventions.all()] == [2, 3]
    # Filtering further still asks about this incident only.
    others = [a.pk for a in two_incidents[1].acts.all()]
    assert not incident.acts.filter(pk__in=others).exists()
    assert incident.acts.filter(pk__in=[a.pk for a in expected.acts.all()]).count() == 3


def _order(name):
    return {
        "acts": ("created_at",),
        "involvements": ("created_at",),
        "interventions": ("done_on", "created_at"),
        "sources": ("created_at",),
        "attachments": ("pk",),
    }[name]


def test_with_parts_for_a_reader_says_whom_they_reach(two_incidents, desk_officer):
    incident = Incident.objects.get(pk=two_incidents[0].pk)
    queries.with_parts(incident, files=False, sources=False, reader=desk_officer)
    assert all(act.reaches_victim for act in incident.acts.all())


def test_act_types_and_perpetrator_kinds_are_the_union_s(
    two_incidents, organisation, desk_officer, django_assert_num_queries
):
    from amparo.incidents.tests.factories import make_incident

    bare = make_incident(organisation, desk_officer, victims=[], perpetrators=[])
    for incident in (*two_incidents, bare):
        rows = set(queries._act_types_and_perpetrator_kinds(incident.pk))
        expected = (
            sorted(value for part, value in rows if part == "act"),
            sorted(value for part, value in rows if part == "perpetrator"),
        )
        with django_assert_num_queries(1):
            found = queries.act_types_and_perpetrator_kinds(incident)
        assert found == expected
        assert found[0] == sorted({a.act_type for a in incident.acts.all()})
        assert found[1] == sorted({i.perpetrator.kind for i in incident.involvements.all()})
    assert queries.act_types_and_perpetrator_kinds(two_incidents[0])[1]  # not vacuous


# --- the API's pages of an incident's acts and involvements, prepared per shape ---


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_part_pages_read_what_pk_page_reads(request, two_incidents, persona):
    from amparo.api.paging import pk_page
    from amparo.incidents.models import Act, Involvement

    person = _person(request, persona)
    if not person.is_authenticated:
        return  # the API answers 401 before any query
    incident = two_incidents[0]
    for model, queryset in (
        (Act, queries.acts_for_api),
        (Involvement, queries.involvements_for_api),
    ):
        every = [row.pk for row in queryset(person, incident.pk).order_by("pk")]
        cursors = [None, *every, uuid.uuid4(), two_incidents[1].acts.first().pk]
        for after in cursors:
            for limit in (1, 2, 50):
                expected = pk_page(queryset(person, incident.pk), after, limit)
                rows, next_after = queries.api_parts_page(person, model, incident.pk, after, limit)
                assert [r.pk for r in rows] == [r.pk for r in expected["items"]]
                assert next_after == expected["next_after"]
                if model is Act:
                    assert [r.reaches_victim for r in rows] == [
                        r.reaches_victim for r in expected["items"]
                    ]
                    assert [r.victim_id for r in rows] == [r.victim_id for r in expected["items"]]
                else:
                    assert [r.perpetrator.kind for r in rows] == [
                        r.perpetrator.kind for r in expected["items"]
                    ]


# --- whom a person reports about (report_targets), prepared ---


def _report_targets_by_querysets(person):
    from amparo.defenders.enums import DefenderKind

    own = (
        Defender.objects.filter(user_id=person.pk)
        .exclude(status=DefenderStatus.ARCHIVED)
        .select_related("organisation")
        .first()
    )
    reporting = queries.organisations_with(person, queries.Perm.COLLECTIVE_REPORT)
    collectives = list(
        Defender.objects.filter(
            kind=DefenderKind.COLLECTIVE, collective_organisation_id__in=reporting
        )
        .exclude(status=DefenderStatus.ARCHIVED)
        .order_by("created_at")
    )
    return own, collectives


@pytest.mark.parametrize("persona", PERSONAS)
def test_report_targets_are_the_querysets(request, persona):
    person = _person(request, persona)
    targets = queries.report_targets(person)
    if not person.is_authenticated:
        assert not targets.any
        return
    own, collectives = _report_targets_by_querysets(person)
    assert (targets.own.pk if targets.own else None) == (own.pk if own else None)
    assert [c.pk for c in targets.collectives] == [c.pk for c in collectives]
    if targets.own:
        assert targets.own.organisation.pk == own.organisation_id


def test_report_targets_find_a_member_s_own_record_and_collectives(
    organisation, collective, defender
):
    from amparo.incidents.tests.factories import make_collective_defender

    own = make_defender(organisation, "Ana", user=defender, country="CO")
    first = make_collective_defender(organisation, collective, "Río Claro")
    targets = queries.report_targets(defender)
    assert targets.own.pk == own.pk
    assert targets.own.organisation.pk == organisation.pk
    assert [c.pk for c in targets.collectives] == [first.pk]
    assert [c.pk for c in targets.collectives] == [
        c.pk for c in _report_targets_by_querysets(defender)[1]
    ]
    Defender.objects.filter(pk=first.pk).update(status=DefenderStatus.ARCHIVED)
    assert queries.report_targets(defender).collectives == []


def test_the_quick_report_s_defenders_are_the_newest_candidates(picker_records, desk_officer):
    from amparo.core.pickers import PICKER_LIMIT

    with audit_context(actor=desk_officer):
        expected = queries.known_victims(desk_officer, limit=PICKER_LIMIT)
        assert queries.victim_picker(desk_officer).options == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_register_rows_are_the_register_pages_as_tuples(
    request, linked_register, organisation, persona
):
    """`register_rows` (the API's list) reads the rows, order and cursor of `register_page`,
    each tuple holding the instance's values of the columns asked for."""
    person = _person(request, persona)
    register = queries.register_for(person)
    columns = queries.API_LIST_FIELDS
    attnames = [Incident._meta.get_field(name).attname for name in columns]

    for filters in _filter_cases(organisation):
        for size in (1, 7, 50):
            # The first page, the next one, and a page after a cursor the person cannot see.
            first = queries.register_page(register, filters, after=None, size=size)
            stranger = Incident.objects.order_by("-pk").first().pk
            for after in [None, *filter(None, [first.next_after, stranger])]:
                page = queries.register_page(
                    register, filters, after=after, size=size, columns=columns
                )
                rows = queries.register_rows(
                    register, filters, after=after, size=size, columns=columns
                )
                assert rows.rows == [
                    tuple(getattr(i, attname) for attname in attnames) for i in page.rows
                ]
                assert (rows.next_after, rows.is_first) == (page.next_after, page.is_first)


def test_the_register_rows_need_the_id_first(linked_register, desk_officer):
    with pytest.raises(ValueError, match="first column"):
        queries.register_rows(
            queries.register_for(desk_officer),
            queries.IncidentFilters(),
            after=None,
            size=5,
            columns=("status", "id"),
        )


def test_the_listed_kinds_are_the_summaries_sorted_sets(linked_register, organisation):
    rows = queries.attach_summaries(list(Incident.objects.all()))
    kinds = queries.listed_kinds([row.pk for row in rows])

    assert any(act_types and perpetrator_kinds for act_types, perpetrator_kinds in kinds.values())
    assert kinds == {
        row.pk: (
            sorted({act.act_type for act in row.summary_acts()}),
            sorted({i.perpetrator_kind for i in row.summary_involvements()}),
        )
        for row in rows
    }
    unknown = uuid.uuid4()
    assert queries.listed_kinds([unknown]) == {unknown: ([], [])}
    assert queries.listed_kinds([]) == {}
