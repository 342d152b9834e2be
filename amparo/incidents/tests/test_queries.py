"""The access path: who sees which incidents, and that the fast definition matches the rule."""

from __future__ import annotations

import pytest

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import MembershipFactory, OrganisationFactory, staff_member
from amparo.defenders import services as defender_services
from amparo.incidents import queries
from amparo.incidents.enums import IncidentStatus
from amparo.incidents.models import Incident
from amparo.incidents.tests.factories import (
    make_collective_defender,
    make_defender,
    make_incident,
)

pytestmark = pytest.mark.django_db

PEOPLE = ["defender", "desk_officer", "desk_lead", "org_admin", "outsider", "hub_staff", "self"]


@pytest.fixture
def world(request, organisation, other_organisation, collective, desk_officer):
    """Incidents against a collective, a self-service defender, a defender shared with a hub,
    another office's defender, and a defender's own draft."""
    from amparo.accounts.tests.factories import UserFactory

    hub = OrganisationFactory(name="Hub", slug="hub", kind="regional_hub", country="")
    hub_staff = staff_member(hub, Role.DESK_OFFICER, email="hub@example.org")
    own_user = UserFactory(email="self@example.org")
    MembershipFactory(user=own_user, organisation=collective, role=Role.DEFENDER)
    river = make_collective_defender(organisation, collective)
    own = make_defender(organisation, "Self", user=own_user)
    shared = make_defender(organisation, "Shared")
    defender_services.share_defender(defender=shared, organisation=hub, actor=desk_officer)
    foreign = make_defender(other_organisation, "Foreign")
    other_staff = staff_member(other_organisation, Role.DESK_OFFICER, email="o@example.org")
    incidents = {
        "river": make_incident(organisation, desk_officer, victims=[river]),
        "own": make_incident(organisation, desk_officer, victims=[own]),
        "shared": make_incident(organisation, desk_officer, victims=[shared]),
        "foreign": make_incident(other_organisation, other_staff, victims=[foreign]),
        "no_victim": make_incident(organisation, desk_officer),
        "own_draft": make_incident(organisation, own_user, status=IncidentStatus.DRAFT),
    }
    people = {name: request.getfixturevalue(name) for name in PEOPLE[:5]}
    people.update(hub_staff=hub_staff, self=own_user)
    return people, incidents


EXPECTED = {
    "defender": {"river"},
    "desk_officer": {"river", "own", "shared", "no_victim", "own_draft"},
    "desk_lead": {"river", "own", "shared", "no_victim", "own_draft"},
    "org_admin": set(),
    "outsider": set(),
    "hub_staff": {"shared"},
    "self": {"river", "own", "own_draft"},
}


@pytest.mark.parametrize("person", PEOPLE)
def test_who_sees_which_incidents(world, person):
    people, incidents = world
    names = {incident.pk: name for name, incident in incidents.items()}

    seen = {
        names[pk]
        for pk in queries.incidents_visible_to(people[person]).values_list("pk", flat=True)
    }

    assert seen == EXPECTED[person]


@pytest.mark.parametrize("person", PEOPLE)
def test_the_fast_definition_matches_the_rule(world, person):
    people, _incidents = world
    user = people[person]

    fast = set(
        Incident.objects.filter(queries.visible_incidents_q(user)).values_list("pk", flat=True)
    )
    rule = set(
        Incident.objects.filter(queries.visible_incidents_reference_q(user)).values_list(
            "pk", flat=True
        )
    )

    assert fast == rule


def test_normalised_names_ignore_case_accents_punctuation_and_spacing():
    assert queries.normalise_name("  María-José   LÓPEZ ") == queries.normalise_name(
        "maria jose lopez"
    )
