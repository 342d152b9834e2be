"""Staff without a second factor are sent to enrolment (AUTH-01): a plain request by a 302, an
htmx request by `HX-Redirect`, so the enrolment page fills the window instead of the fragment
htmx asked for."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import MembershipFactory, UserFactory
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def unenrolled(organisation):
    """Nia has just joined the Casa Segura desk and has no second factor yet."""
    person = UserFactory(email="nia@example.org", display_name="Nia")
    MembershipFactory(user=person, organisation=organisation, role=Role.DESK_OFFICER)
    return person


@pytest.mark.req("AUTH-01")
def test_a_plain_request_is_redirected_to_enrolment(client, unenrolled):
    login_fresh(client, unenrolled)

    response = client.get("/dashboard/")

    assert (response.status_code, response["Location"]) == (302, reverse("accounts:mfa-required"))
    assert "HX-Redirect" not in response


@pytest.mark.req("AUTH-01")
@pytest.mark.parametrize("url", ["/dashboard/", "/incidents/"])
def test_an_htmx_request_sends_the_whole_window_to_enrolment(client, unenrolled, url):
    login_fresh(client, unenrolled)

    response = client.get(url, headers=HTMX)

    assert (response.status_code, response["HX-Redirect"], response.content) == (
        200,
        reverse("accounts:mfa-required"),
        b"",
    )
    assert ("Location" in response, "no-store" in response["Cache-Control"]) == (False, True)


def test_htmx_on_the_enrolment_pages_is_answered_as_usual(client, unenrolled):
    login_fresh(client, unenrolled)

    response = client.get(reverse("accounts:mfa-required"), headers=HTMX)

    assert (response.status_code, "HX-Redirect" in response) == (200, False)
    assert response.content


def test_htmx_requests_of_enrolled_staff_go_on(client, desk_officer):
    login_fresh(client, desk_officer)

    response = client.get("/dashboard/", headers=HTMX)

    assert (response.status_code, "HX-Redirect" in response) == (200, False)
