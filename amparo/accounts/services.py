"""Writes of the accounts domain: invitations, memberships, roles, language.

Every function is keyword-only and lists its side effects and errors.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

# tasks imports this module: only its names are touched, inside functions (STYLE.md).
from amparo.accounts import queries, rules, tasks
from amparo.accounts.enums import Role
from amparo.accounts.models import Invitation, Membership, Organisation, User
from amparo.audit.services import record_event
from amparo.core import crypto
from amparo.core.locking import save_versioned

INVITATION_TOKEN_LABEL = "accounts.Invitation.link_token"  # noqa: S105 -- a label, not a secret


class InvitationError(Exception):
    """The invitation cannot be sent or accepted as asked; the message says why."""


class MembershipError(Exception):
    """The membership change would break an organisation; the message says why."""


def _send_invitation_email(*, invitation_id: str, token: str) -> None:
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(
        pk=invitation_id
    )
    link = f"{settings.SITE_URL}{reverse('accounts:invitation-open')}?t={token}"
    with translation.override(invitation.language):
        context = {"invitation": invitation, "link": link, "days": settings.INVITATION_DAYS}
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invite_member(
    *, organisation: Organisation, email: str, role: Role, language: str, actor: User
) -> tuple[Invitation, str]:
    """Invite `email` into `role` in `organisation`; return the invitation and its secret token.

    Side effects: earlier pending invitations of the same address and role are revoked (the new
    link replaces them); one audit event; after commit, the invitation email is sent in
    `language`.
    Raises InvitationError when the address already holds that role there.
    """
    email = email.strip().lower()
    if Membership.objects.filter(
        organisation=organisation, user__email__iexact=email, role=role, is_active=True
    ).exists():
        raise InvitationError(_("This person already holds this role in the organisation."))
    now = timezone.now()
    Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        role=role,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        language=language,
        token_hash=queries.hash_token(token),
        invited_by=actor,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )
    record_event(
        actor=actor, action="accounts.invitation_sent", organisation=organisation, target=invitation
    )
    # The link's token must never sit readable in the task table: it travels sealed under the
    # organisation's data key, and only the worker opens it.
    sealed = crypto.encrypt(
        token.encode(),
        organisation_id=organisation.pk,
        label=INVITATION_TOKEN_LABEL,
        row_id=invitation.pk,
    )
    transaction.on_commit(partial(tasks.send_invitation_email.enqueue, str(invitation.pk), sealed))
    return invitation, token


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, actor: User) -> Invitation:
    """Revoke a pending invitation; one audit event.

    Raises InvitationError when it is no longer pending."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise InvitationError(_("Only a pending invitation can be revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_event(
        actor=actor,
        action="accounts.invitation_revoked",
        organisation=invitation.organisation_id,
        target=invitation,
    )
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """Give `user` the invited role. The invitation must be pending and addressed to them.

    Side effects: a membership is created, or an ended one with the same role is restarted;
    one audit event. Raises InvitationError otherwise.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise InvitationError(_("This invitation is no longer valid. Ask for a new one."))
    if invitation.email.lower() != user.email.lower():
        raise InvitationError(
            _(
                "This invitation was sent to another email address. "
                "Sign out and open the link again."
            )
        )
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=invitation.organisation,
        role=invitation.role,
        defaults={"invited_by": invitation.invited_by},
    )
    if not created and not membership.is_active:
        save_versioned(membership, expected_version=membership.version, is_active=True)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_event(
        actor=user,
        action="accounts.invitation_accepted",
        organisation=invitation.organisation_id,
        target=invitation,
        object_ids=[membership.pk],
        subject_user=user,
    )
    rules.forget_memberships(user)
    return membership


@transaction.atomic
def register_from_invitation(
    *, invitation: Invitation, display_name: str, password: str, language: str
) -> User:
    """Create the account of a new person from their invitation and accept it.

    The invitation proves the address, so no separate verification email is sent.
    Raises InvitationError when the invitation is not pending or the address has an account.
    """
    if not invitation.is_pending:
        raise InvitationError(_("This invitation is no longer valid. Ask for a new one."))
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                display_name=display_name,
                language=language,
            )
    except IntegrityError as error:
        raise InvitationError(
            _("An account with this address exists already. Sign in to accept the invitation.")
        ) from error
    accept_invitation(invitation=invitation, user=user)
    return user


def _would_orphan(membership: Membership, *, new_role: str | None) -> bool:
    """True when the change would leave the organisation without an active admin."""
    if membership.role != Role.ORG_ADMIN or new_role == Role.ORG_ADMIN:
        return False
    others = Membership.objects.filter(
        organisation_id=membership.organisation_id, role=Role.ORG_ADMIN, is_active=True
    ).exclude(pk=membership.pk)
    return not others.exists()


@transaction.atomic
def change_role(
    *, membership: Membership, role: Role, expected_version: int, actor: User
) -> Membership:
    """Move a membership to another role.

    Side effects: one audit event when the role changes.
    Raises EditConflict when someone changed it meanwhile; MembershipError when the person holds
    that role already or the organisation would lose its last admin.
    """
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role == membership.role and expected_version == membership.version:
        return membership
    if _would_orphan(membership, new_role=role):
        raise MembershipError(_("An organisation needs at least one active admin."))
    if (
        Membership.objects.filter(
            user_id=membership.user_id, organisation_id=membership.organisation_id, role=role
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise MembershipError(_("This person already holds that role here."))
    save_versioned(membership, expected_version=expected_version, role=role)
    _record_membership_event(membership, actor=actor, action="accounts.membership_role_changed")
    return membership


@transaction.atomic
def end_membership(*, membership: Membership, expected_version: int, actor: User) -> Membership:
    """End a membership; the person keeps their account and other roles.

    Side effects: one audit event. Raises EditConflict or MembershipError as change_role does.
    """
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if _would_orphan(membership, new_role=None):
        raise MembershipError(_("An organisation needs at least one active admin."))
    save_versioned(membership, expected_version=expected_version, is_active=False)
    _record_membership_event(membership, actor=actor, action="accounts.membership_ended")
    return membership


def _record_membership_event(membership: Membership, *, actor: User, action: str) -> None:
    record_event(
        actor=actor,
        action=action,
        organisation=membership.organisation_id,
        target=membership,
        subject_user=membership.user_id,
    )


def set_language(*, user: User, language: str) -> None:
    """Save the interface language the person chose."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(language)
    user.language = language
    user.save(update_fields=["language", "updated_at"])
