from __future__ import annotations

import pytest
from django.test import Client

from amparo.accounts.models import Organisation, User
from amparo.api.tests.factories import bearer, issue_token


@pytest.fixture
def api_client():
    """Call the API as `user` with a fresh token (in `organisation`, default their first)."""

    def make(user: User, organisation: Organisation | None = None) -> Client:
        return Client(**bearer(issue_token(user, organisation)))

    return make
