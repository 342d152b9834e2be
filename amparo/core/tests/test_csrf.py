"""Forms work under `Referrer-Policy: no-referrer`, and cross-site posts are still refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def _post_settings(client: Client, **headers: str):
    client.get(reverse("accounts:settings"), secure=True)
    token = client.cookies["amparo_csrf"].value if "amparo_csrf" in client.cookies else None
    token = token or next(iter(v.value for k, v in client.cookies.items() if "csrf" in k))
    return client.post(
        reverse("accounts:settings"),
        {"display_name": "Changed", "language": "en", "csrfmiddlewaretoken": token},
        secure=True,
        **headers,
    )


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "same-origin"}, 302),
        ({"HTTP_ORIGIN": "null"}, 302),  # an old browser: the token alone decides
        ({"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "cross-site"}, 403),
        ({"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "same-site"}, 403),
        ({"HTTP_ORIGIN": "https://evil.example"}, 403),
        ({"HTTP_SEC_FETCH_SITE": "cross-site"}, 403),
        ({"HTTP_ORIGIN": "https://testserver"}, 302),
    ],
)
def test_form_posts_with_no_referrer(desk_officer, headers, expected):
    client = Client(enforce_csrf_checks=True)
    login_fresh(client, desk_officer)

    response = _post_settings(client, **headers)

    desk_officer.refresh_from_db()
    assert (response.status_code, desk_officer.display_name == "Changed") == (
        expected,
        expected == 302,
    )
