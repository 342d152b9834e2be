from __future__ import annotations

import pytest
from django.utils import timezone

from amparo.accounts import services, tasks
from amparo.accounts.enums import Role
from amparo.accounts.queries import hash_token
from amparo.accounts.tests.factories import InvitationFactory
from amparo.core import crypto
from amparo.jobs.models import JobEffect

pytestmark = pytest.mark.django_db

TOKEN = "a-test-token-that-is-long-enough-000000"


def _sealed(invitation) -> str:
    return crypto.encrypt(
        TOKEN.encode(),
        organisation_id=invitation.organisation_id,
        label=services.INVITATION_TOKEN_LABEL,
        row_id=invitation.pk,
    )


def _invitation(organisation, **fields):
    return InvitationFactory(
        organisation=organisation,
        email="nuevo@example.org",
        role=Role.DESK_OFFICER,
        **{"token_hash": hash_token(TOKEN), **fields},
    )


def test_invitation_email_is_sent_once_with_the_link(organisation, mailoutbox):
    invitation = _invitation(organisation)

    tasks.send_invitation_email.enqueue(str(invitation.pk), _sealed(invitation))
    tasks.send_invitation_email.enqueue(str(invitation.pk), _sealed(invitation))

    assert [message.to for message in mailoutbox] == [["nuevo@example.org"]]
    assert f"?t={TOKEN}" in mailoutbox[0].body
    assert JobEffect.objects.count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"revoked_at": timezone.now()},
        {"expires_at": timezone.now()},
        {"token_hash": hash_token("a-newer-link")},
    ],
    ids=["revoked", "expired", "replaced"],
)
def test_no_email_for_an_invitation_that_no_longer_works(organisation, mailoutbox, fields):
    invitation = _invitation(organisation, **fields)

    tasks.send_invitation_email.enqueue(str(invitation.pk), _sealed(invitation))

    assert (len(mailoutbox), JobEffect.objects.count()) == (0, 0)


def test_the_worker_is_handed_a_sealed_token_never_the_token(
    organisation, org_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        invitation, token = services.invite_member(
            organisation=organisation,
            email="x@example.org",
            role=Role.TRAINER,
            language="en",
            actor=org_admin,
        )

    (callback,) = callbacks
    invitation_id, sealed = callback.args
    assert (invitation_id, sealed.startswith("amp1:"), token in sealed) == (
        str(invitation.pk),
        True,
        False,
    )
    opened = crypto.decrypt(
        sealed,
        organisation_id=organisation.pk,
        label=services.INVITATION_TOKEN_LABEL,
        row_id=invitation.pk,
    )
    assert opened == token.encode()
