from __future__ import annotations

import pytest

from amparo.accounts.enums import OrganisationKind, Role
from amparo.accounts.models import Organisation, User
from amparo.accounts.tests.factories import OrganisationFactory, staff_member
from amparo.audit.services import audit_context
from amparo.contact import services
from amparo.contact.models import ContactMessage
from amparo.desk.models import RequestDesk


@pytest.fixture
def librarian(other_organisation: Organisation) -> User:
    """Lucía keeps the library and answers its contact inbox."""
    return staff_member(
        other_organisation, Role.LIBRARIAN, email="lucia@example.org", display_name="Lucía"
    )


@pytest.fixture
def global_team(db: None) -> Organisation:
    """The global team: it runs the platform, and its admins answer general questions."""
    return OrganisationFactory(
        name="Global team", slug="global", kind=OrganisationKind.GLOBAL_TEAM, country=""
    )


@pytest.fixture
def global_admin(global_team: Organisation) -> User:
    """Greta administers the global team's accounts, and answers general questions."""
    return staff_member(
        global_team, Role.ORG_ADMIN, email="greta@example.org", display_name="Greta"
    )


@pytest.fixture
def other_officer(other_organisation: Organisation) -> User:
    """Kofi works on the other country office's desk."""
    return staff_member(
        other_organisation, Role.DESK_OFFICER, email="kofi@example.org", display_name="Kofi"
    )


@pytest.fixture
def partner(organisation: Organisation) -> Organisation:
    """A partner organisation under Casa Segura, with a desk of its own."""
    return OrganisationFactory(
        name="Partner of Casa Segura",
        slug="partner",
        kind=OrganisationKind.PARTNER,
        parent=organisation,
    )


@pytest.fixture
def partner_officer(partner: Organisation) -> User:
    """Pablo works on the partner's desk: being under Casa Segura gives him nothing there."""
    return staff_member(partner, Role.DESK_OFFICER, email="pablo@example.org", display_name="Pablo")


def make_message(
    team: str = "library", *, desk: Organisation | None = None, **values: str
) -> ContactMessage:
    """A message from the public form; one to the Protection Desk is written to `desk`, which
    is made to accept messages from the public."""
    fields = {
        "kind": "inquiry",
        "language": "es",
        "email": "rosa@example.org",
        "body": "¿Tienen el manual en francés?",
    } | values
    if desk is not None:
        RequestDesk.objects.get_or_create(organisation=desk)
    with audit_context(actor=None):
        return services.submit_message(team=team, desk=desk, **fields)


def unrouted_desk_message() -> ContactMessage:
    """A message to the Protection Desk as the form stored them before senders chose a desk:
    no organisation, under the platform key."""
    with audit_context(actor=None):
        return ContactMessage.objects.create(
            team="desk", kind="inquiry", language="en", email="old@example.org", body="Hello"
        )


@pytest.fixture
def library_message(db: None) -> ContactMessage:
    return make_message("library")
