from __future__ import annotations

from typing import Any

import pytest

from amparo.accounts.models import User


@pytest.fixture
def api_client() -> Any:
    """Call the API as `user` with a fresh token (in their first organisation)."""
    from django.test import Client

    from amparo.api.tests.factories import bearer, issue_token

    def make(user: User, organisation: Any = None) -> Client:
        token = issue_token(user) if organisation is None else issue_token(user, organisation)
        return Client(**bearer(token))

    return make
