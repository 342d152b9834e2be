"""Template filters of the networks pages."""

from __future__ import annotations

from django import template

from amparo.networks.enums import Relation

register = template.Library()


@register.filter
def relation_label(code: str) -> str:
    """The translated label of a relation code (stored encrypted, so no get_..._display)."""
    try:
        return str(Relation(code).label)
    except ValueError:
        return str(Relation.OTHER.label)
