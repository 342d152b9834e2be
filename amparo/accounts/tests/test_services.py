from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from amparo.accounts import queries, services
from amparo.accounts.enums import Role
from amparo.accounts.models import Invitation, Membership, User
from amparo.accounts.tests.factories import InvitationFactory, MembershipFactory, UserFactory
from amparo.core.locking import EditConflict

pytestmark = pytest.mark.django_db


def test_invite_member_stores_only_the_token_hash_and_mails_the_link(
    organisation, org_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, token = services.invite_member(
            organisation=organisation,
            email="New.Person@Example.org",
            role=Role.DESK_OFFICER,
            language="es",
            actor=org_admin,
        )

    stored = Invitation.objects.get()
    assert (stored.email, stored.role, stored.token_hash) == (
        "new.person@example.org",
        Role.DESK_OFFICER,
        queries.hash_token(token),
    )
    assert token not in stored.token_hash
    assert [message.to for message in mail.outbox] == [["new.person@example.org"]]
    assert f"/invitations/open/?t={token}" in mail.outbox[0].body
    # Written in the language the inviter chose, whatever the sender's own language.
    with translation.override("es"):
        spanish = gettext("Invitation to join %(organisation)s on Amparo") % {
            "organisation": organisation.name
        }
    assert spanish != f"Invitation to join {organisation.name} on Amparo"
    assert mail.outbox[0].subject == spanish


def test_invite_member_replaces_an_earlier_pending_invitation(organisation, org_admin):
    first, _ = services.invite_member(
        organisation=organisation,
        email="a@example.org",
        role=Role.TRAINER,
        language="en",
        actor=org_admin,
    )

    second, _ = services.invite_member(
        organisation=organisation,
        email="a@example.org",
        role=Role.TRAINER,
        language="en",
        actor=org_admin,
    )

    first.refresh_from_db()
    assert (first.is_pending, second.is_pending) == (False, True)


def test_invite_member_refuses_someone_who_already_holds_the_role(
    organisation, org_admin, desk_officer
):
    with pytest.raises(services.InvitationError):
        services.invite_member(
            organisation=organisation,
            email=desk_officer.email,
            role=Role.DESK_OFFICER,
            language="en",
            actor=org_admin,
        )

    assert Invitation.objects.count() == 0


def test_register_from_invitation_creates_the_account_and_the_membership(organisation):
    invitation = InvitationFactory(organisation=organisation, email="nia@example.org")

    user = services.register_from_invitation(
        invitation=invitation,
        display_name="Nia",
        password="a long enough passphrase here",
        language="sw",
    )

    invitation.refresh_from_db()
    assert (user.email, user.language, user.check_password("a long enough passphrase here")) == (
        "nia@example.org",
        "sw",
        True,
    )
    assert list(Membership.objects.filter(user=user).values_list("organisation", "role")) == [
        (organisation.pk, Role.DESK_OFFICER)
    ]
    assert invitation.accepted_by == user


@pytest.mark.parametrize(
    "state",
    [
        {"revoked_at": timezone.now()},
        {"accepted_at": timezone.now()},
        {"expires_at": timezone.now() - timezone.timedelta(minutes=1)},
    ],
)
def test_register_from_invitation_refuses_used_revoked_or_expired(organisation, state):
    invitation = InvitationFactory(organisation=organisation, **state)

    with pytest.raises(services.InvitationError):
        services.register_from_invitation(
            invitation=invitation, display_name="", password="x" * 20, language="en"
        )

    assert User.objects.filter(email=invitation.email).exists() is False


def test_register_from_invitation_refuses_an_existing_address(organisation):
    UserFactory(email="taken@example.org")
    invitation = InvitationFactory(organisation=organisation, email="taken@example.org")

    with pytest.raises(services.InvitationError):
        services.register_from_invitation(
            invitation=invitation, display_name="", password="x" * 20, language="en"
        )

    assert Membership.objects.filter(user__email="taken@example.org").count() == 0


def test_accept_invitation_refuses_another_address(organisation, desk_lead):
    invitation = InvitationFactory(organisation=organisation, email="someone.else@example.org")

    with pytest.raises(services.InvitationError):
        services.accept_invitation(invitation=invitation, user=desk_lead)

    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accept_invitation_restarts_an_ended_membership(organisation):
    person = UserFactory(email="back@example.org")
    ended = MembershipFactory(
        user=person, organisation=organisation, role=Role.TRAINER, is_active=False
    )
    invitation = InvitationFactory(organisation=organisation, email=person.email, role=Role.TRAINER)

    membership = services.accept_invitation(invitation=invitation, user=person)

    ended.refresh_from_db()
    assert (membership.pk, ended.is_active, ended.version) == (ended.pk, True, 2)


@pytest.mark.req("REL-02")
def test_change_role_with_a_stale_version_raises_and_changes_nothing(
    organisation, org_admin, desk_officer
):
    membership = desk_officer.memberships.get()
    services.change_role(
        membership=membership, role=Role.TRAINER, expected_version=1, actor=org_admin
    )

    with pytest.raises(EditConflict) as conflict:
        services.change_role(
            membership=membership, role=Role.LIBRARIAN, expected_version=1, actor=org_admin
        )

    membership.refresh_from_db()
    assert (membership.role, membership.version) == (Role.TRAINER, 2)
    assert conflict.value.current.role == Role.TRAINER


def test_the_last_admin_cannot_leave_or_change_role(organisation, org_admin):
    membership = org_admin.memberships.get()

    with pytest.raises(services.MembershipError):
        services.change_role(
            membership=membership, role=Role.TRAINER, expected_version=1, actor=org_admin
        )
    with pytest.raises(services.MembershipError):
        services.end_membership(membership=membership, expected_version=1, actor=org_admin)

    membership.refresh_from_db()
    assert (membership.role, membership.is_active) == (Role.ORG_ADMIN, True)


def test_an_admin_can_leave_when_another_admin_remains(organisation, org_admin):
    MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN)
    membership = org_admin.memberships.get()

    services.end_membership(membership=membership, expected_version=1, actor=org_admin)

    membership.refresh_from_db()
    assert membership.is_active is False


def test_change_role_refuses_a_role_the_person_already_holds(organisation, org_admin):
    person = UserFactory()
    officer = MembershipFactory(user=person, organisation=organisation, role=Role.DESK_OFFICER)
    MembershipFactory(user=person, organisation=organisation, role=Role.TRAINER)

    with pytest.raises(services.MembershipError):
        services.change_role(
            membership=officer, role=Role.TRAINER, expected_version=1, actor=org_admin
        )
