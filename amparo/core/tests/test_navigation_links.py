"""The header's links are kept per language and URL map, and are always what Django's reverse
gives in the same place."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse as django_reverse
from django.utils import translation

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import MembershipFactory, staff_member
from amparo.core import navigation
from amparo.testing.auth import login_fresh


@pytest.mark.parametrize("language", ["en", "es", "th"])
def test_a_kept_link_is_the_reverse_of_its_language(language):
    with translation.override(language):
        assert navigation.reverse("public:home") == django_reverse("public:home")
        assert navigation.reverse("core:dashboard") == django_reverse("core:dashboard")


def test_links_of_two_languages_are_kept_apart():
    with translation.override("es"):
        spanish = navigation.reverse("library-public:resource-list")
    with translation.override("fr"):
        french = navigation.reverse("library-public:resource-list")

    assert spanish.startswith("/es/")
    assert french.startswith("/fr/")


def test_arguments_are_part_of_the_key(db):
    first = navigation.reverse(
        "accounts:member-list", args=["7b0e7a52-0d5e-4c3a-9d7e-1b2c3d4e5f60"]
    )
    second = navigation.reverse(
        "accounts:member-list", args=["0f0e7a52-0d5e-4c3a-9d7e-1b2c3d4e5f60"]
    )

    assert first != second
    assert first == django_reverse(
        "accounts:member-list", args=["7b0e7a52-0d5e-4c3a-9d7e-1b2c3d4e5f60"]
    )


@override_settings(ROOT_URLCONF="amparo.core.tests.urls_for_navigation")
def test_another_url_map_is_not_served_from_the_first():
    assert navigation.reverse("core:dashboard") == "/elsewhere/"


def _nav(client, path="/dashboard/"):
    return client.get(path).context["nav_items"]


def test_people_with_the_same_roles_share_links_and_labels_follow_the_language(
    client, desk_officer, organisation
):
    colleague = staff_member(organisation, Role.DESK_OFFICER, email="carla@example.org")
    login_fresh(client, desk_officer)
    officer = _nav(client)
    login_fresh(client, colleague)
    assert _nav(client) == officer  # the same links: nothing in them is about the person
    assert all(type(item.label) is str for item in officer)  # translated once, when kept

    spanish = client.get("/dashboard/", headers={"accept-language": "es"}).context["nav_items"]
    assert [item.key for item in spanish] == [item.key for item in officer]
    assert (officer[0].label, spanish[0].label) == ("Dashboard", "Panel")


def test_a_new_role_changes_the_links_at_once(client, desk_officer, organisation):
    login_fresh(client, desk_officer)
    before = [item.key for item in _nav(client)]
    MembershipFactory(user=desk_officer, organisation=organisation, role=Role.LIBRARIAN)
    after = [item.key for item in _nav(client)]

    assert "library-manage" not in before
    assert "library-manage" in after


def test_someone_without_an_organisation_gets_links_too(client, learner):
    # request.organisation is then a lazy object standing for None: its truth decides.
    login_fresh(client, learner)
    keys = [item.key for item in _nav(client)]

    assert keys[0] == "dashboard"
    assert "organisation" not in keys
    assert "learning" in keys
