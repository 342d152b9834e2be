"""What the pages that htmx updates by itself share: the version a polling element shows
(If-None-Match), so an unchanged answer can be a 304 (STYLE.md section 8)."""

from __future__ import annotations

from django.http import HttpRequest


def if_none_match(request: HttpRequest) -> set[str]:
    """The entity tags the request says it already has, weak ones (`W/"..."`) read as strong:
    a polled fragment compares them with its current version."""
    header = request.headers.get("If-None-Match", "")
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}
