"""Personas shared by every app's tests. Ask for them by name.

Their powers follow the roles they hold; `outsider` has real powers in another organisation,
none of them here, so leaks show up as failures.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from amparo.accounts.enums import CollectiveType, OrganisationKind, Role
from amparo.accounts.models import Organisation, User
from amparo.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    staff_member,
)

pytest_plugins = ["amparo.testing.browser"]

#: The personas every permission matrix covers, in this order.
PERSONAS = ["anonymous", "defender", "desk_officer", "desk_lead", "org_admin", "outsider"]


def _static_is_stale() -> bool:
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = Path(settings.BASE_DIR) / "static"
    return any(path.stat().st_mtime > built for path in sources.rglob("*") if path.is_file())


@pytest.fixture(scope="session", autouse=True)
def _collected_static(django_db_blocker: object) -> None:
    """Pages are rendered with the production static storage (hashed names from the manifest),
    so the tests see what users get. `make test` collects first; this covers a bare `pytest`."""
    if _static_is_stale():
        call_command("collectstatic", interactive=False, verbosity=0)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the catalogues before Django loads any translation (`make test` does it too)."""
    from amparo.core import catalogue_check  # noqa: PLC0415

    locale = Path(__file__).resolve().parent.parent / "locale"
    for po in locale.glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            catalogue_check.compile_catalogues()
            break


#: A fresh master key per test session: no test can come to rely on a fixed one, and the
#: canary test can look for this one in dumps and logs.
TEST_MASTER_KEY = base64.b64encode(os.urandom(32)).decode("ascii")


@pytest.fixture(scope="session", autouse=True)
def _test_master_key() -> Iterator[None]:
    """Encrypted fields and MFA secrets need a KEK; tests get their own, never the demo key."""
    with override_settings(AMPARO_MASTER_KEY=TEST_MASTER_KEY):
        yield


@pytest.fixture(autouse=True)
def _english_to_start_with() -> Iterator[None]:
    """Django's LocaleMiddleware leaves the last request's language active in the thread; a
    service called directly by the next test must not speak Swahili because of it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_kept_pages() -> Iterator[None]:
    """The page cache of public pages lives in the process; test databases restart their data
    versions, so a page kept by one test would answer another's (observatory/caching.py)."""
    caches["public_pages"].clear()
    yield
    caches["public_pages"].clear()


@pytest.fixture(autouse=True)
def _plain_test_settings(
    settings: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Uploaded blobs of one test never meet another's, nor the developer's var/media.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")  # type: ignore[attr-defined]
    # Keep tests off the network and fast: no quick-exit redirect to an outside site.
    settings.QUICK_EXIT_URL = ""  # type: ignore[attr-defined]
    # argon2id at 64 MiB per hash would make every persona cost a tenth of a second; the real
    # hasher's parameters are checked on their own in amparo/accounts/tests/test_passwords.py.
    settings.PASSWORD_HASHERS = [  # type: ignore[attr-defined]
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "amparo.accounts.hashers.Argon2idHasher",
    ]


@pytest.fixture
def organisation(db: None) -> Organisation:
    """Casa Segura: the Colombia country office where most personas work."""
    return OrganisationFactory(name="Casa Segura country office", slug="casa-segura", country="CO")


@pytest.fixture
def other_organisation(db: None) -> Organisation:
    """Another country office, with records of its own that must never leak."""
    return OrganisationFactory(name="Other country office", slug="other-office", country="KE")


@pytest.fixture
def collective(organisation: Organisation) -> Organisation:
    """Río Claro: a community accompanied by Casa Segura."""
    org = OrganisationFactory(
        name="Comunidad Río Claro",
        slug="rio-claro",
        kind=OrganisationKind.COLLECTIVE,
        collective_type=CollectiveType.COMMUNITY,
    )
    org.accompanied_by.add(organisation)
    return org


@pytest.fixture
def anonymous() -> None:
    """Nobody signed in."""
    return


@pytest.fixture
def defender(collective: Organisation) -> User:
    """Ana defends land rights in Río Claro; no second factor (defenders are only encouraged)."""
    person = UserFactory(email="ana@example.org", display_name="Ana")
    MembershipFactory(user=person, organisation=collective, role=Role.DEFENDER)
    return person


@pytest.fixture
def desk_officer(organisation: Organisation) -> User:
    """Dora works cases on the Casa Segura desk."""
    return staff_member(
        organisation, Role.DESK_OFFICER, email="dora@example.org", display_name="Dora"
    )


@pytest.fixture
def desk_lead(organisation: Organisation) -> User:
    """Lena leads the Casa Segura desk."""
    return staff_member(organisation, Role.DESK_LEAD, email="lena@example.org", display_name="Lena")


@pytest.fixture
def org_admin(organisation: Organisation) -> User:
    """Omar administers Casa Segura's accounts, not its casework."""
    return staff_member(organisation, Role.ORG_ADMIN, email="omar@example.org", display_name="Omar")


@pytest.fixture
def outsider(other_organisation: Organisation) -> User:
    """Xavier administers another organisation: real powers, none of them here."""
    return staff_member(
        other_organisation, Role.ORG_ADMIN, email="xavier@example.org", display_name="Xavier"
    )


@pytest.fixture
def learner(db: None) -> User:
    """Lea has an account but no organisation: a plain learner."""
    return UserFactory(email="lea@example.org", display_name="Lea")
