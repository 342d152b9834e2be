"""Defenders for tests, with plain, predictable defaults. Other modules' tests use them too:

from amparo.defenders.tests.factories import DefenderFactory, make_collective

defender = DefenderFactory(organisation=organisation)  # an active individual
"""

from __future__ import annotations

from datetime import date
from typing import Any

import factory

from amparo.accounts.models import Organisation
from amparo.defenders.enums import (
    CollectiveType,
    ConsentScope,
    DefenderKind,
    DefenderStatus,
)
from amparo.defenders.models import (
    CollectiveMember,
    ConsentRecord,
    ContactChannel,
    Defender,
    DefenderCategory,
)


class DefenderFactory(factory.django.DjangoModelFactory[Defender]):
    """An active individual defender. Pass `categories=["land", ...]` to add categories."""

    class Meta:
        model = Defender
        skip_postgeneration_save = True

    organisation = factory.SubFactory("amparo.accounts.tests.factories.OrganisationFactory")
    kind = DefenderKind.INDIVIDUAL
    status = DefenderStatus.ACTIVE
    pseudonym = factory.Sequence(lambda n: f"Defender {n}")
    country = "CO"

    @factory.post_generation
    def categories(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            DefenderCategory.objects.bulk_create(
                [DefenderCategory(defender=self, code=code) for code in extracted]
            )


def make_collective(
    organisation: Organisation,
    *,
    collective_organisation: Organisation | None = None,
    collective_type: str = CollectiveType.COMMUNITY,
    **fields: Any,
) -> Defender:
    """A collective defender kept by `organisation`, standing for `collective_organisation`."""
    return DefenderFactory(
        organisation=organisation,
        kind=DefenderKind.COLLECTIVE,
        collective_type=collective_type,
        collective_organisation=collective_organisation,
        **fields,
    )


class ContactChannelFactory(factory.django.DjangoModelFactory[ContactChannel]):
    class Meta:
        model = ContactChannel

    defender = factory.SubFactory(DefenderFactory)
    organisation = factory.LazyAttribute(lambda channel: channel.defender.organisation)
    kind = "signal"
    value = "+57 300 000 0000"
    is_safe = True


class ConsentFactory(factory.django.DjangoModelFactory[ConsentRecord]):
    class Meta:
        model = ConsentRecord

    defender = factory.SubFactory(DefenderFactory)
    organisation = factory.LazyAttribute(lambda consent: consent.defender.organisation)
    scope = ConsentScope.STORE
    given_by = "The defender"
    given_on = date(2025, 1, 15)


def add_member(collective: Defender, member: Defender, **fields: Any) -> CollectiveMember:
    return CollectiveMember.objects.create(collective=collective, member=member, **fields)
