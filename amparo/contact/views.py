"""The contact inboxes (/contact/inbox/): one per team, for the people who answer it; the
Protection Desk's is one per organisation's desk (ADR 0061). The page says whose messages the
person reads and who else reads them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.contact import queries, rules, services
from amparo.contact.enums import MessageStatus, Team
from amparo.contact.forms import ReplyForm, StatusForm
from amparo.contact.models import ContactMessage
from amparo.core.locking import EditConflict
from amparo.core.pages import rebound, user_of

PAGE_SIZE = 50


def _stale() -> str:
    return _(
        "Someone else changed this message after you opened it. What you wrote is kept below: "
        "check the current state and send again."
    )


def _scopes(reach: rules.Reach) -> list[str]:
    """What the person reads, one sentence per inbox, saying who else reads it."""
    lines = []
    if Team.LIBRARY in reach.global_teams:
        lines.append(
            _(
                "The library: one inbox for the whole platform. Every librarian, in any "
                "organisation, reads these messages."
            )
        )
    if Team.OBSERVATORY in reach.global_teams:
        lines.append(
            _(
                "The Focus Observatory: one inbox for the whole platform. Every observatory "
                "editor, in any organisation, reads these messages."
            )
        )
    for name in reach.desks.values():
        lines.append(
            _(
                "The Protection Desk of %(organisation)s: messages written to this desk. Only "
                "its desk officers and leads read them."
            )
            % {"organisation": name}
        )
    if reach.unrouted_desk:
        lines.append(
            _(
                "The Protection Desk, messages sent before senders could choose a desk: every "
                "desk officer and lead of the platform reads them, as when they were sent."
            )
        )
    if reach.general:
        lines.append(
            _(
                "General questions about the platform: the administrators of the global team "
                "read them."
            )
        )
    return lines


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    items = queries.messages_visible_to(user)
    reach = rules.reach_of(user)
    teams = sorted(reach.teams)
    team = request.GET.get("team", "")
    if team in teams:
        items = items.filter(team=team)
    status = request.GET.get("status", "")
    if status in MessageStatus.values:
        items = items.filter(status=status)
    page = queries.inbox_page(items, after=request.GET.get("after"), size=PAGE_SIZE)
    context = {
        "page": page,
        "items": page.rows,
        "teams": [(value, Team(value).label) for value in teams],
        "team": team,
        "status": status,
        "statuses": MessageStatus.choices,
        "scopes": _scopes(reach),
    }
    return render(request, "contact/inbox.html", context)


def _detail(
    request: HttpRequest, item: ContactMessage, *, status: int = 200, **forms: Form
) -> HttpResponse:
    context = {
        "item": item,
        "replies": queries.replies_of(item),
        "status_form": forms.get("status_form")
        or StatusForm(initial={"status": item.status, "version": item.version}),
        "reply_form": forms.get("reply_form") or ReplyForm(initial={"version": item.version}),
    }
    return render(request, "contact/message_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def message_detail(request: HttpRequest, message_id: UUID) -> HttpResponse:
    user = user_of(request)
    item = queries.get_message_for_user(user, message_id)
    if request.method != "POST":
        return _detail(request, item)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_status(
                message=item,
                actor=user,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
            )
        except EditConflict as error:
            current: Any = error.current
            form = StatusForm(rebound(request, current.version))
            form.is_valid()
            form.add_error(None, _stale())
            return _detail(request, current, status=409, status_form=form)
        messages.success(request, _("The status was saved."))
        return redirect(item)
    return _detail(request, item, status=422, status_form=form)


@require_POST
def message_reply(request: HttpRequest, message_id: UUID) -> HttpResponse:
    user = user_of(request)
    item = queries.get_message_for_user(user, message_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.send_reply(
                message=item,
                actor=user,
                expected_version=form.cleaned_data["version"],
                body=form.cleaned_data["body"],
            )
        except EditConflict as error:
            current: Any = error.current
            form = ReplyForm(rebound(request, current.version))
            form.is_valid()
            form.add_error(None, _stale())
            return _detail(request, current, status=409, reply_form=form)
        except services.ContactError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The reply was sent."))
            return redirect(item)
    item = queries.get_message_for_user(user, message_id)
    return _detail(request, item, status=422, reply_form=form)
