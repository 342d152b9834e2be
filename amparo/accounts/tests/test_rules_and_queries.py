from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from amparo.accounts import queries, rules
from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import InvitationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.req("AUTH-01")
@pytest.mark.parametrize(
    ("role", "required"),
    [(role, role != Role.DEFENDER) for role in Role],
)
def test_requires_mfa_for_every_role_but_defender(organisation, role, required):
    person = UserFactory()
    MembershipFactory(user=person, organisation=organisation, role=role)

    assert rules.requires_mfa(person) is required


def test_plain_learners_do_not_require_mfa_but_operators_do(learner):
    operator = UserFactory(is_staff=True)

    assert (rules.requires_mfa(learner), rules.requires_mfa(operator)) == (False, True)


def test_ended_memberships_and_inactive_organisations_grant_nothing(organisation):
    person = UserFactory()
    MembershipFactory(user=person, organisation=organisation, role=Role.ORG_ADMIN, is_active=False)

    assert list(queries.organisations_visible_to(person)) == []
    assert rules.requires_mfa(person) is False


def test_organisations_visible_to_lists_only_own(organisation, other_organisation, desk_officer):
    assert list(queries.organisations_visible_to(desk_officer)) == [organisation]


@pytest.mark.req("ACC-03")
def test_get_organisation_for_user_hides_foreign_ones(other_organisation, desk_officer):
    with pytest.raises(Http404):
        queries.get_organisation_for_user(desk_officer, other_organisation.pk)


def test_get_organisation_for_write_is_forbidden_without_the_permission(organisation, desk_officer):
    with pytest.raises(PermissionDenied):
        queries.get_organisation_for_user(desk_officer, organisation.pk, for_write=True)


def test_memberships_visible_to_an_admin_are_their_organisations_only(
    organisation, other_organisation, org_admin, desk_officer, outsider
):
    visible = queries.memberships_visible_to(org_admin)

    assert sorted(m.user.email for m in visible) == ["dora@example.org", "omar@example.org"]


def test_invitations_visible_to_exclude_other_organisations(
    organisation, other_organisation, org_admin
):
    own = InvitationFactory(organisation=organisation, email="same@example.org")
    InvitationFactory(organisation=other_organisation, email="same@example.org")

    assert list(queries.invitations_visible_to(org_admin)) == [own]


def test_a_desk_lead_sees_members_but_cannot_manage_them(organisation, desk_lead):
    assert (
        rules.can_view_members(desk_lead, organisation),
        rules.can_manage_members(desk_lead, organisation),
        rules.can_manage_invitations(desk_lead, organisation),
    ) == (True, False, False)


def test_an_org_admin_of_a_hub_has_no_power_in_its_country_offices(organisation):
    from amparo.accounts.enums import OrganisationKind
    from amparo.accounts.tests.factories import OrganisationFactory

    hub = OrganisationFactory(kind=OrganisationKind.REGIONAL_HUB, country="")
    organisation.parent = hub
    organisation.save()
    hub_admin = UserFactory()
    MembershipFactory(user=hub_admin, organisation=hub, role=Role.ORG_ADMIN)

    assert rules.can_manage_members(hub_admin, organisation) is False
    with pytest.raises(Http404):
        queries.get_organisation_for_user(hub_admin, organisation.pk)


@pytest.mark.parametrize(
    ("kind", "parent_kind", "valid"),
    [
        ("regional_hub", "global_team", True),
        ("country_office", "regional_hub", True),
        ("country_office", "global_team", False),
        ("partner", "country_office", True),
        ("regional_hub", None, False),
        ("global_team", "regional_hub", False),
        ("collective", "country_office", False),
    ],
)
def test_the_organisation_tree_keeps_its_shape(kind, parent_kind, valid):
    from django.core.exceptions import ValidationError

    from amparo.accounts.models import Organisation
    from amparo.accounts.tests.factories import OrganisationFactory

    parent = OrganisationFactory(kind=parent_kind) if parent_kind else None
    organisation = Organisation(
        name="New",
        slug="new",
        kind=kind,
        parent=parent,
        collective_type="community" if kind == "collective" else "",
    )

    if valid:
        organisation.full_clean()
    else:
        with pytest.raises(ValidationError):
            organisation.full_clean()
