"""Every URL of the project, for every persona → the status the matrix declares.

A new view without a row fails `test_every_url_name_has_a_matrix_row`, so each module must
say, for each persona, what happens.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import InvitationFactory
from amparo.core.tests.test_security import EXPECTED_CSP, _directives
from amparo.learning.models import Cohort
from amparo.learning.tests.matrix import _co_facilitator as co_facilitator
from amparo.testing.auth import login_fresh
from amparo.testing.authz import PERSONAS, Route, World, declared_routes, every_url_name

ROUTES = list(declared_routes())

#: URL names with no matrix row, each with the reason it was reviewed and left out.
EXEMPT = {
    "account_signup": "sign-up is closed (AccountAdapter.is_open_for_signup); test_auth covers it",
    "account_email": "allauth's email page; needs a session and re-authentication",
    "account_confirm_email": "email verification is off: invitations prove the address",
    "account_email_verification_sent": "email verification is off",
    "account_confirm_login_code": "login by code is off",
    "account_inactive": "allauth's static notice for deactivated accounts",
    "account_reset_password_done": "allauth's static notice after a reset request",
    "account_reset_password_from_key": "allauth's reset link; token-checked by allauth",
    "account_reset_password_from_key_done": "allauth's static notice after a reset",
    "account_set_password": "accounts always have a password; allauth redirects",
    "mfa_authenticate": "second step of sign-in; allauth's stage, covered by the browser test",
    "mfa_reauthenticate": "allauth's re-authentication with a factor",
    "mfa_activate_totp": "allauth MFA page behind sign-in; covered by the invitation browser test",
    "mfa_deactivate_totp": "allauth MFA page behind sign-in and re-authentication",
    "mfa_view_recovery_codes": "allauth MFA page behind sign-in and re-authentication",
    "mfa_generate_recovery_codes": "allauth MFA page behind sign-in and re-authentication",
    "mfa_download_recovery_codes": "allauth MFA page behind sign-in and re-authentication",
    "mfa_list_webauthn": "allauth MFA page behind sign-in",
    "mfa_add_webauthn": "allauth MFA page behind sign-in and re-authentication",
    "mfa_edit_webauthn": "allauth MFA page behind sign-in; object owned by the user",
    "mfa_remove_webauthn": "allauth MFA page behind sign-in; object owned by the user",
    "mfa_login_webauthn": "passkey sign-in endpoint; allauth checks the credential",
    "mfa_reauthenticate_webauthn": "allauth's re-authentication with a passkey",
}


@pytest.mark.req("ACC-04")
def test_every_url_name_has_a_matrix_row() -> None:
    declared = {route.url_name for route in ROUTES}
    names = {name for name in every_url_name() if not name.startswith("admin:")}

    missing = names - declared - set(EXEMPT)
    stale = (declared | set(EXEMPT)) - names

    assert (sorted(missing), sorted(stale)) == ([], [])


@pytest.fixture
def matrix_world(request: pytest.FixtureRequest, organisation, other_organisation, collective):
    people = {name: request.getfixturevalue(name) for name in PERSONAS}
    officer_membership = people["desk_officer"].memberships.get()
    invitation = InvitationFactory(organisation=organisation, role=Role.TRAINER)
    # Same email and role in the other organisation: must not be reachable through this one.
    InvitationFactory(organisation=other_organisation, email=invitation.email, role=Role.TRAINER)
    return World(
        organisation=organisation,
        other_organisation=other_organisation,
        collective=collective,
        people=people,
        extra={"officer_membership": officer_membership, "invitation": invitation},
    )


@pytest.mark.req("ACC-04")
@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.key)
def test_permission_matrix(route: Route, persona: str, matrix_world: World) -> None:
    client = Client()
    user = matrix_world.people[persona]
    if user is not None:
        login_fresh(client, user)
    if route.setup:
        route.setup(matrix_world, client)
    url = reverse(route.url_name, args=route.args(matrix_world))

    response = (
        client.generic(
            route.method,
            url,
            data=_encode(route.data(matrix_world)) if route.method != "GET" else "",
            content_type="application/x-www-form-urlencoded",
        )
        if route.method != "GET"
        else client.get(url)
    )

    assert response.status_code == route.expected[persona], (
        f"{route.key} as {persona}: {response.status_code} {response.headers.get('Location', '')}"
    )
    if response.status_code == 302 and persona == "anonymous" and route.expected[persona] == 302:
        _assert_anonymous_redirect_is_harmless(route, response)
    # Every answer of every URL, whoever asks, carries the headers of SECURITY.md WEB-01/02.
    expected = EXPECTED_HEADERS
    if route.url_name in SANDBOXED and response.status_code == 200:
        # Downloads of uploaded files add `sandbox` to the site policy (UPL-01).
        expected = {**EXPECTED_HEADERS, "csp": {**EXPECTED_HEADERS["csp"], "sandbox": "sandbox"}}
    assert _security_headers(response) == expected
    if user is not None:
        assert "no-store" in response.headers["Cache-Control"]


#: Views that serve user files: the site policy plus `sandbox`, so a file never runs as a page.
SANDBOXED = {"files:attachment-download", "files:attachment-original-download"}

EXPECTED_HEADERS = {
    "csp": _directives(EXPECTED_CSP),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def _security_headers(response) -> dict[str, str | None]:
    headers = {name: response.headers.get(name) for name in EXPECTED_HEADERS if name != "csp"}
    return {"csp": _directives(response.headers.get("Content-Security-Policy", "")), **headers}


def _encode(data: dict[str, object]) -> str:
    from urllib.parse import urlencode

    return urlencode(data)


def _assert_anonymous_redirect_is_harmless(route: Route, response) -> None:
    """An anonymous 302 on a private page must lead to sign-in, nowhere else."""
    public_redirects = {
        "set-language",
        "accounts:invitation-open",
        "account_logout",
        "public:home",
    }
    if route.url_name in public_redirects:
        return
    assert response["Location"].startswith(reverse("account_login")), response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_is_closed_to_every_persona(persona: str, matrix_world: World) -> None:
    """No persona is a platform operator: the admin sends each of them to sign in."""
    client = Client()
    user = matrix_world.people[persona]
    if user is not None:
        login_fresh(client, user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


#: Views that answer without sign-in (SECURITY.md ACC-01), reviewed one by one.
PUBLIC_VIEWS = {
    "health": "latency baseline, no data",
    "favicon": "an empty answer browsers ask for by themselves",
    "quick-exit": "must work for anyone, at any moment",
    "csp-report": "browsers post reports without a session",
    "set-language": "the language switch on public pages",
    "public:home": "what Amparo is",
    "accounts:invitation-open": "the emailed link, before the person has an account",
    "accounts:invitation-accept": "creating the account from an invitation",
}


def _views_without_sign_in() -> set[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    found: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix,
                )
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and getattr(pattern.callback, "login_required", True) is False
            ):
                found.add(f"{prefix}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return found


@pytest.mark.req("ACC-01")
def test_only_reviewed_views_opt_out_of_sign_in() -> None:
    ours = {
        name
        for name in _views_without_sign_in()
        if ":" not in name or name.split(":")[0] in {"public", "accounts", "core"}
    }
    ours = {name for name in ours if not name.startswith(("account_", "mfa_", "admin:"))}

    assert sorted(ours) == sorted(PUBLIC_VIEWS)


#: Views that grant or take away power: the password is asked again when the last sign-in is
#: older than ACCOUNT_REAUTHENTICATION_TIMEOUT (SECURITY.md AUTH-06).
SENSITIVE = [
    ("accounts:invitation-create", "organisation"),
    ("accounts:membership-role", "membership"),
    ("accounts:membership-end", "membership"),
    ("api:token-create", None),
    ("core:organisation-key-rotate", "organisation"),
    # Who facilitates a cohort reads its learners' answers (the POST; the pages stay readable).
    ("learning:cohort-facilitators", "cohort"),
    ("learning:lead-hand-over", "cohort"),
]


@pytest.mark.req("AUTH-06")
@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "target"), SENSITIVE)
def test_sensitive_actions_ask_for_the_password_again(url_name, target, matrix_world):
    client = Client()
    person = "org_admin"
    if target == "cohort":
        co_facilitator(matrix_world, client)  # Lena leads it, Dora co-facilitates, Tom trains
        person = "desk_lead"
    client.force_login(matrix_world.people[person])  # signed in, but not just now
    extra = matrix_world.extra
    args = {
        "organisation": [matrix_world.organisation.pk],
        "membership": [extra["officer_membership"].pk],
        "cohort": [extra["cohort"].pk] if "cohort" in extra else [],
        None: [],
    }[target]
    data = {"version": "1", "role": "trainer"}
    if target == "cohort":
        data["person"] = str(extra["candidate"].pk)

    response = client.post(reverse(url_name, args=args), data)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    membership = matrix_world.extra["officer_membership"]
    membership.refresh_from_db()
    assert (membership.role, membership.is_active) == (Role.DESK_OFFICER, True)
    if target == "cohort":
        cohort = Cohort.objects.get(pk=extra["cohort"].pk)
        lena, dora = matrix_world.people["desk_lead"], matrix_world.people["desk_officer"]
        facilitators = set(cohort.facilitators.values_list("pk", flat=True))
        assert (cohort.lead_id, facilitators, cohort.version) == (lena.pk, {lena.pk, dora.pk}, 1)
