"""Records the defenders tests share. Casa Segura keeps them unless said otherwise."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.test import Client

from amparo.accounts.models import Organisation, User
from amparo.audit.services import audit_context
from amparo.defenders.models import Defender
from amparo.defenders.tests.factories import DefenderFactory, make_collective


@pytest.fixture
def record(organisation: Organisation) -> Defender:
    """Someone Casa Segura accompanies: only its desk reaches them."""
    return DefenderFactory(
        organisation=organisation, pseudonym="Lucía Mar", legal_name="Lucía Mar Ortega"
    )


@pytest.fixture
def own_record(organisation: Organisation, defender: User) -> Defender:
    """Ana's own record, linked to her account (self-service)."""
    return DefenderFactory(organisation=organisation, pseudonym="Ana", user=defender)


@pytest.fixture
def collective_record(organisation: Organisation, collective: Organisation) -> Defender:
    """Río Claro as a collective defender: its members see it through collective.view."""
    return make_collective(
        organisation, pseudonym="Comunidad Río Claro", collective_organisation=collective
    )


@pytest.fixture
def foreign_record(other_organisation: Organisation) -> Defender:
    """Kept by the other office, with the same pseudonym as `record`: must never leak."""
    return DefenderFactory(organisation=other_organisation, pseudonym="Lucía Mar")


@pytest.fixture
def reading() -> Iterator[None]:
    """Decrypting in a test body needs an audit context, as in a job."""
    with audit_context(actor=None):
        yield


@pytest.fixture
def api_client() -> Callable[..., Client]:
    """Call the API as `user` with a fresh token (in `organisation`, default their first)."""
    from amparo.api.tests.factories import bearer, issue_token

    def make(user: User, organisation: Organisation | None = None) -> Client:
        return Client(**bearer(issue_token(user, organisation)))

    return make
