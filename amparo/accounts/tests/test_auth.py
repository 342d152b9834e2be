"""Sign-in hardening: password hashing, lockout, no enumeration, closed sign-up, demo accounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amparo.accounts.hashers import Argon2idHasher
from amparo.accounts.models import User
from amparo.accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.req("AUTH-03")
def test_passwords_are_hashed_with_argon2id_at_the_pinned_cost(settings):
    settings.PASSWORD_HASHERS = ["amparo.accounts.hashers.Argon2idHasher"]

    encoded = make_password("a passphrase of some length")

    decoded = Argon2idHasher().decode(encoded)
    assert encoded.startswith("argon2$argon2id$")
    assert (decoded["memory_cost"], decoded["time_cost"], decoded["parallelism"]) == (65536, 3, 4)


@pytest.mark.req("AUTH-03")
def test_a_weaker_hash_is_upgraded_at_sign_in(settings, client):
    person = UserFactory(password="a very long test password")  # MD5 under tests
    settings.PASSWORD_HASHERS = [
        "amparo.accounts.hashers.Argon2idHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]

    client.post(
        reverse("account_login"), {"login": person.email, "password": "a very long test password"}
    )

    person.refresh_from_db()
    assert person.password.startswith("argon2$argon2id$")


@pytest.mark.req("AUTH-03")
def test_passwords_need_15_characters(client):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("fourteen chars")
    validate_password("fifteen chars!!")


def _attempt(client: Client, email: str, password: str, *, ip: str = "10.0.0.1"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


@pytest.mark.req("AUTH-04")
def test_sixth_failure_locks_the_account_from_that_address_only(client):
    person = UserFactory(email="locked@example.org")
    for _ in range(5):
        _attempt(client, person.email, "wrong password entirely")

    locked = _attempt(client, person.email, TEST_PASSWORD)
    elsewhere = _attempt(Client(), person.email, TEST_PASSWORD, ip="10.0.0.2")

    assert locked.status_code == 429
    assert elsewhere.status_code == 302  # signed in from another place


@pytest.mark.req("AUTH-08")
def test_the_admin_signs_in_only_through_the_guarded_sign_in(client):
    """The admin has no password form of its own: it hands over to allauth's sign-in, which
    axes, rate limits and MFA guard; posting a password to it signs nobody in."""
    operator = UserFactory(email="op@example.org", is_staff=True, is_superuser=True)

    shown = client.get("/admin/login/?next=/admin/")
    posted = client.post(
        "/admin/login/?next=/admin/", {"username": operator.email, "password": TEST_PASSWORD}
    )

    assert shown["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"
    assert posted.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.req("AUTH-04")
def test_lockout_lifts_after_the_cool_off(client):
    person = UserFactory(email="later@example.org")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            _attempt(client, person.email, "wrong password entirely")
        traveller.shift(timedelta(minutes=31))

        response = _attempt(client, person.email, TEST_PASSWORD)

    assert response.status_code == 302


def _error_text(response) -> str:
    return " ".join(str(e) for e in response.context["form"].non_field_errors())


@pytest.mark.req("AUTH-05")
def test_unknown_address_and_wrong_password_answer_the_same(client):
    UserFactory(email="known@example.org")

    unknown = _attempt(client, "nobody@example.org", "wrong password entirely")
    wrong = _attempt(Client(), "known@example.org", "wrong password entirely", ip="10.0.0.9")

    assert (unknown.status_code, _error_text(unknown)) == (wrong.status_code, _error_text(wrong))


@pytest.mark.req("AUTH-05")
def test_password_reset_answers_the_same_for_unknown_addresses(client):
    UserFactory(email="known@example.org")

    known = client.post(reverse("account_reset_password"), {"email": "known@example.org"})
    unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    # Only the real account gets a reset link; the unknown address gets nothing useful.
    assert "known@example.org" in [m.to[0] for m in mail.outbox]


def test_public_sign_up_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "me@example.org", "password1": "x" * 20, "password2": "x" * 20},
    )

    assert User.objects.filter(email="me@example.org").exists() is False
    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]


def test_demo_accounts_cannot_sign_in_when_debug_is_off(client):
    demo = UserFactory(email="demo@example.org", is_demo=True)

    response = _attempt(client, demo.email, TEST_PASSWORD)

    assert response.status_code == 200  # the form again, with the usual error
    assert "_auth_user_id" not in client.session


def test_demo_seed_refuses_when_debug_is_off():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo")
    with pytest.raises(CommandError):
        call_command("demo_code", "dora@demo.amparo.test")
    assert User.objects.filter(is_demo=True).count() == 0


def test_demo_seed_is_idempotent_and_codes_verify(settings):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from amparo.accounts import demo

    settings.DEBUG = True
    demo.seed()
    counts = (User.objects.count(), Authenticator.objects.count())

    demo.seed()

    assert (User.objects.count(), Authenticator.objects.count()) == counts
    dora = User.objects.get(email="dora@demo.amparo.test")
    totp = TOTP(Authenticator.objects.get(user=dora, type=Authenticator.Type.TOTP))
    assert totp.validate_code(demo.current_code(dora.email)) is True
    ana = User.objects.get(email="ana@demo.amparo.test")
    assert Authenticator.objects.filter(user=ana).count() == 0  # defenders are only encouraged
