"""The defenders endpoints under generated input (as amparo/api/tests/test_schemathesis.py does
for the whole API, but aimed at real records): no 5xx, answers match the schema, and no
persona ever reads the pseudonym of a record it does not reach."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import CheckContext

from amparo.api.tests.factories import issue_token
from amparo.defenders.tests.factories import DefenderFactory, make_collective

pytestmark = pytest.mark.django_db

CANARY = "AMPCANARY-4d1f0e2c9b8a47d3a5e4c1b2d3e4f5a7"


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """See amparo/api/tests/test_schemathesis.py: the WSGI handler must not close the test's
    connection between requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _no_canary(ctx: CheckContext, response, case) -> bool:
    assert CANARY not in response.text, f"{case.method} {case.formatted_path} leaked"
    return True


@pytest.fixture
def records(organisation, other_organisation, collective):
    """One record of Casa Segura, its collective, and the other office's canary."""
    return (
        DefenderFactory(organisation=organisation, pseudonym="Known Lucía"),
        make_collective(organisation, collective_organisation=collective),
        DefenderFactory(organisation=other_organisation, pseudonym=CANARY),
    )


@pytest.mark.parametrize("persona_name", ["defender", "desk_officer", "desk_lead", "outsider"])
def test_generated_calls_on_defenders_find_no_error_and_no_leak(
    request, persona_name, records, settings
):
    persona = request.getfixturevalue(persona_name)
    mine, collective_record, foreign = records
    settings.ALLOWED_HOSTS = ["*"]
    headers = {"Authorization": f"Bearer {issue_token(persona)}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", get_wsgi_application(), headers=headers
    )
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/api/v1/defenders"):
            continue
        targets = [None]
        if "{defender_id}" in operation.path:
            targets = [None, str(mine.pk), str(collective_record.pk), str(foreign.pk)]
        for target in targets:
            parameters = {"defender_id": target} if target else None

            @given(case=operation.as_strategy(path_parameters=parameters))
            @hypothesis_settings(
                max_examples=6,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case) -> None:
                nonlocal calls
                calls += 1
                case.call_and_validate(headers=headers, additional_checks=[_no_canary])

            check()

    assert calls >= 4 * 6
