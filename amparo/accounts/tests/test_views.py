from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from amparo.accounts.enums import Role
from amparo.accounts.models import Invitation, Membership
from amparo.accounts.tests.factories import InvitationFactory, MembershipFactory
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def test_member_list_shows_own_members_only(
    client, organisation, org_admin, desk_officer, outsider
):
    login_fresh(client, org_admin)

    response = client.get(reverse("accounts:member-list", args=[organisation.pk]))

    emails = [m.user.email for m in response.context["memberships"]]
    assert emails == ["dora@example.org", "omar@example.org"]
    assert b"xavier@example.org" not in response.content


@pytest.mark.parametrize("rows", [1, 50])
def test_member_list_query_count_is_flat(
    client, organisation, org_admin, rows, django_assert_num_queries
):
    MembershipFactory.create_batch(rows, organisation=organisation, role=Role.TRAINER)
    login_fresh(client, org_admin)
    url = reverse("accounts:member-list", args=[organisation.pk])
    client.get(url)  # the first request after sign-in records the session's state once

    # session, the user with their memberships (one query), count, page of memberships
    with django_assert_num_queries(4):
        response = client.get(url)

    assert len(response.context["memberships"]) == min(rows + 1, 50)  # 50 a page


@pytest.mark.parametrize("rows", [1, 50])
def test_invitation_list_query_count_is_flat(
    client, organisation, org_admin, rows, django_assert_num_queries
):
    InvitationFactory.create_batch(rows, organisation=organisation, invited_by=org_admin)
    login_fresh(client, org_admin)
    url = reverse("accounts:invitation-list", args=[organisation.pk])
    client.get(url)

    # session, the user with their memberships (one query), count, page of invitations
    with django_assert_num_queries(4):
        response = client.get(url)

    assert len(response.context["invitations"]) == rows


def test_dashboard_lists_the_persons_roles(client, desk_officer, django_assert_max_num_queries):
    login_fresh(client, desk_officer)
    client.get(reverse("core:dashboard"))

    # session, the user with their memberships, and one query per dashboard panel a desk
    # officer gets (danger-now queue, analyses due, plans due, desk cases, serious incidents
    # without a debrief: amparo/core/test_dashboard.py)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("core:dashboard"))

    assert [str(m) for m in response.context["memberships"]] == [
        "Dora · Desk officer · Casa Segura country office"
    ]


def test_invitation_create_sends_the_email(
    client, organisation, org_admin, django_capture_on_commit_callbacks
):
    login_fresh(client, org_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation-create", args=[organisation.pk]),
            {"email": "new@example.org", "role": Role.TRAINER, "language": "en"},
        )

    assert response["Location"] == reverse("accounts:invitation-list", args=[organisation.pk])
    assert list(Invitation.objects.values_list("email", "role")) == [("new@example.org", "trainer")]
    assert [m.to for m in mail.outbox] == [["new@example.org"]]


def test_invitation_create_keeps_what_was_typed_on_error(client, organisation, org_admin):
    login_fresh(client, org_admin)

    response = client.post(
        reverse("accounts:invitation-create", args=[organisation.pk]),
        {"email": "not-an-address", "role": Role.TRAINER, "language": "fr"},
    )

    assert response.status_code == 422
    assert response.context["form"].data["email"] == "not-an-address"
    assert b'value="not-an-address"' in response.content
    assert Invitation.objects.count() == 0


def test_invitation_create_asks_for_the_password_again_when_sign_in_is_old(
    client, organisation, org_admin
):
    client.force_login(org_admin)  # no recent password entry recorded

    response = client.post(
        reverse("accounts:invitation-create", args=[organisation.pk]),
        {"email": "new@example.org", "role": Role.TRAINER, "language": "en"},
    )

    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert Invitation.objects.count() == 0


def test_role_change_by_admin(client, organisation, org_admin, desk_officer):
    login_fresh(client, org_admin)
    membership = desk_officer.memberships.get()

    client.post(
        reverse("accounts:membership-role", args=[membership.pk]),
        {"role": Role.DESK_LEAD, "version": 1},
    )

    membership.refresh_from_db()
    assert (membership.role, membership.version) == (Role.DESK_LEAD, 2)


@pytest.mark.req("REL-02")
def test_role_change_conflict_shows_both_versions_and_keeps_the_other_change(
    client, organisation, org_admin, desk_officer
):
    login_fresh(client, org_admin)
    membership = desk_officer.memberships.get()
    Membership.objects.filter(pk=membership.pk).update(role=Role.TRAINER, version=2)

    response = client.post(
        reverse("accounts:membership-role", args=[membership.pk]),
        {"role": Role.DESK_LEAD, "version": 1},
    )

    membership.refresh_from_db()
    assert response.status_code == 409
    assert (response.context["mine"]["role"], response.context["current"].get_role_display()) == (
        "Desk lead",
        "Trainer",
    )
    assert membership.role == Role.TRAINER


def test_end_membership_by_admin(client, organisation, org_admin, desk_officer):
    login_fresh(client, org_admin)
    membership = desk_officer.memberships.get()

    client.post(reverse("accounts:membership-end", args=[membership.pk]), {"version": 1})

    membership.refresh_from_db()
    assert membership.is_active is False
    client.force_login(desk_officer)
    assert (
        client.get(reverse("accounts:organisation-detail", args=[organisation.pk])).status_code
        == 404
    )


def test_invitation_link_moves_the_token_out_of_the_address(client, organisation):
    from amparo.accounts import queries

    invitation = InvitationFactory(
        organisation=organisation, token_hash=queries.hash_token("secret-token")
    )

    response = client.get(reverse("accounts:invitation-open") + "?t=secret-token")
    page = client.get(response["Location"])

    assert response["Location"] == reverse("accounts:invitation-accept")
    assert page.context["invitation"] == invitation
    assert b"secret-token" not in page.content


def test_invitation_accept_creates_account_and_sends_staff_to_mfa(client, organisation):
    from amparo.accounts import queries

    InvitationFactory(
        organisation=organisation, email="nia@example.org", token_hash=queries.hash_token("tok")
    )
    client.get(reverse("accounts:invitation-open") + "?t=tok")

    response = client.post(
        reverse("accounts:invitation-accept"),
        {
            "display_name": "Nia",
            "password1": "rivers remember every stone",
            "password2": "rivers remember every stone",
            "language": "sw",
        },
    )
    following = client.get(response["Location"])
    enrolment = client.get(reverse("mfa_activate_totp"))

    assert Membership.objects.filter(
        user__email="nia@example.org", organisation=organisation
    ).exists()
    assert following["Location"] == reverse("accounts:mfa-required")
    # No second password prompt right after choosing the password.
    assert enrolment.status_code == 200


def test_invitation_accept_rejects_a_short_password_and_keeps_the_name(client, organisation):
    from amparo.accounts import queries

    InvitationFactory(organisation=organisation, token_hash=queries.hash_token("tok"))
    client.get(reverse("accounts:invitation-open") + "?t=tok")

    response = client.post(
        reverse("accounts:invitation-accept"),
        {"display_name": "Nia", "password1": "short", "password2": "short", "language": "en"},
    )

    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["password1"]
    assert b'value="Nia"' in response.content


def test_organisation_switch_changes_the_working_organisation(
    client, organisation, other_organisation, desk_officer
):
    MembershipFactory(user=desk_officer, organisation=other_organisation, role=Role.TRAINER)
    login_fresh(client, desk_officer)

    client.post(
        reverse("accounts:organisation-switch"),
        {"organisation": str(other_organisation.pk), "next": "/dashboard/"},
    )
    response = client.get(reverse("core:dashboard"))

    assert response.context["organisation"] == other_organisation


def test_profile_update_saves_language(client, desk_officer):
    login_fresh(client, desk_officer)

    client.post(reverse("accounts:settings"), {"display_name": "D.", "language": "th"})

    desk_officer.refresh_from_db()
    assert (desk_officer.display_name, desk_officer.language) == ("D.", "th")


def test_totp_qr_draws_the_secret_being_enrolled(client, learner):
    login_fresh(client, learner)
    page = client.get(reverse("mfa_activate_totp"))

    response = client.get(reverse("accounts:totp-qr"))

    assert page.status_code == 200
    assert b'src="/accounts/2fa/totp/qr.svg"' in page.content
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml")
    assert b"<svg" in response.content


def test_membership_page_offers_the_role_change(client, organisation, org_admin, desk_officer):
    login_fresh(client, org_admin)
    membership = desk_officer.memberships.get()

    response = client.get(reverse("accounts:membership-detail", args=[membership.pk]))

    assert response.context["membership"] == membership
    assert [value for value, _label in response.context["roles"]] == [r.value for r in Role]
    assert b'name="version" value="1"' in response.content
