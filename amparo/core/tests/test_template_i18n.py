"""The i18n library that keeps `{% translate %}` per language writes what Django's does."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Engine, engines
from django.test import override_settings
from django.utils import translation
from django.utils.safestring import SafeString

from amparo.core import template_i18n

DJANGO = Engine(libraries={"i18n": "django.templatetags.i18n"})
OURS = Engine(libraries={"i18n": "amparo.core.template_i18n"})

LANGUAGES = ["en", "es", "fr", "pt", "id", "th", "sw"]

SOURCES = {
    "literal": '{% translate "Sign out" %}',
    "with a context": '{% translate "Switch" context "switch organisation button" %}',
    "as a variable": '{% translate "Sign out" as label %}[{{ label }}]{{ label|upper }}',
    "with a filter": '{% translate "Sign out"|upper %}',
    "noop": '{% translate "Sign out" noop %}',
    "a variable": "{% translate word %}",
    "a context variable": '{% translate "Switch" context ctx %}',
    "escaped": '{% translate "<b>&\'" %}',
    "percent": '{% translate "100% sure" %}',
    "autoescape off": '{% autoescape off %}{% translate "<b>" %}{% endautoescape %}',
    "inside language": '{% language "es" %}{% translate "Sign out" %}{% endlanguage %}'
    '{% translate "Sign out" %}',
    "in a loop": '{% for i in rows %}{% translate "Sign out" %},{% endfor %}',
    "block": "{% blocktranslate %}Hello {{ word }}{% endblocktranslate %}",
    "block, plural": "{% blocktranslate count n=count %}{{ n }} incident{% plural %}"
    "{{ n }} incidents{% endblocktranslate %}",
    "block, trimmed, as": "{% blocktranslate trimmed asvar said %}  Hello\n  {{ word }}  "
    "{% endblocktranslate %}<{{ said }}>",
    "block, context": '{% blocktranslate context "greeting" %}Hi {{ word }}{% endblocktranslate %}',
}

VALUES: dict[str, Any] = {
    "word": "<i>you</i>",
    "ctx": "switch organisation button",
    "rows": [1, 2],
    "count": 3,
}


def both(source: str, **values: Any) -> tuple[str, str]:
    source = "{% load i18n %}" + source
    context = {**VALUES, **values}
    return (
        DJANGO.from_string(source).render(Context(context)),
        OURS.from_string(source).render(Context(context)),
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_writes_what_django_writes(name: str, language: str) -> None:
    source = "{% load i18n %}" + SOURCES[name]
    ours = OURS.from_string(source)
    with translation.override(language):
        expected = DJANGO.from_string(source).render(Context(VALUES))
        # Twice: the second render is the kept one.
        assert ours.render(Context(VALUES)) == expected
        assert ours.render(Context(VALUES)) == expected


def test_one_template_switches_language_between_renders() -> None:
    template = OURS.from_string('{% load i18n %}{% translate "Sign out" %}')
    seen = {}
    for language in ["en", "es", "fr", "en", "es"]:
        with translation.override(language):
            seen.setdefault(language, set()).add(template.render(Context()))
    assert seen == {"en": {"Sign out"}, "es": {"Cerrar sesión"}, "fr": {"Se déconnecter"}}


def test_counts_of_the_plural_follow_each_render() -> None:
    source = SOURCES["block, plural"]
    for count in [1, 2, 1, 5]:
        with translation.override("es"):
            expected, ours = both(source, count=count)
        assert ours == expected
        assert str(count) in ours


def test_literals_are_kept_and_the_rest_is_not() -> None:
    template = OURS.from_string(
        "{% load i18n %}"
        '{% translate "Sign out" %}{% translate word %}{% translate "Sign out"|upper %}'
        '{% translate "Sign out" noop %}{% translate "Switch" context ctx %}'
    )
    nodes = [n for n in template.nodelist if isinstance(n, template_i18n.TranslateNode)]
    assert [n.constant for n in nodes] == [True, False, False, False, False]


def test_the_kept_text_stays_safe_for_a_variable() -> None:
    # A literal is the template author's markup (Django marks it safe): kept, it stays safe.
    source = '{% load i18n %}{% translate "<b>" as tag %}{{ tag }}'
    template = OURS.from_string(source)
    for _ in range(2):
        assert template.render(Context()) == DJANGO.from_string(source).render(Context()) == "<b>"
    node = template.nodelist[1]
    assert all(isinstance(text, SafeString) for text in node.kept.values())


def test_settings_that_change_catalogues_make_nodes_forget() -> None:
    template = OURS.from_string('{% load i18n %}{% translate "Sign out" %}')
    node = template.nodelist[1]
    with translation.override("es"):
        assert template.render(Context()) == "Cerrar sesión"
        assert node.kept
        with override_settings(LANGUAGES=[("es", "Español"), ("en", "English")]):
            template.render(Context())
            assert node.kept_generation == template_i18n._generation
    with override_settings(ROOT_URLCONF="config.urls"):  # not about catalogues
        before = template_i18n._generation
    assert template_i18n._generation == before


def test_the_project_engine_uses_this_library() -> None:
    engine = engines["django"].engine  # type: ignore[attr-defined]
    template = engine.from_string('{% load i18n %}{% translate "Sign out" %}')
    assert isinstance(template.nodelist[1], template_i18n.TranslateNode)
    # Every tag and filter of Django's library is still there.
    library = engine.template_libraries["i18n"]
    assert set(library.tags) >= {
        "translate", "trans", "blocktranslate", "blocktrans", "language",
        "get_current_language", "get_available_languages", "get_language_info",
        "get_language_info_list", "get_current_language_bidi",
    }  # fmt: skip
    assert set(library.filters) >= {"language_name", "language_name_local", "language_bidi"}
