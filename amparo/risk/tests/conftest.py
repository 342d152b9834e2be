from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.test import Client

from amparo.accounts.models import Organisation, User
from amparo.api.tests.factories import bearer, issue_token
from amparo.audit.services import audit_context


@pytest.fixture
def risk_audit(db: None) -> Iterator[None]:
    """Services and factories called directly decrypt what they read: like a job, the test
    runs inside an audit scope (requests made by the test client open their own)."""
    with audit_context(actor=None):
        yield


@pytest.fixture
def api_client() -> Callable[..., Client]:
    """Call the API as `user` with a fresh token (in their first organisation)."""

    def make(user: User, organisation: Organisation | None = None) -> Client:
        return Client(**bearer(issue_token(user, organisation)))

    return make
