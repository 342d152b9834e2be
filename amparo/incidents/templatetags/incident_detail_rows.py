"""The rows of an incident page's part tables, written in Python (`incidents.detail_rows`,
ADR 0062): `{% act_rows acts %}` and so on, with the page's incident, `can_code` and CSRF
token."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from amparo.incidents import detail_rows

register = template.Library()


def _page(context: Any) -> dict[str, Any]:
    return {
        "incident_id": context["incident"].pk,
        "can_code": bool(context.get("can_code")),
        "csrf_token": str(context.get("csrf_token", "")),
    }


@register.simple_tag(takes_context=True)
def act_rows(context: Any, rows: Any) -> SafeString:
    return detail_rows.act_rows(rows, **_page(context))


@register.simple_tag(takes_context=True)
def involvement_rows(context: Any, rows: Any) -> SafeString:
    return detail_rows.involvement_rows(rows, **_page(context))


@register.simple_tag(takes_context=True)
def source_rows(context: Any, rows: Any) -> SafeString:
    return detail_rows.source_rows(rows, **_page(context))


@register.simple_tag(takes_context=True)
def intervention_rows(context: Any, rows: Any) -> SafeString:
    return detail_rows.intervention_rows(rows, **_page(context))
