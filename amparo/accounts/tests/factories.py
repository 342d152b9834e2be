"""Factories with plain, predictable defaults."""

from __future__ import annotations

from datetime import timedelta

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from amparo.accounts import queries
from amparo.accounts.enums import OrganisationKind, Role
from amparo.accounts.models import Invitation, Membership, Organisation, User

#: Every test persona with a second factor shares this TOTP secret, so tests can compute codes.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TEST_PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Country office {n}")
    slug = factory.Sequence(lambda n: f"office-{n}")
    kind = OrganisationKind.COUNTRY_OFFICE
    country = "CO"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def with_totp(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create:
            self.save()
            if extracted:
                TOTP.activate(self, TEST_TOTP_SECRET)


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.DESK_OFFICER


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.DESK_OFFICER
    token_hash = factory.Sequence(lambda n: queries.hash_token(f"token-{n}"))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


def staff_member(organisation: Organisation, role: Role, **user: object) -> User:
    """A person holding `role` in `organisation`, with a second factor already enrolled."""
    person = UserFactory(with_totp=True, **user)
    MembershipFactory(user=person, organisation=organisation, role=role)
    return person


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
