"""Links with UUID arguments written from a kept pattern are exactly Django's reverse, for
every URL of the project that takes UUIDs, in any language and script prefix."""

from __future__ import annotations

import uuid

import pytest
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, set_script_prefix
from django.urls import reverse as django_reverse
from django.urls.converters import UUIDConverter
from django.utils import translation

from amparo.core import reversing, template_builtins


def _uuid_routes(
    patterns: list[URLPattern | URLResolver] | None = None, namespace: str = ""
) -> list[tuple[str, int]]:
    """(name, number of UUID arguments) of every named route whose arguments are all UUIDs."""
    found = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _uuid_routes(entry.url_patterns, inner)
            continue
        converters = getattr(entry.pattern, "converters", {})
        if (
            entry.name
            and converters
            and all(isinstance(c, UUIDConverter) for c in converters.values())
        ):
            found.append((f"{namespace}{entry.name}", len(converters)))
    return found


ROUTES = _uuid_routes()


def test_the_project_has_routes_with_uuids():
    assert len(ROUTES) > 100
    assert ("incidents:incident-detail", 1) in ROUTES


@pytest.mark.parametrize("language", ["en", "th"])
def test_every_uuid_route_is_written_as_django_writes_it(language):
    with translation.override(language):
        for name, count in ROUTES:
            for _ in range(2):  # the first call keeps the pattern, the second uses it
                args = [uuid.uuid4() for _ in range(count)]
                try:
                    expected = django_reverse(name, args=args)
                except NoReverseMatch:
                    continue  # positional arguments do not reach a route that mixes prefixes
                assert reversing.reverse(name, args=args) == expected, name


def test_a_script_prefix_is_kept_apart():
    row = uuid.uuid4()
    plain = reversing.reverse("incidents:incident-detail", args=[row])
    set_script_prefix("/amparo/")
    try:
        prefixed = reversing.reverse("incidents:incident-detail", args=[row])
    finally:
        set_script_prefix("/")
    assert prefixed == "/amparo" + plain
    assert reversing.reverse("incidents:incident-detail", args=[row]) == plain


def test_other_arguments_go_to_django():
    assert reversing.reverse("core:dashboard") == django_reverse("core:dashboard")
    text = str(uuid.uuid4())
    assert reversing.reverse("incidents:incident-detail", args=[text]) == django_reverse(
        "incidents:incident-detail", args=[text]
    )
    with pytest.raises(NoReverseMatch):
        reversing.reverse("incidents:incident-detail", args=[uuid.uuid4(), uuid.uuid4()])
    with pytest.raises(NoReverseMatch):
        reversing.reverse("incidents:no-such-page", args=[uuid.uuid4()])


def test_another_url_map_is_not_served_from_the_first():
    assert reversing.reverse("incidents:incident-detail", args=[uuid.uuid4()])
    with (
        override_settings(ROOT_URLCONF="amparo.core.tests.urls_for_navigation"),
        pytest.raises(NoReverseMatch),
    ):
        reversing.reverse("incidents:incident-detail", args=[uuid.uuid4()])


def test_the_url_tag_writes_what_django_writes():
    row = uuid.uuid4()
    request = RequestFactory().get("/")
    template = Template(
        "{% url 'incidents:incident-detail' row %}|"
        "{% url 'incidents:incident-detail' row as link %}"
        "{{ link }}|{% url 'core:dashboard' %}|{% url 'incidents:no-such-page' row as missing %}"
        "[{{ missing }}]"
    )
    assert isinstance(template.nodelist[0], template_builtins.URLNode)
    rendered = template.render(Context({"row": row, "request": request}))
    link = django_reverse("incidents:incident-detail", args=[row])
    assert rendered == f"{link}|{link}|{django_reverse('core:dashboard')}|[]"
    with pytest.raises(NoReverseMatch):
        Template("{% url 'incidents:no-such-page' row %}").render(Context({"row": row}))


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_linker_writes_every_one_argument_route_as_django(language):
    with translation.override(language):
        for name, count in ROUTES:
            if count != 1:
                continue
            link = reversing.linker(name)
            for _ in range(2):
                row = uuid.uuid4()
                try:
                    expected = django_reverse(name, args=[row])
                except NoReverseMatch:
                    continue
                assert link(row) == expected, name


def test_a_linker_leaves_other_arguments_to_django():
    link = reversing.linker("incidents:incident-detail")
    text = str(uuid.uuid4())
    assert link(text) == django_reverse("incidents:incident-detail", args=[text])  # type: ignore[arg-type]
    with pytest.raises(NoReverseMatch):
        reversing.linker("incidents:no-such-page")(uuid.uuid4())
