from __future__ import annotations

import pytest

from amparo.accounts.models import Organisation, User
from amparo.defenders.models import Defender
from amparo.plans.tests.factories import make_defender


@pytest.fixture
def subject(organisation: Organisation, collective: Organisation) -> Defender:
    """Río Claro's own record, kept by Casa Segura: its members read its plans."""
    return make_defender(
        organisation, pseudonym="Comunidad Río Claro", collective_organisation=collective
    )


@pytest.fixture
def own_subject(organisation: Organisation, defender: User) -> Defender:
    """Ana's own record (self-service): she writes her own plan."""
    return make_defender(organisation, pseudonym="Ana", user=defender)


@pytest.fixture
def foreign_subject(other_organisation: Organisation) -> Defender:
    """A defender of the other office: nothing about them may show here."""
    return make_defender(other_organisation, pseudonym="Canary Defender")


@pytest.fixture
def api_client():
    """Call the API as `user` with a fresh token (in their first organisation)."""
    from django.test import Client

    from amparo.api.tests.factories import bearer, issue_token

    def make(user: User) -> Client:
        return Client(**bearer(issue_token(user)))

    return make
