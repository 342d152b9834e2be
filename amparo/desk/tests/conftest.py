from __future__ import annotations

import pytest

from amparo.accounts.enums import Role
from amparo.accounts.models import Organisation, User
from amparo.accounts.tests.factories import staff_member
from amparo.defenders.models import Defender
from amparo.desk.models import Case
from amparo.desk.tests.factories import make_case, make_defender


@pytest.fixture
def record(organisation: Organisation) -> Defender:
    """Marta, kept by Casa Segura."""
    return make_defender(organisation, "Marta", country="CO")


@pytest.fixture
def foreign_record(other_organisation: Organisation) -> Defender:
    return make_defender(other_organisation, "Canary Defender")


@pytest.fixture
def case(record: Defender, desk_officer: User) -> Case:
    return make_case(record, desk_officer, summary="Threats after the land hearing")


@pytest.fixture
def second_officer(organisation: Organisation) -> User:
    """Pablo, another officer on the Casa Segura desk."""
    return staff_member(
        organisation, Role.DESK_OFFICER, email="pablo@example.org", display_name="Pablo"
    )


@pytest.fixture
def api_client():
    """Call the API as `user` with a fresh token (in their first organisation)."""
    from django.test import Client

    from amparo.api.tests.factories import bearer, issue_token

    def make(user: User) -> Client:
        return Client(**bearer(issue_token(user)))

    return make
