"""REL-07: the API survives generated input, answers as its schema says, and leaks nothing.

Schemathesis loads the schema from the running application, then sends generated requests as
each token-holding persona. Checks: no 5xx, status codes and bodies conform to the schema, and
a custom check that no answer carries the other organisation's canary.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import CheckContext

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import MembershipFactory, UserFactory
from amparo.api.tests.factories import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes "unusable" connections at each request's start and end, and a
    connection inside the test's transaction looks unusable to it: on PostgreSQL that would end
    the test's transaction. Django's test client unhooks these signals the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


#: One canary per office, in its name or its members' names: each persona's foreign one must
#: never appear in what they get.
CANARIES = {
    "casa": "AMPCANARY-6f1d0c2e9b8a47d3a5e4c1b2d3e4f5a6",
    "other": "AMPCANARY-0a9b8c7d6e5f40312233445566778899",
}


@pytest.fixture
def seeded(organisation, other_organisation, collective):
    other_organisation.name = f"Other office {CANARIES['other']}"
    other_organisation.save(update_fields=["name"])
    for office, key in ((organisation, "casa"), (other_organisation, "other")):
        MembershipFactory(
            organisation=office, role=Role.TRAINER, user=UserFactory(display_name=CANARIES[key])
        )
        MembershipFactory.create_batch(2, organisation=office, role=Role.TRAINER)
    return organisation, other_organisation


def _no_canary(canary: str):
    def no_foreign_canary(ctx: CheckContext, response, case) -> bool:
        assert canary not in response.text, f"{case.method} {case.formatted_path} leaked"
        return True

    return no_foreign_canary


def _run(persona, organisation, other_organisation, foreign: str, settings_fixture) -> int:
    settings_fixture.ALLOWED_HOSTS = ["*"]
    headers = {"Authorization": f"Bearer {issue_token(persona)}"}
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, headers=headers)
    # A body that names a record the caller cannot reach (a random defender, organisation or
    # threat id) is refused as invalid input, 422, whatever the record's existence: the
    # schema can say an id is a UUID, not that it is one of yours. Valid data must still be
    # accepted otherwise, and 5xx, schema violations and leaks still fail.
    acceptance = schema.config.checks.positive_data_acceptance
    acceptance.expected_statuses = [*acceptance.expected_statuses, "422"]
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        path_ids = [None]
        if "{organisation_id}" in operation.path:
            # Random UUIDs only ever meet 404: also aim at the real and the foreign office.
            path_ids = [None, str(organisation.pk), str(other_organisation.pk)]
        for organisation_id in path_ids:
            parameters = {"organisation_id": organisation_id} if organisation_id else None
            strategy = operation.as_strategy(path_parameters=parameters)

            @given(case=strategy)
            @settings(
                max_examples=15,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case) -> None:
                nonlocal calls
                calls += 1
                case.call_and_validate(
                    headers=headers, additional_checks=[_no_canary(CANARIES[foreign])]
                )

            check()
    return calls


@pytest.mark.req("REL-07")
@pytest.mark.parametrize(
    ("persona_name", "foreign"),
    [
        ("defender", "casa"),  # Ana's token is for her collective: neither office is hers
        ("defender", "other"),
        ("desk_officer", "other"),
        ("desk_lead", "other"),
        ("org_admin", "other"),
        ("outsider", "casa"),
    ],
)
def test_generated_calls_find_no_error_no_violation_no_leak(
    request, persona_name, foreign, seeded, settings
):
    persona = request.getfixturevalue(persona_name)
    organisation, other_organisation = seeded

    calls = _run(persona, organisation, other_organisation, foreign, settings)

    assert calls >= 4 * 3
