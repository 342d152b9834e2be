"""The one way to load contact messages: by team, for the people who answer that team."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from amparo.contact import rules
from amparo.contact.models import ContactMessage, Reply
from amparo.core.paging import Page, page_from

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

#: The inbox lists codes and dates only: no Tier-1 field is read (or decrypted) there.
LIST_FIELDS = ("id", "team", "kind", "language", "status", "created_at")


def messages_visible_to(user: User | AnonymousUser) -> QuerySet[ContactMessage]:
    """Messages to the user's teams; PermissionDenied for people who answer no team."""
    teams = rules.teams_of(user)
    if not teams:
        raise PermissionDenied
    return ContactMessage.objects.filter(team__in=teams)


def inbox_page(
    messages: QuerySet[ContactMessage], *, after: str | None, size: int
) -> Page[ContactMessage]:
    """Newest first by (created_at, id); the cursor is the last row's id."""
    rows = messages.only(*LIST_FIELDS).order_by("-created_at", "-id")
    if after:
        try:
            last = messages.only("created_at").filter(pk=UUID(after)).first()
        except ValueError:
            last = None
        if last is not None:
            rows = rows.filter(
                Q(created_at__lt=last.created_at) | Q(created_at=last.created_at, id__lt=last.pk)
            )
    return page_from(rows[: size + 1], size=size, is_first=not after)


def get_message_for_user(user: User | AnonymousUser, message_id: UUID) -> ContactMessage:
    """404 for a message to another team: its existence is not theirs to know."""
    return get_object_or_404(messages_visible_to(user), pk=message_id)


def replies_of(message: ContactMessage) -> list[Reply]:
    return list(message.replies.select_related("author").all())
