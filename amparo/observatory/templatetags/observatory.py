"""`{% localised obj "field" language %}`: editorial text in the reader's language, or the
English original marked `lang="en"` when nobody has translated it yet (screen readers then
switch voice)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from amparo.observatory.models import LocalisedText

register = template.Library()


@register.simple_tag
def localised(obj: LocalisedText, field: str, language: str, plain: bool = False) -> str:
    text = obj.text(field, language)
    if plain or obj.has_text(field, language) or not text:
        return text
    return format_html('<span lang="en">{}</span>', text)
