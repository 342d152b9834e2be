"""Template tags every template has without `{% load %}` (TEMPLATES' `builtins`).

`{% url %}` is Django's tag, parsed by Django, whose links with UUID arguments are written by
`amparo.core.reversing` (the same result, without matching the URL pattern on every row of a
list). Everything else about the tag is Django's: keyword arguments, `as var`, the current
application and the errors.

`|date` is Django's filter, whose numeric formats are written by `amparo.core.formatting`
(the same text, without building a formatter for every value).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from amparo.core import formatting, reversing

register = template.Library()


class URLNode(defaulttags.URLNode):
    def render(self, context: Any) -> str:
        if self.kwargs:
            return str(super().render(context))
        args = [arg.resolve(context) for arg in self.args]
        view_name = self.view_name.resolve(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        url = ""
        try:
            url = reversing.reverse(view_name, args=args, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: template.base.Parser, token: template.base.Token) -> URLNode:
    node = defaulttags.url(parser, token)
    return URLNode(node.view_name, node.args, node.kwargs, node.asvar)


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    return formatting.date(value, arg)
