"""Template tags every template has without `{% load %}` (TEMPLATES' `builtins`).

`{% url %}` is Django's tag, parsed by Django, whose links with UUID arguments are written by
`amparo.core.reversing` (the same result, without matching the URL pattern on every row of a
list). Everything else about the tag is Django's: keyword arguments, `as var`, the current
application and the errors.

`{% include %}` is Django's tag, except that the field wrappers and form templates listed in
`amparo.core.field_groups` are written in Python (the same HTML, checked against each
template's source).

`|date` is Django's filter, whose numeric formats are written by `amparo.core.formatting`
(the same text, without building a formatter for every value).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BaseForm, BoundField
from django.template import defaulttags, loader_tags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from amparo.core import field_groups, formatting, reversing

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


class IncludeNode(loader_tags.IncludeNode):
    def render(self, context: Any) -> SafeString:
        name = self.template.resolve(context)
        form_writer = field_groups.form_writer_for(name) if isinstance(name, str) else None
        if form_writer is not None:
            if "form" in self.extra_context:
                form = self.extra_context["form"].resolve(context)
            else:
                form = None if self.isolated_context else context.get("form")
            # A form template sees only `form`: anything else passed along goes to it.
            if isinstance(form, BaseForm) and len(self.extra_context) <= 1:
                return form_writer(form)
        writer = field_groups.writer_for(name) if isinstance(name, str) else None
        if writer is not None:
            if "field" in self.extra_context:
                field = self.extra_context["field"].resolve(context)
            else:
                field = None if self.isolated_context else context.get("field")
            # A wrapper sees only `field`: anything else passed along goes to the template.
            if isinstance(field, BoundField) and len(self.extra_context) <= 1:
                return writer(field)
        return super().render(context)


@register.tag("include")
def do_include(parser: template.base.Parser, token: template.base.Token) -> IncludeNode:
    node = loader_tags.do_include(parser, token)
    return IncludeNode(
        node.template,
        extra_context=node.extra_context,
        isolated_context=node.isolated_context,
    )
