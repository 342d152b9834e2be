"""Cheaper rendering of what every page repeats.

`{% fragment %}` renders a template that depends on nothing but the active language (and the
few flags passed to it) once per process, then serves the same HTML: the page layout's head,
language menu and footer otherwise cost dozens of tag evaluations on every request. A fragment
never sees the page's context, so nothing about the person or the request can leak into the
copy that another request gets.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.context import Context
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Keys are bounded by languages x flags in practice; the cap only guards against a script
# prefix or flag value that varies without limit.
_MAX_FRAGMENTS = 512
_fragments: dict[tuple[Any, ...], SafeString] = {}


@register.simple_tag(takes_context=True)
def fragment(context: Context, template_name: str, **flags: Any) -> SafeString:
    """The HTML of `template_name` rendered with only `flags` as its context.

    Cached by language, script prefix and URLconf (what `{% translate %}`, `{% url %}` and
    `{% static %}` depend on) and by the flags, so pass only values with few possible values.
    """
    key = (
        template_name,
        translation.get_language(),
        get_script_prefix(),
        get_urlconf(),
        context.autoescape,
        tuple(sorted(flags.items())),
    )
    html = _fragments.get(key)
    if html is None:
        assert context.template is not None  # noqa: S101 -- a tag only runs inside a template
        compiled = context.template.engine.get_template(template_name)
        html = mark_safe(compiled.render(Context(flags, autoescape=context.autoescape)))  # noqa: S308 -- rendered, hence escaped, by the template engine
        if len(_fragments) >= _MAX_FRAGMENTS:
            _fragments.clear()
        _fragments[key] = html
    return html


def clear_fragments(**kwargs: Any) -> None:
    """Settings changed (tests override them), or the development server saw a file change:
    a fragment's template, static URLs, languages or URLs may differ."""
    _fragments.clear()


setting_changed.connect(clear_fragments, dispatch_uid="amparo_layout_fragments")
file_changed.connect(clear_fragments, dispatch_uid="amparo_layout_fragments")
