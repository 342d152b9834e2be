from __future__ import annotations

import pytest
from django.test import Client

from amparo.accounts.models import Organisation, User
from amparo.defenders.models import Defender
from amparo.networks.tests.factories import make_defender
from amparo.networks.tests.fakes import FakeGateway, fake_gateway


@pytest.fixture
def own_subject(organisation: Organisation, defender: User) -> Defender:
    """Ana's own record (self-service): she keeps her network and checks in herself."""
    return make_defender(organisation, pseudonym="Ana", user=defender)


@pytest.fixture
def subject(organisation: Organisation, collective: Organisation) -> Defender:
    """Río Claro's own record, kept by Casa Segura."""
    return make_defender(
        organisation, pseudonym="Comunidad Río Claro", collective_organisation=collective
    )


@pytest.fixture
def foreign_subject(other_organisation: Organisation) -> Defender:
    return make_defender(other_organisation, pseudonym="Canary Defender")


@pytest.fixture
def gateway(settings):
    """A fake Signal and SMS gateway, configured."""
    with fake_gateway() as fake:
        settings.AMPARO_SIGNAL_GATEWAY_URL = fake.url
        settings.AMPARO_SMS_GATEWAY_URL = fake.url
        settings.AMPARO_SIGNAL_SENDER = "+4100000000"
        yield fake


@pytest.fixture
def api_client():
    from amparo.api.tests.factories import bearer, issue_token

    def make(user: User) -> Client:
        return Client(**bearer(issue_token(user)))

    return make


__all__ = ["FakeGateway"]
