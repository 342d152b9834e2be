from __future__ import annotations

import pytest

from amparo.accounts.enums import Role
from amparo.accounts.models import Organisation, User
from amparo.accounts.tests.factories import staff_member
from amparo.defenders.models import Defender
from amparo.trials.models import CriminalisationCase, Hearing
from amparo.trials.tests.factories import make_case, make_defender, make_hearing


@pytest.fixture
def trial_observer(organisation: Organisation) -> User:
    """Olga observes trials for Casa Segura: she reads cases and fills checklists."""
    return staff_member(
        organisation, Role.TRIAL_OBSERVER, email="olga@example.org", display_name="Olga"
    )


@pytest.fixture
def record(organisation: Organisation) -> Defender:
    """Marta, kept by Casa Segura."""
    return make_defender(organisation, "Marta", country="CO")


@pytest.fixture
def foreign_record(other_organisation: Organisation) -> Defender:
    return make_defender(other_organisation, "Canary Defender")


@pytest.fixture
def trial(record: Defender, desk_officer: User) -> CriminalisationCase:
    return make_case(record, desk_officer, case_number="RAD-2025-0042", court="Juzgado 3 Penal")


@pytest.fixture
def foreign_trial(foreign_record: Defender) -> CriminalisationCase:
    return make_case(foreign_record, None, case_number="CANARY-NUMBER")


@pytest.fixture
def hearing(trial: CriminalisationCase) -> Hearing:
    return make_hearing(trial, place="Palacio de Justicia")


@pytest.fixture
def api_client():
    """Call the API as `user` with a fresh token (in their first organisation)."""
    from django.test import Client

    from amparo.api.tests.factories import bearer, issue_token

    def make(user: User) -> Client:
        return Client(**bearer(issue_token(user)))

    return make
