from __future__ import annotations

import pytest

from amparo.accounts.enums import Role
from amparo.accounts.models import Organisation, User
from amparo.accounts.tests.factories import staff_member
from amparo.audit.services import audit_context
from amparo.contact import services
from amparo.contact.models import ContactMessage


@pytest.fixture
def librarian(other_organisation: Organisation) -> User:
    """Lucía keeps the library and answers its contact inbox."""
    return staff_member(
        other_organisation, Role.LIBRARIAN, email="lucia@example.org", display_name="Lucía"
    )


def make_message(team: str = "library", **values: str) -> ContactMessage:
    fields = {
        "kind": "inquiry",
        "language": "es",
        "email": "rosa@example.org",
        "body": "¿Tienen el manual en francés?",
    } | values
    with audit_context(actor=None):
        return services.submit_message(team=team, **fields)


@pytest.fixture
def library_message(db: None) -> ContactMessage:
    return make_message("library")
