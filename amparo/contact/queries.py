"""The one way to load contact messages: by team and, for the Protection Desk, by the
organisation whose desk it was written to, for the people who answer them (rules.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from amparo.contact import rules
from amparo.contact.enums import Team
from amparo.contact.models import ContactMessage, Reply
from amparo.core.paging import Page, page_from

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

#: The inbox lists codes, dates and the desk's name only: no Tier-1 field is read (or
#: decrypted) there.
LIST_FIELDS = (
    "id",
    "team",
    "kind",
    "language",
    "status",
    "created_at",
    "organisation__name",
)


def messages_visible_to(user: User | AnonymousUser) -> QuerySet[ContactMessage]:
    """The messages the person reads (rules.reach_of), each with the organisation whose desk
    it was written to; PermissionDenied for people who hold no `contact.handle`. Someone who
    holds it and reaches no message (the admin of an office or a partner: general questions
    go to the global team's) gets an empty inbox, which says where messages go."""
    if not rules.handles_contact(user):
        raise PermissionDenied
    reach = rules.reach_of(user)
    visible = Q(pk__in=[])
    if reach.global_teams:
        visible |= Q(team__in=sorted(reach.global_teams))
    if reach.desks:
        visible |= Q(team=Team.DESK, organisation_id__in=sorted(reach.desks))
    if reach.unrouted_desk:
        visible |= Q(team=Team.DESK, organisation__isnull=True)
    if reach.general:
        visible |= Q(team=Team.GENERAL)
    return ContactMessage.objects.filter(visible).select_related("organisation")


def inbox_page(
    messages: QuerySet[ContactMessage], *, after: str | None, size: int
) -> Page[ContactMessage]:
    """Newest first by (created_at, id); the cursor is the last row's id."""
    rows = messages.only(*LIST_FIELDS).order_by("-created_at", "-id")
    if after:
        try:
            last = messages.select_related(None).only("created_at").filter(pk=UUID(after)).first()
        except ValueError:
            last = None
        if last is not None:
            rows = rows.filter(
                Q(created_at__lt=last.created_at) | Q(created_at=last.created_at, id__lt=last.pk)
            )
    return page_from(rows[: size + 1], size=size, is_first=not after)


def get_message_for_user(user: User | AnonymousUser, message_id: UUID) -> ContactMessage:
    """404 for a message to another team, or to another organisation's desk: its existence
    is not theirs to know."""
    return get_object_or_404(messages_visible_to(user), pk=message_id)


def replies_of(message: ContactMessage) -> list[Reply]:
    return list(message.replies.select_related("author").all())
