"""Whether to show the link to an organisation's audit log, using the same rule as the page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from amparo.audit import rules

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import Organisation, User

register = template.Library()


@register.filter
def can_read_audit_log_of(user: User | AnonymousUser, organisation: Organisation) -> bool:
    return rules.can_view_audit_log(user, organisation)
