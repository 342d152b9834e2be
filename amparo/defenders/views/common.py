"""What the defenders pages share: the signed-in user, labels translated once per page, and
the detail page's context (sub-forms re-render it with their errors)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from amparo.accounts.models import User
from amparo.core.choices import translated_labels
from amparo.core.field_groups import form_fields
from amparo.defenders import queries, rules, sections
from amparo.defenders.enums import AgeGroup, DefenderStatus
from amparo.defenders.forms import (
    INTERSECTIONAL,
    ChannelForm,
    ConsentForm,
    WithdrawConsentForm,
)
from amparo.defenders.models import (
    CollectiveMember,
    ConsentRecord,
    Defender,
    DefenderCategory,
)


def current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 -- LoginRequiredMiddleware guarantees it
    return user


def _labels(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def with_labels(rows: Iterable[Defender], *, categories: bool = True) -> list[Defender]:
    """Attach translated labels to defenders: the detail page's, and the search results and
    possible duplicates of the forms (the list's rows are written by `rows.defender_rows`).
    With `categories`, the rows should come with their categories (prefetched, or read by
    `queries.get_defender_page`); pages that show none (search results, possible duplicates)
    leave them out rather than query each row."""
    # Translated once per process and language (core.choices), not once per page.
    kinds, statuses = translated_labels(Defender, "kind"), translated_labels(Defender, "status")
    category_labels = translated_labels(DefenderCategory, "code")
    types = translated_labels(Defender, "collective_type")
    page = list(rows)
    for defender in page:
        defender.kind_label = kinds.get(defender.kind, defender.kind)  # type: ignore[attr-defined]
        defender.status_label = statuses.get(defender.status, defender.status)  # type: ignore[attr-defined]
        defender.type_label = types.get(defender.collective_type, "")  # type: ignore[attr-defined]
        defender.category_labels = (  # type: ignore[attr-defined]
            [category_labels.get(code, code) for code in queries.category_codes_of(defender)]
            if categories
            else []
        )
    return page


def withdraw_form(consent: Any, data: Any = None) -> WithdrawConsentForm:
    # One form per consent on the page: their ids must not collide.
    return WithdrawConsentForm(
        data,
        auto_id=f"id_withdraw_{consent.pk.hex[:12]}_%s",
        initial={"withdrawn_on": timezone.localdate()},
    )


def blank_channel_form() -> ChannelForm:
    return ChannelForm(prefix="channel", initial={"is_safe": True})


def blank_consent_form(today: date) -> ConsentForm:
    return ConsentForm(prefix="consent", initial={"given_on": today})


# Everyone who may edit a record gets the same two blank forms (the channel's, and the
# consent's dated today): their fields are written once per language (and day), not by the
# wrappers on every request. A form sent back with errors is written from itself.
@functools.lru_cache(maxsize=32)
def blank_channel_fields(language: str | None) -> SafeString:
    return form_fields(blank_channel_form())


@functools.lru_cache(maxsize=64)
def blank_consent_fields(language: str | None, today: date) -> SafeString:
    return form_fields(blank_consent_form(today))


def _intersectional(defender: Defender) -> list[tuple[str, str]]:
    saved = defender.intersectional or {}
    rows = []
    for key, label in INTERSECTIONAL.items():
        value = saved.get(key, "")
        if value:
            if key == "age_group":
                value = _labels(AgeGroup.choices).get(value, value)
            rows.append((str(label), value))
    return rows


def render_detail(
    request: HttpRequest,
    defender: Defender,
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    """The defender's page, for a defender from `queries.get_defender_page`. Sub-forms that
    failed come in `forms` (bound, with errors) and the page answers 422 with what the person
    typed still in them.

    Close people and the sharing panel have pages of their own (`close-people`, `shares`):
    the page counts them and links there. Relatives are the most sensitive part of a record,
    so they are decrypted only when someone opens them, and the page stays within its query
    budget whatever else is recorded."""
    user = current_user(request)
    can_edit = rules.can_edit_defender(user, defender)
    consents = list(queries.page_consents(defender))
    scopes = translated_labels(ConsentRecord, "scope")
    roles = translated_labels(CollectiveMember, "role")
    failed_withdrawal = forms.pop("withdraw", None)
    for consent in consents:
        consent.scope_label = scopes.get(consent.scope, consent.scope)  # type: ignore[attr-defined]
        if not (can_edit and consent.is_active):
            continue  # the page offers no withdrawal form: none is built
        consent.withdraw_form = (  # type: ignore[attr-defined]
            failed_withdrawal[1]
            if failed_withdrawal and failed_withdrawal[0] == consent.pk
            else withdraw_form(consent)
        )
        consent.withdraw_fields = form_fields(consent.withdraw_form)  # type: ignore[attr-defined]
    members, collectives = queries.collective_links(user, defender)
    for link in [*members, *collectives]:
        link.role_label = roles.get(link.role, link.role)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "defender": with_labels([defender])[0],
        "intersectional": _intersectional(defender),
        "channels": list(queries.page_channels(defender)),
        "active_consents": [c for c in consents if c.is_active],
        "withdrawn_consents": [c for c in consents if not c.is_active],
        "members": members,
        "hidden_members": queries.hidden_member_count(defender, len(members)),
        "collectives": collectives,
        "can_edit": can_edit,
        "can_see_shares": rules.can_see_shares(user, defender),
        "can_share": rules.can_share_defender(user, defender),
        "can_change_status": rules.can_change_status(user, defender),
        "can_see_read_log": rules.can_see_read_log(user, defender),
        "can_add_members": can_edit and defender.is_collective,
        "is_self": defender.user_id is not None and defender.user_id == user.pk,
        "is_draft": defender.status == DefenderStatus.DRAFT,
        "related_sections": sections.rendered_for(user, defender),
    }
    if can_edit:
        today = timezone.localdate()
        channel_form = forms.get("channel")
        consent_form = forms.get("consent")
        context |= {
            "channel_form": channel_form or blank_channel_form(),
            "channel_fields": (
                form_fields(channel_form) if channel_form else blank_channel_fields(get_language())
            ),
            "consent_form": consent_form or blank_consent_form(today),
            "consent_fields": (
                form_fields(consent_form)
                if consent_form
                else blank_consent_fields(get_language(), today)
            ),
        }
    return render(request, "defenders/defender_detail.html", context, status=status)
