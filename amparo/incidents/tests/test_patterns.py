"""The patterns' counts (INC-5) as rewritten for large registers hold to the counts as first
written, for every person the register's reach lets see some of them, and across the window's
settings: the incidents are filtered directly rather than through `id IN (ids)`, months are
added up from days, and covering indexes serve the reads. Same rows, same order."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone, translation

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import MembershipFactory, OrganisationFactory, staff_member
from amparo.defenders import services as defender_services
from amparo.incidents import queries
from amparo.incidents.benchdata import bulk_seed
from amparo.incidents.enums import DatePrecision, IncidentStatus, PerpetratorKind
from amparo.incidents.models import Act, Incident, Involvement, Perpetrator
from amparo.incidents.tests.factories import (
    make_collective_defender,
    make_defender,
    make_incident,
    make_perpetrator,
)
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

#: The conftest personas, and those the world below adds: a hub's officer who reaches one
#: shared defender, a defender with their own record and draft, a desk officer who also works
#: for the hub (staff, but not desk-only), and the other office's desk.
PERSONAS = (
    "anonymous",
    "defender",
    "desk_officer",
    "desk_lead",
    "org_admin",
    "outsider",
    "hub_staff",
    "self",
    "mixed",
    "other_desk",
)


def _reference(visible: QuerySet[Incident], *, today: date, limit: int) -> queries.Patterns:
    """The counts as first written (before the indexes `incidents_patterns`,
    `incidents_involvement_pattern` and `incidents_act_victims`): every count starts from
    `id IN (the window's ids)`, months by TruncMonth. Plain, and slow on a large register."""
    months = queries._month_starts(today, 12)
    window_ids = visible.filter(listed_on__gte=months[0], listed_on__lte=today).values("pk")
    in_window = Incident.objects.filter(pk__in=window_ids)
    by_perpetrator = [
        dict(row)
        for row in Involvement.objects.filter(Q(incident_id__in=window_ids))
        .values("perpetrator_id", "perpetrator__kind")
        .annotate(incidents=Count("incident_id", distinct=True))
        .order_by("-incidents", "perpetrator_id")[:limit]
    ]
    by_region = [
        dict(row)
        for row in in_window.values("country", "region")
        .annotate(incidents=Count("id"))
        .order_by("-incidents", "country", "region")[:limit]
    ]
    monthly = dict(
        in_window.filter(
            occurred_on__isnull=False,
            date_precision__in=[DatePrecision.DAY, DatePrecision.MONTH],
        )
        .annotate(month=TruncMonth("occurred_on"))
        .values("month")
        .annotate(incidents=Count("id"))
        .values_list("month", "incidents")
    )
    counts = Counter({(key.year, key.month): value for key, value in monthly.items()})
    peak = max(counts.values(), default=0)
    by_month = [
        {
            "month": start,
            "incidents": counts[(start.year, start.month)],
            "share": round(100 * counts[(start.year, start.month)] / peak) if peak else 0,
        }
        for start in months
    ]
    since = today - timedelta(days=queries.PATTERN_WINDOW_DAYS)
    recent_ids = visible.filter(
        listed_on__gte=since, listed_on__lte=today, occurred_on__isnull=False
    ).values("pk")
    recent = Incident.objects.filter(pk__in=recent_ids)
    flagged_perpetrators = [
        dict(row)
        for row in Involvement.objects.filter(incident_id__in=recent_ids)
        .values("perpetrator_id", "perpetrator__kind")
        .annotate(
            incidents=Count("incident_id", distinct=True),
            victims=Count("incident__acts__victim_id", distinct=True),
        )
        .filter(incidents__gte=queries.PATTERN_THRESHOLD)
        .order_by("-incidents", "perpetrator_id")
    ]
    flagged_regions = [
        dict(row)
        for row in recent.exclude(region="")
        .values("country", "region")
        .annotate(
            incidents=Count("id", distinct=True), victims=Count("acts__victim_id", distinct=True)
        )
        .filter(incidents__gte=queries.PATTERN_THRESHOLD)
        .order_by("-incidents", "country", "region")
    ]
    return queries.Patterns(
        by_perpetrator=by_perpetrator,
        by_region=by_region,
        by_month=by_month,
        flagged_perpetrators=flagged_perpetrators,
        flagged_regions=flagged_regions,
        window_days=queries.PATTERN_WINDOW_DAYS,
        threshold=queries.PATTERN_THRESHOLD,
        since=since,
    )


def _reference_for(person: Any, *, today: date, limit: int) -> queries.Patterns:
    """`_reference` over the reach as the rules say it in words (DOMAIN rules)."""
    visible = Incident.objects.filter(queries.visible_incidents_reference_q(person))
    return _reference(visible, today=today, limit=limit)


@pytest.fixture
def world(request, organisation, other_organisation, collective, desk_officer):
    """A year and a half of Casa Segura's register (bulk, then the odd cases by hand: undated,
    dated to the year or the month, no region, no country, a region with markup, drafts, a
    perpetrator involved twice in one incident, an incident in the future), the collective's
    record, a defender's own record, a defender shared with a hub, and the other office's
    register. Returns the people by persona name."""
    from amparo.accounts.tests.factories import UserFactory

    hub = OrganisationFactory(name="Hub", slug="hub", kind="regional_hub", country="")
    hub_staff = staff_member(hub, Role.DESK_OFFICER, email="hub@example.org")
    mixed = staff_member(organisation, Role.DESK_OFFICER, email="mixed@example.org")
    MembershipFactory(user=mixed, organisation=hub, role=Role.DESK_OFFICER)
    own_user = UserFactory(email="self@example.org")
    MembershipFactory(user=own_user, organisation=collective, role=Role.DEFENDER)
    other_desk = staff_member(other_organisation, Role.DESK_OFFICER, email="o@example.org")

    river = make_collective_defender(organisation, collective)
    own = make_defender(organisation, "Self", user=own_user)
    shared = make_defender(organisation, "Shared")
    defender_services.share_defender(defender=shared, organisation=hub, actor=desk_officer)
    plain = [make_defender(organisation, f"Plain {n}") for n in range(3)]
    today = timezone.localdate()
    # Each victim in its own share of the register, so that each person's reach differs.
    bulk_seed(organisation, [river, plain[0]], 120, seed=31, years=1)
    bulk_seed(organisation, [own, plain[1]], 60, seed=32, years=1)
    bulk_seed(organisation, [shared], 50, seed=33, years=1)
    bulk_seed(organisation, plain, 160, seed=34, anchor=today - timedelta(days=200), years=2)
    foreign = make_defender(other_organisation, "Foreign")
    bulk_seed(other_organisation, [foreign], 60, seed=35, years=1)

    # Many regions, some tied, a few with markup, none, or no country at all.
    regions = ["Cauca", "Nariño", 'Cauca <b>"Norte"</b> & co', "", "Meta", "Valle / Sur"]
    regions += [f"Región {n}" for n in range(14)]
    for number, pk in enumerate(
        Incident.objects.filter(organisation=organisation).order_by("pk").values_list("pk")
    ):
        Incident.objects.filter(pk=pk[0]).update(
            region=regions[number % len(regions)], country="" if number % 29 == 0 else "CO"
        )
    army = make_perpetrator(organisation, "Battalion 14", kind=PerpetratorKind.MILITARY)
    company = make_perpetrator(organisation, "Contractor", kind=PerpetratorKind.PRIVATE_SECURITY)
    recently = today - timedelta(days=4)
    for victim in (river, own, shared, plain[2]):
        make_incident(
            organisation, desk_officer, victims=[victim], perpetrators=[army], occurred_on=recently
        )
    twice = make_incident(
        organisation,
        desk_officer,
        victims=[river, plain[2]],
        perpetrators=[army, company],
        occurred_on=recently,
    )
    Involvement.objects.create(  # the army named again, for the act against the collective
        organisation=organisation,
        incident=twice,
        perpetrator=army,
        act=Act.objects.get(incident=twice, victim=river),
    )
    for precision, day in (
        (DatePrecision.YEAR, today.replace(month=1, day=1)),
        (DatePrecision.MONTH, (today - timedelta(days=40)).replace(day=1)),
        (DatePrecision.DAY, today - timedelta(days=95)),
    ):
        make_incident(
            organisation,
            desk_officer,
            victims=[river],
            perpetrators=[company],
            occurred_on=day,
            date_precision=precision,
        )
    for _ in range(3):  # undated: they count by the day they were recorded
        make_incident(
            organisation,
            desk_officer,
            victims=[river],
            perpetrators=[company],
            occurred_on=None,
            date_precision=DatePrecision.UNKNOWN,
        )
    make_incident(organisation, own_user, victims=[plain[0]], status=IncidentStatus.DRAFT)
    make_incident(
        organisation, desk_officer, victims=[river], occurred_on=today + timedelta(days=3)
    )
    people = {
        name: request.getfixturevalue(name)
        for name in PERSONAS
        if name not in {"hub_staff", "self", "mixed", "other_desk"}
    }
    people.update(hub_staff=hub_staff, self=own_user, mixed=mixed, other_desk=other_desk)
    return {name: person or AnonymousUser() for name, person in people.items()}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_counts_are_the_first_written_counts_for_every_person(world, persona):
    person = world[persona]
    today = timezone.localdate()

    expected = _reference_for(person, today=today, limit=15)
    counted = queries._count_patterns(
        person, only_desk=queries.desk_only(person), today=today, limit=15
    )
    wide = queries._count_patterns(person, only_desk=False, today=today, limit=15)

    assert counted == expected
    assert wide == expected  # a desk's narrowed reach counts what the whole reach counts
    if persona in ("desk_officer", "mixed", "self", "defender", "hub_staff"):
        assert expected.by_perpetrator  # each of them sees some of the register
        assert expected.by_region
        assert sum(row["incidents"] for row in expected.by_month)
    if persona in ("desk_officer", "mixed"):
        assert expected.flagged_perpetrators
        assert expected.flagged_regions
        assert len(expected.by_region) == 15  # more places than the table shows


@pytest.mark.parametrize("persona", ["desk_officer", "mixed", "self"])
@pytest.mark.parametrize(
    ("days_back", "limit", "threshold", "window_days"),
    [
        (0, 15, 3, 90),
        (0, 3, 1, 30),  # a short table, every incident a signal
        (0, 40, 5, 400),  # the signals' window longer than the tables' year
        (17, 15, 2, 90),  # another day: other months, another window
        (500, 15, 3, 90),  # a year before most of the register
    ],
)
def test_the_counts_hold_across_days_limits_and_signal_settings(
    world, monkeypatch, persona, *, days_back, limit, threshold, window_days
):
    monkeypatch.setattr(queries, "PATTERN_THRESHOLD", threshold)
    monkeypatch.setattr(queries, "PATTERN_WINDOW_DAYS", window_days)
    person = world[persona]
    today = timezone.localdate() - timedelta(days=days_back)

    expected = _reference_for(person, today=today, limit=limit)
    counted = queries._count_patterns(
        person, only_desk=queries.desk_only(person), today=today, limit=limit
    )

    assert counted == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_page_s_patterns_are_the_first_written_labelled(world, persona):
    """Through `patterns_for`, cached for a desk (twice: the second from the cache)."""
    person = world[persona]
    today = timezone.localdate()
    expected = queries._labelled(_reference_for(person, today=today, limit=15))

    first = queries.patterns_for(person, today=today)
    again = queries.patterns_for(person, today=today)

    assert first == again == expected
    for row in [*first.by_perpetrator, *first.flagged_perpetrators]:
        kind = PerpetratorKind(row["perpetrator__kind"])
        assert (row["perpetrator_code"], row["kind_label"]) == (
            Perpetrator(pk=row["perpetrator_id"]).code,
            str(kind.label),
        )


def test_kinds_are_labelled_in_the_readers_language(world):
    today = timezone.localdate()
    queries.patterns_for(world["desk_officer"], today=today)  # cached in English's request

    with translation.override("es"):
        patterns = queries.patterns_for(world["desk_officer"], today=today)
        spanish = [
            str(PerpetratorKind(r["perpetrator__kind"]).label) for r in patterns.by_perpetrator
        ]
    english = [str(PerpetratorKind(r["perpetrator__kind"]).label) for r in patterns.by_perpetrator]

    assert [row["kind_label"] for row in patterns.by_perpetrator] == spanish
    assert spanish != english


# --- the page's queries, at 1 and 50 incidents ---


def _all_last_week() -> None:
    """Every incident in the tables' year and the signals' window: each count has rows."""
    day = timezone.localdate() - timedelta(days=7)
    Incident.objects.update(occurred_on=day, listed_on=day)


@pytest.mark.parametrize("rows", [1, 50])
def test_a_desk_reads_its_patterns_from_the_cache_in_a_pinned_number_of_queries(
    client, organisation, desk_officer, django_assert_num_queries, *, rows
):
    bulk_seed(organisation, [make_defender(organisation, "Ana")], rows, seed=7, years=1)
    _all_last_week()
    login_fresh(client, desk_officer)
    url = reverse("incidents:patterns")
    client.get(url)  # the first request after sign-in, which also counts and caches

    # session, the user with their memberships, desk_only, the registers' generations, the
    # cached counts.
    with django_assert_num_queries(5):
        response = client.get(url)

    patterns = response.context["patterns"]
    assert sum(row["incidents"] for row in patterns.by_region) == rows
    assert bool(patterns.flagged_regions) == (rows >= queries.PATTERN_THRESHOLD)


@pytest.mark.parametrize("rows", [1, 50])
def test_a_collective_member_s_patterns_are_counted_in_a_pinned_number_of_queries(
    client, organisation, collective, defender, django_assert_num_queries, *, rows
):
    """Not cached (the reach is not a desk's registers): the five counts every time."""
    river = make_collective_defender(organisation, collective)
    bulk_seed(organisation, [river], rows, seed=8, years=1)
    _all_last_week()
    login_fresh(client, defender)
    url = reverse("incidents:patterns")
    client.get(url)

    # session, the user with their memberships, then the five counts: perpetrators of the
    # year, places of the year, days of the year, flagged perpetrators, flagged places.
    with django_assert_num_queries(7):
        response = client.get(url)

    patterns = response.context["patterns"]
    assert sum(row["incidents"] for row in patterns.by_region) == rows
    assert bool(patterns.flagged_regions) == (rows >= queries.PATTERN_THRESHOLD)
