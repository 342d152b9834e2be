"""The header's links are kept per language and URL map, and are always what Django's reverse
gives in the same place."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse as django_reverse
from django.utils import translation

from amparo.core import navigation


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
