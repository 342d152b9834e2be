"""`{{ formset|party_rows }}` and `{{ formset|management_inputs }}` of `_party_rows.html`:
the rows written in Python (`incidents.party_rows`, ADR 0062)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from amparo.incidents import party_rows as writers

register = template.Library()


@register.filter
def party_rows(formset: Any) -> SafeString:
    return writers.write_rows(formset)


@register.filter
def management_inputs(formset: Any) -> SafeString:
    return writers.management_form(formset)


@register.filter
def non_form_errors(formset: Any) -> SafeString:
    return writers.non_form_errors(formset)
