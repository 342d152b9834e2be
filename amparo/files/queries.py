"""The one access path to attachments, for pages, API and jobs.

Invisible attachments raise Http404, so nobody can probe for another organisation's files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from amparo.accounts import rules as account_rules
from amparo.files import rules
from amparo.files.models import Attachment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User


def attachments_visible_to(user: User | AnonymousUser) -> QuerySet[Attachment]:
    """Attachments of the organisations where the user may see attachments."""
    organisation_ids = [
        m.organisation_id
        for m in account_rules.active_memberships(user)
        if rules.can_view_attachments(user, m.organisation)
    ]
    return (
        Attachment.objects.filter(organisation_id__in=organisation_ids)
        .select_related("uploaded_by")
        .order_by("-created_at", "-id")
    )


def get_attachment_for_user(user: User | AnonymousUser, attachment_id: UUID) -> Attachment:
    return get_object_or_404(attachments_visible_to(user), pk=attachment_id)
