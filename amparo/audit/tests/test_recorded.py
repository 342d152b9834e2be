"""What the rest of the platform records: account services and sign-in signals (AUD-01)."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.urls import reverse

from amparo.accounts import services
from amparo.accounts.enums import Role
from amparo.accounts.models import Membership, User
from amparo.accounts.tests.factories import TEST_PASSWORD, InvitationFactory, UserFactory
from amparo.audit.models import PLATFORM_CHAIN, AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.req("AUD-01")]


def _events(chain: str) -> list[tuple[str, str | None, str, list[str], str | None]]:
    return [
        (
            e.action,
            str(e.actor_id) if e.actor_id else None,
            e.object_type,
            e.object_ids,
            str(e.subject_user_id) if e.subject_user_id else None,
        )
        for e in AuditEvent.objects.filter(chain=chain).order_by("seq")
    ]


def test_invitations_sent_revoked_and_accepted_are_recorded(organisation, org_admin) -> None:
    sent, _token = services.invite_member(
        organisation=organisation,
        email="new@example.org",
        role=Role.DESK_OFFICER,
        language="es",
        actor=org_admin,
    )
    services.revoke_invitation(invitation=sent, actor=org_admin)
    accepted = InvitationFactory(organisation=organisation, email="ines@example.org")
    ines = UserFactory(email="ines@example.org")
    membership = services.accept_invitation(invitation=accepted, user=ines)

    assert _events(str(organisation.pk)) == [
        (
            "accounts.invitation_sent",
            str(org_admin.pk),
            "accounts.Invitation",
            [str(sent.pk)],
            None,
        ),
        (
            "accounts.invitation_revoked",
            str(org_admin.pk),
            "accounts.Invitation",
            [str(sent.pk)],
            None,
        ),
        (
            "accounts.invitation_accepted",
            str(ines.pk),
            "accounts.Invitation",
            [str(accepted.pk), str(membership.pk)],
            str(ines.pk),
        ),
    ]


def test_role_changes_and_ended_memberships_are_recorded(
    organisation, org_admin, desk_officer
) -> None:
    membership = Membership.objects.get(user=desk_officer)

    services.change_role(
        membership=membership, role=Role.DESK_LEAD, expected_version=1, actor=org_admin
    )
    services.end_membership(membership=membership, expected_version=2, actor=org_admin)

    row = ("accounts.Membership", [str(membership.pk)], str(desk_officer.pk))
    assert _events(str(organisation.pk)) == [
        ("accounts.membership_role_changed", str(org_admin.pk), *row),
        ("accounts.membership_ended", str(org_admin.pk), *row),
    ]


def test_a_refused_role_change_records_nothing(organisation, org_admin) -> None:
    membership = Membership.objects.get(user=org_admin)

    with pytest.raises(services.MembershipError):
        services.change_role(
            membership=membership, role=Role.DESK_LEAD, expected_version=1, actor=org_admin
        )

    assert _events(str(organisation.pk)) == []


def test_sign_in_and_failure_are_recorded_without_the_address(client) -> None:
    person = UserFactory(email="rosa@example.org")
    url = reverse("account_login")

    client.post(url, {"login": "rosa@example.org", "password": "wrong password, long enough"})
    client.post(url, {"login": "nobody@example.org", "password": "wrong password, long enough"})
    client.post(url, {"login": "rosa@example.org", "password": TEST_PASSWORD})

    assert _events(PLATFORM_CHAIN) == [
        ("accounts.sign_in_failed", None, "", [], str(person.pk)),
        ("accounts.sign_in_failed", None, "", [], None),
        ("accounts.signed_in", str(person.pk), "", [], str(person.pk)),
    ]
    assert "rosa@example.org" not in repr(list(AuditEvent.objects.values()))


def test_second_factor_changes_are_recorded(defender: User) -> None:
    authenticator = Authenticator.objects.create(
        user=defender, type=Authenticator.Type.RECOVERY_CODES, data={}
    )

    authenticator_added.send(
        sender=Authenticator, request=None, user=defender, authenticator=authenticator
    )
    authenticator_removed.send(
        sender=Authenticator, request=None, user=defender, authenticator=authenticator
    )

    row = (str(defender.pk), "mfa.Authenticator", [str(authenticator.pk)], str(defender.pk))
    assert _events(PLATFORM_CHAIN) == [("accounts.mfa_added", *row), ("accounts.mfa_removed", *row)]


def test_password_change_is_recorded(client, defender: User) -> None:
    from amparo.testing.auth import login_fresh

    login_fresh(client, defender)

    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "another long enough password",
            "password2": "another long enough password",
        },
    )

    assert [e[0] for e in _events(PLATFORM_CHAIN)] == [
        "accounts.signed_in",
        "accounts.password_changed",
    ]
