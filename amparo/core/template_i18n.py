"""Django's `i18n` template library, with `{% translate %}` of a literal written once per language.

Templates `{% load i18n %}` as usual; TEMPLATES' `libraries` maps that name to this module, so
every tag and filter is Django's own. Two nodes differ:

- `{% translate "text" %}` (a literal, without filters): Django looks the message up, wraps
  it in a lazy string, casts, localizes and escapes it on every render. A page shows 30 to 60
  of them, many inside loops, at about 10 µs each. The result depends only on the active
  language and on autoescaping, so each node keeps it per (language, autoescape). Variables,
  filters, `noop` and a context given by a variable go through Django's code unchanged.
- `{% blocktranslate %}`: the message ids built from the tag's tokens are the same on every
  render; each node keeps them instead of joining its tokens again. The lookup, the plural and
  the values are Django's, on every render.

What is kept is the catalogue's text: nothing about a person or a request. Catalogues change
only when settings do (tests that override `LANGUAGES` or `LOCALE_PATHS`), and then every
node forgets what it kept, as Django's own translation caches do.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import FilterExpression, Parser, Token
from django.templatetags import i18n as django_i18n
from django.utils import translation

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)

# Raised when the catalogues may have changed; a node compares it with the one it kept under.
_generation = 0

_CATALOGUE_SETTINGS = frozenset({"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"})


@receiver(setting_changed)
def _forget_on_settings_change(*, setting: str, **kwargs: Any) -> None:
    global _generation  # noqa: PLW0603 - one counter read by every node
    if setting in _CATALOGUE_SETTINGS:
        _generation += 1


def _literal_context(message_context: FilterExpression | None) -> bool:
    # A quoted context is resolved at parse time to a plain string; a variable is not.
    return message_context is None or (
        isinstance(message_context.var, str) and not message_context.filters
    )


class TranslateNode(django_i18n.TranslateNode):
    def __init__(
        self,
        filter_expression: FilterExpression,
        noop: bool,
        asvar: str | None = None,
        message_context: FilterExpression | None = None,
    ) -> None:
        super().__init__(filter_expression, noop, asvar, message_context)
        variable = self.filter_expression.var
        self.constant = (
            not noop
            and not self.filter_expression.filters
            and getattr(variable, "lookups", True) is None
            and _literal_context(message_context)
        )
        self.kept: dict[tuple[str | None, bool], str] = {}
        self.kept_generation = _generation

    def render(self, context: Any) -> str:
        if not self.constant:
            return str(super().render(context))
        if self.kept_generation != _generation:
            self.kept = {}
            self.kept_generation = _generation
        key = (translation.get_language(), bool(context.autoescape))
        value = self.kept.get(key)
        if value is None:
            value = self._translated(context)
            self.kept[key] = value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value

    def _translated(self, context: Any) -> str:
        # Django's render, without the variable: the text it would write.
        asvar, self.asvar = self.asvar, None
        try:
            return str(super().render(context))
        finally:
            self.asvar = asvar


class BlockTranslateNode(django_i18n.BlockTranslateNode):
    def render_token_list(self, tokens: list[Token]) -> tuple[str, list[str]]:
        kept: dict[int, tuple[str, list[str]]] = self.__dict__.setdefault("kept_messages", {})
        message = kept.get(id(tokens))
        if message is None:
            message = super().render_token_list(tokens)
            kept[id(tokens)] = message
        # Django's render extends the list of names for the plural: hand it a copy.
        return message[0], list(message[1])


@register.tag("translate")
@register.tag("trans")
def do_translate(parser: Parser, token: Token) -> TranslateNode:
    node = django_i18n.do_translate(parser, token)
    return TranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)


@register.tag("blocktranslate")
@register.tag("blocktrans")
def do_block_translate(parser: Parser, token: Token) -> BlockTranslateNode:
    node = django_i18n.do_block_translate(parser, token)
    return BlockTranslateNode(
        node.extra_context,
        node.singular,
        node.plural,
        node.countervar,
        node.counter,
        node.message_context,
        node.trimmed,
        node.asvar,
        node.tag_name,  # type: ignore[attr-defined]  # set in __init__, not in the stubs
    )
