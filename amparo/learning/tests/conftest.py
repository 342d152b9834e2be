from __future__ import annotations

from typing import Any

import pytest

from amparo.accounts.enums import Role
from amparo.accounts.models import Organisation, User
from amparo.accounts.tests.factories import staff_member
from amparo.learning.models import Cohort, Course
from amparo.learning.tests.factories import make_cohort, make_course


@pytest.fixture
def course(db: None) -> Course:
    """ "Security basics": two readings and a quiz (single, multiple, short), published."""
    return make_course()


@pytest.fixture
def trainer(organisation: Organisation) -> User:
    """Teo trains defenders for Casa Segura (learning.teach)."""
    return staff_member(organisation, Role.TRAINER, email="teo@example.org", display_name="Teo")


@pytest.fixture
def other_trainer(other_organisation: Organisation) -> User:
    """Tess trains for another office: a trainer, but not of this cohort."""
    return staff_member(
        other_organisation, Role.TRAINER, email="tess@example.org", display_name="Tess"
    )


@pytest.fixture
def cohort(course: Course, trainer: User) -> Cohort:
    return make_cohort(course, trainer)


@pytest.fixture
def api_client() -> Any:
    """Call the API as `user` with a fresh token."""
    from django.test import Client

    from amparo.api.tests.factories import bearer, issue_token

    def make(user: User) -> Client:
        return Client(**bearer(issue_token(user)))

    return make
