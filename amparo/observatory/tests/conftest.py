from __future__ import annotations

import pytest

from amparo.accounts.enums import OrganisationKind, Role
from amparo.accounts.models import Organisation, User
from amparo.accounts.tests.factories import OrganisationFactory, staff_member


@pytest.fixture
def observatory_team(db: None) -> Organisation:
    """The global team that keeps the observatory."""
    return OrganisationFactory(
        name="Global team", slug="global-team", kind=OrganisationKind.GLOBAL_TEAM, country=""
    )


@pytest.fixture
def editor(observatory_team: Organisation) -> User:
    """Olga codes policies for the observatory."""
    return staff_member(
        observatory_team, Role.OBSERVATORY_EDITOR, email="olga@example.org", display_name="Olga"
    )


@pytest.fixture
def reviewer(observatory_team: Organisation) -> User:
    """Rui, a second observatory editor, reviews what Olga submits."""
    return staff_member(
        observatory_team, Role.OBSERVATORY_EDITOR, email="rui@example.org", display_name="Rui"
    )
