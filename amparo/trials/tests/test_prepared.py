"""The trials reads that are prepared queries (ADR 0050) read what their querysets read, for
every persona: the case list's page and its defenders, the case and the five lists of its
page, the case form's pickers without a search, the calendar's pages and the feed's hearings."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from amparo.accounts.permissions import Perm
from amparo.audit.services import audit_context
from amparo.core.paging import page_from
from amparo.core.pickers import pick
from amparo.defenders.models import Defender
from amparo.incidents.benchdata import bulk_seed
from amparo.incidents.models import Incident
from amparo.incidents.queries import incidents_visible_to
from amparo.incidents.tests.factories import make_incident
from amparo.trials import queries, rules, services
from amparo.trials.models import Charge, CriminalisationCase, DetentionPeriod, Hearing
from amparo.trials.tests.factories import (
    make_case,
    make_defender,
    make_hearing,
    make_mission,
    make_period,
    make_unattributed_period,
)

pytestmark = pytest.mark.django_db

PERSONAS = (
    "anonymous",
    "defender",
    "desk_officer",
    "desk_lead",
    "org_admin",
    "trial_observer",
    "outsider",
)

LATER = datetime(2099, 6, 1, 9, tzinfo=UTC)


def _person(request, persona):
    return request.getfixturevalue(persona) or AnonymousUser()


@pytest.fixture(autouse=True)
def _audited():
    """Pseudonyms, labels and the court are read (decrypted) as a page would read them."""
    with audit_context(actor=None):
        yield


@pytest.fixture
def docket(organisation, other_organisation, defender, desk_officer):
    """Eight cases of Casa Segura and two of the other office: one against two defenders, a
    defender named in several, hearings past and to come (postponed, with a mission and its
    report), detention periods (one not stated), charges, and linked incidents, among them a
    draft of the desk officer's and one against the `defender` persona's own record."""
    marta = make_defender(organisation, "Marta")
    ana = make_defender(organisation, "Ana", user=defender)
    rio = make_defender(organisation, "Río Claro", kind="collective")
    theirs = make_defender(other_organisation, "Bea")
    with audit_context(actor=None):
        mine = make_incident(organisation, desk_officer, victims=[marta], title="Raid")
        draft = make_incident(
            organisation, desk_officer, victims=[marta], title="Draft", status="draft"
        )
        against_ana = make_incident(organisation, desk_officer, victims=[ana], title="Summons")
    cases = []
    for n in range(8):
        named = [marta, ana] if n % 3 == 0 else [[marta], [ana], [rio]][n % 3]
        with audit_context(actor=None):
            case = services.open_case(
                actor=None,
                organisation=organisation,
                defenders=named,
                incidents=[mine, draft, against_ana][: n % 4],
                country="CO",
                opened_on=date(2025, 3, 1),
            )
        cases.append(case)
    first = cases[0]
    make_hearing(first, starts_at=datetime(2025, 4, 1, 9, tzinfo=UTC), result="postponed")
    observed = make_hearing(first, starts_at=LATER)
    with audit_context(actor=None):
        mission = make_mission(observed)
        services.draft_report(mission=mission, actor=None)
    make_hearing(first, starts_at=LATER + timedelta(days=1))
    make_hearing(cases[3], starts_at=LATER - timedelta(days=30))
    make_period(cases[1], starts_on=date(2025, 1, 1), ends_on=date(2025, 1, 9), place="<Sede>")
    make_period(cases[1], starts_on=date(2025, 2, 1))
    make_unattributed_period(cases[0], starts_on=date(2025, 3, 2))
    with audit_context(actor=None):
        services.add_charge(case=first, actor=None, article="Penal Code, art. 220", kind="other")
        services.add_charge(case=first, actor=None, article="Ley 1", kind="terrorism")
    foreign = [make_case(theirs) for _ in range(2)]
    make_hearing(foreign[0], starts_at=LATER)
    return cases + foreign


def _reference_page(person, after, size):
    """The case list's page as the queryset reads it, with the defenders prefetched."""
    rows = queries.case_page_rows(
        queries.cases_visible_to(person), after=after, size=size, now=timezone.now()
    )
    defenders = Defender.objects.order_by("created_at", "id")
    rows = rows.prefetch_related(Prefetch("defenders", queryset=defenders))
    return page_from(rows, size=size, is_first=after is None)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_case_list_page_reads_what_the_queryset_reads(request, docket, persona):
    person = _person(request, persona)

    shown = 0
    for size in (1, 3, 50):
        expected = _reference_page(person, None, size)
        cursors = [None, expected.next_after, docket[-1].pk, uuid.uuid4()]
        for after in cursors:
            reference = _reference_page(person, after, size)
            page = queries.case_page(person, after=after, size=size)
            assert [
                (
                    row.id,
                    row.code,
                    row.country,
                    row.stage,
                    row.detention,
                    row.postponements,
                    row.next_hearing,
                    [d.pk for d in row.defenders],
                )
                for row in page.rows
            ] == [
                (
                    case.pk,
                    case.code,
                    case.country,
                    case.stage,
                    case.detention,
                    case.postponements,
                    case.next_hearing,
                    [d.pk for d in case.defenders.all()],
                )
                for case in reference.rows
            ]
            assert (page.next_after, page.is_first) == (reference.next_after, after is None)
            shown += len(page.rows)
    if persona in ("desk_officer", "trial_observer"):
        assert shown > 0
        rows = queries.case_page(person, after=None, size=50).rows
        assert {row.postponements for row in rows} == {0, 1}
        assert sum(row.next_hearing is not None for row in rows) == 2
        assert max(len(row.defenders) for row in rows) == 2
        assert rows[0].defenders[0].pseudonym in ("Marta", "Ana", "Río Claro")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_case_page_reads_what_the_querysets_read(
    request, docket, persona, django_assert_num_queries
):
    person = _person(request, persona)
    visible = queries.cases_visible_to(person).annotate(postponements=queries._postponements())
    visible_by_id = {case.pk: case for case in visible}

    for case in CriminalisationCase.objects.all():
        for for_write in (False, True):
            if case.pk not in visible_by_id:
                with pytest.raises(Http404):
                    queries.get_case_for_user(person, case.pk, for_write=for_write)
                continue
            if for_write and not rules.can_edit(person, case):
                with pytest.raises(PermissionDenied):
                    queries.get_case_for_user(person, case.pk, for_write=True)
                continue
            found = queries.get_case_for_user(person, case.pk, for_write=for_write)
            assert found.pk == case.pk
            assert found.postponements == visible_by_id[case.pk].postponements
            assert found.court == case.court  # a whole case, Tier-1 columns included
        if case.pk not in visible_by_id:
            continue
        defenders = queries.defenders_of(case)
        assert defenders == list(case.defenders.order_by("created_at"))
        periods = queries.detention_periods_of(case, defenders)
        assert periods == list(
            DetentionPeriod.objects.filter(case=case).order_by("starts_on", "created_at", "id")
        )
        charges = queries.charges_of(case)
        hearings = queries.hearings_of(case)
        with django_assert_num_queries(0):  # their related rows came with them
            charged = [(c.pk, c.provision.pk, c.provision.article) for c in charges]
            observed = [
                (h.pk, getattr(h, "mission", None) and h.mission.pk, _report_of(h))
                for h in hearings
            ]
            named = [period.defender.pk for period in periods if period.defender_id]
        assert charged == [
            (c.pk, c.provision.pk, c.provision.article)
            for c in Charge.objects.filter(case=case).select_related("provision")
        ]
        assert observed == [
            (h.pk, getattr(h, "mission", None) and h.mission.pk, _report_of(h))
            for h in Hearing.objects.filter(case=case)
            .select_related("mission", "mission__report")
            .order_by("starts_at", "id")
        ]
        assert named == [p.defender_id for p in periods if p.defender_id]
        assert queries.incidents_of(person, case) == list(
            incidents_visible_to(person).filter(criminalisation_cases=case).order_by("-pk")[:50]
        )
    if persona == "desk_officer":
        first = queries.get_case_for_user(person, docket[0].pk)
        assert len(queries.hearings_of(first)) == 3
        assert len(queries.charges_of(first)) == 2
        assert len(queries.detention_periods_of(docket[1], queries.defenders_of(docket[1]))) == 2
        assert len(queries.incidents_of(person, docket[3])) == 3


def _report_of(hearing):
    mission = getattr(hearing, "mission", None)
    report = getattr(mission, "report", None) if mission else None
    return report and report.pk


def test_the_defender_persona_reads_the_incidents_against_her_only(request, docket, defender):
    """Not staff: of the case's linked incidents, only the one against her own record."""
    case = docket[3]

    titles = [incident.title for incident in queries.incidents_of(defender, case)]

    assert titles == ["Summons"]


@pytest.fixture
def candidates(organisation, other_organisation, desk_officer):
    """More defenders and incidents than a picker offers, in both offices."""
    ours = [make_defender(organisation, f"Defender {n}") for n in range(queries.PICKER_LIMIT + 3)]
    theirs = [make_defender(other_organisation, "Bea")]
    bulk_seed(organisation, ours[:2], queries.PICKER_LIMIT + 5, seed=31)
    bulk_seed(other_organisation, theirs, 3, seed=32)
    with audit_context(actor=None):
        make_incident(organisation, desk_officer, victims=[ours[0]], title="Mine", status="draft")
    return ours + theirs


def _offered(picker):
    return [(k.id, k.label, k.code, k.organisation_id, k.kind) for k in picker.options]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_pickers_offer_what_core_pick_offers(
    request, candidates, organisation, other_organisation, persona
):
    person = _person(request, persona)
    oldest_defender = Defender.objects.filter(organisation=organisation).order_by("created_at")[0]
    incidents = Incident.objects.order_by(*queries.INCIDENT_ORDER)
    oldest_incident = incidents.filter(organisation=organisation).last()
    foreign_incident = incidents.filter(organisation=other_organisation).first()
    keeps = [
        [],
        [oldest_defender.pk, oldest_incident.pk],
        [candidates[-1].pk, foreign_incident.pk, uuid.uuid4()],  # beyond the person's reach
    ]

    offered = 0
    for organisation_id in (organisation.pk, other_organisation.pk):
        for keep in keeps:
            defenders = queries.defender_picker(person, organisation_id=organisation_id, keep=keep)
            expected = pick(
                queries.defender_candidates(person, organisation_id=organisation_id),
                lambda rows: [queries._known_defender(r) for r in rows],
                search="",
                keep=keep,
                order=queries.DEFENDER_ORDER,
            )
            assert _offered(defenders) == _offered(expected)
            found = queries.incident_picker(person, organisation_id=organisation_id, keep=keep)
            expected = pick(
                queries.incident_candidates(person, organisation_id=organisation_id),
                lambda rows: [queries._known_incident(r) for r in rows],
                search="",
                keep=keep,
                order=queries.INCIDENT_ORDER,
            )
            assert _offered(found) == _offered(expected)
            offered += len(defenders.options) + len(found.options)
    if persona == "desk_officer":
        assert offered > 4 * queries.PICKER_LIMIT
        kept = queries.defender_picker(
            person, organisation_id=organisation.pk, keep=[oldest_defender.pk]
        )
        assert kept.options[0].id == oldest_defender.pk
        assert len(kept.options) == queries.PICKER_LIMIT + 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_calendars_hearings_are_the_querysets(request, docket, persona):
    person = _person(request, persona)
    windows = [
        (datetime(2025, 4, 1, tzinfo=UTC), datetime(2025, 5, 1, tzinfo=UTC)),
        (LATER - timedelta(days=60), LATER + timedelta(days=60)),
        (LATER + timedelta(days=5), LATER + timedelta(days=6)),
    ]

    for start, end in windows:
        hearings = queries.hearings_in(person, start, end)
        expected = list(queries.hearings_between(person, start, end))
        assert [(h.pk, h.case.pk, h.case.code) for h in hearings] == [
            (h.pk, h.case.pk, h.case.code) for h in expected
        ]
    if persona == "desk_officer":
        assert len(queries.hearings_in(person, *windows[1])) == 3


@pytest.fixture
def two_offices(organisation, other_organisation):
    """Tomás holds trials roles in both offices: the calendar reads two organisations."""
    from amparo.accounts.enums import Role
    from amparo.accounts.tests.factories import MembershipFactory, staff_member

    person = staff_member(organisation, Role.DESK_OFFICER, email="tomas@example.org")
    MembershipFactory(user=person, organisation=other_organisation, role=Role.TRIAL_OBSERVER)
    return person


@pytest.fixture
def busy_day(docket):
    """On top of the docket's hearings: five of Casa Segura and three of the other office at
    one same moment (the calendar orders them by id), and one of each a minute later."""
    ours, theirs = docket[1], docket[-1]
    moment = LATER + timedelta(days=10)
    for n in range(5):
        make_hearing(ours, starts_at=moment, kind=("trial", "appeal")[n % 2])
    for _ in range(3):
        make_hearing(theirs, starts_at=moment)
    make_hearing(ours, starts_at=moment + timedelta(minutes=1), result="cancelled")
    make_hearing(theirs, starts_at=moment + timedelta(minutes=1))


def _calendar_reference(person, start, end, after, size):
    """A calendar page as the feed's queryset reads the window (every hearing, with its case),
    cut in Python: after the cursor, looked for among every hearing the person reads (one they
    cannot read gives an empty page), then `size` + 1."""
    far = datetime(9999, 1, 1, tzinfo=UTC)
    rows = list(queries.hearings_between(person, start, end or far))
    if after is not None:
        cursor = Hearing.objects.filter(rules.visible_q(person), pk=after).first()
        if cursor is None:
            rows = []
        else:
            rows = [h for h in rows if (h.starts_at, h.pk) > (cursor.starts_at, cursor.pk)]
    return page_from(rows[: size + 1], size=size, is_first=after is None)


def _entries(rows):
    return [(h.pk, h.case_id, h.starts_at, h.kind, h.result, h.case.code) for h in rows]


@pytest.mark.parametrize("persona", [*PERSONAS, "two_offices"])
def test_the_calendar_pages_read_what_the_queryset_reads(request, busy_day, docket, persona):
    """Every page of the calendar, walked from the first by its `Later hearings` cursor, in a
    month (start and end), from a day on (no end) and over a window with no hearing, at three
    page sizes; and pages after a hearing the person cannot read, or that does not exist."""
    person = _person(request, persona)
    windows = [
        (LATER - timedelta(days=60), LATER + timedelta(days=60)),
        (LATER - timedelta(days=60), None),
        (datetime(2025, 4, 1, tzinfo=UTC), datetime(2025, 5, 1, tzinfo=UTC)),
        (LATER + timedelta(days=400), None),
    ]
    hidden = [uuid.uuid4()]
    if not rules.organisations(person) & {docket[-1].organisation_id}:
        hidden.append(Hearing.objects.filter(case=docket[-1]).values_list("pk", flat=True)[0])

    shown = 0
    for start, end in windows:
        everything = _calendar_reference(person, start, end, None, 1000).rows
        for size in (1, 2, 50):
            after, walked = None, []
            while True:
                reference = _calendar_reference(person, start, end, after, size)
                page = queries.calendar_page(person, start=start, end=end, after=after, size=size)
                assert [(*row, row.code) for row in page.rows] == _entries(reference.rows)
                assert (page.next_after, page.is_first) == (
                    reference.next_after,
                    reference.is_first,
                )
                walked += page.rows
                if page.next_after is None:
                    break
                after = page.next_after
            # Every hearing of the window once, in order, whatever the page size.
            assert [row.id for row in walked] == [h.pk for h in everything]
            shown += len(walked)
        for after in hidden:
            page = queries.calendar_page(person, start=start, end=end, after=after, size=2)
            assert (page.rows, page.next_after) == ([], None)
    # Three page sizes over: the two windows around LATER (9 of Casa Segura, 5 more of the
    # other office) and April 2025 (1); nothing 400 days on.
    expected = {"desk_officer": 3 * (9 + 9 + 1), "two_offices": 3 * (14 + 14 + 1)}
    if persona in expected:
        assert shown == expected[persona]


def test_the_organisations_are_read_as_the_rules_read_them(desk_officer, organisation):
    """The prepared reads take the person's organisations from `rules.organisations`: those
    where they hold `trials.view`, as `rules.visible_q` filters by."""
    assert rules.visible_q(desk_officer) == rules.visible_q_for(
        rules.organisations(desk_officer, Perm.TRIALS_VIEW)
    )
    assert rules.visible_q(AnonymousUser()) == rules.visible_q_for(set())
