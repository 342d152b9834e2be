from __future__ import annotations

from collections.abc import Iterator

import pytest

from amparo.accounts.models import Organisation
from amparo.actors.tests.factories import make_subject
from amparo.audit.services import audit_context
from amparo.defenders.models import Defender


@pytest.fixture
def subject(organisation: Organisation, collective: Organisation) -> Defender:
    """Río Claro as a collective defender kept by Casa Segura; its members see its map."""
    return make_subject(organisation, collective_organisation=collective)


@pytest.fixture
def audited(desk_officer) -> Iterator[None]:
    """Decrypting needs an audit context outside requests."""
    with audit_context(actor=desk_officer):
        yield


@pytest.fixture
def api_client():
    """Call the API as `user` with a fresh token (in their first organisation)."""
    from django.test import Client

    from amparo.api.tests.factories import bearer, issue_token

    def make(user, organisation=None) -> Client:
        return Client(**bearer(issue_token(user, organisation)))

    return make
