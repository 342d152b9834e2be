from __future__ import annotations

import pytest

from amparo.accounts.enums import Role
from amparo.accounts.models import Organisation, User
from amparo.accounts.tests.factories import staff_member
from amparo.library.models import Resource
from amparo.library.tests.factories import make_resource


@pytest.fixture
def librarian(other_organisation: Organisation) -> User:
    """Lucía keeps the library; her role is held in another office, and counts everywhere."""
    return staff_member(
        other_organisation, Role.LIBRARIAN, email="lucia@example.org", display_name="Lucía"
    )


@pytest.fixture
def manual(db: None) -> Resource:
    """Published, in English and Spanish."""
    return make_resource(
        title="Protection manual for defenders",
        languages=("en", "es"),
        text="Risk equals threats times vulnerabilities over capacities",
        slug="protection-manual",
    )
