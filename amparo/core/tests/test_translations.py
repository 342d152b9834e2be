"""Every user-facing string exists in all seven languages, and the pages show them."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from amparo.core import catalogue_check
from amparo.testing.auth import login_fresh

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATED = [code for code in LANGUAGES if code != "en"]


def test_every_language_has_a_catalogue():
    assert sorted(catalogue_check.translated_languages()) == sorted(TRANSLATED)


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_is_complete_with_no_fuzzy_or_broken_entry(language):
    report = catalogue_check.check_catalogue(catalogue_check.translated_languages()[language])

    untranslated = [catalogue_check.describe(catalogue_check.key(e)) for e in report.untranslated]
    fuzzy = [catalogue_check.describe(catalogue_check.key(e)) for e in report.fuzzy]
    broken = [
        (catalogue_check.describe(catalogue_check.key(e)), problems)
        for e, problems in report.broken
    ]
    assert (untranslated, fuzzy, broken, report.plural_forms) == ([], [], [], None)


def test_a_broken_placeholder_is_caught():
    import polib

    entry = polib.POEntry(msgid="Welcome, %(name)s", msgstr="Bienvenue, %(nom)s")

    assert catalogue_check.format_problems(entry) != []


def _html_lang(content: bytes) -> str:
    return re.search(rb'<html lang="([a-z-]+)"', content).group(1).decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_render_in_every_language(client, language):
    with translation.override(language):
        expected = gettext("For whom")

    home = client.get(f"/{language}/")
    login = client.get(
        reverse("account_login"), HTTP_COOKIE=f"{settings.LANGUAGE_COOKIE_NAME}={language}"
    )

    assert (_html_lang(home.content), _html_lang(login.content)) == (language, language)
    assert expected.encode() in home.content
    if language != "en":
        assert expected != "For whom"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_private_pages_follow_the_persons_language(client, org_admin, organisation, language):
    org_admin.language = language
    org_admin.save()
    login_fresh(client, org_admin)
    with translation.override(language):
        expected = [gettext("Dashboard"), gettext("Account settings"), gettext("Members")]

    pages = [
        client.get(reverse("core:dashboard")),
        client.get(reverse("accounts:settings")),
        client.get(reverse("accounts:organisation-detail", args=[organisation.pk])),
        client.get(reverse("accounts:member-list", args=[organisation.pk])),
    ]

    assert [_html_lang(page.content) for page in pages] == [language] * 4
    assert [text.encode() in pages[1].content for text in expected] == [True, True, True]
