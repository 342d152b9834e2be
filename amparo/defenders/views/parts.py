"""The parts of a defender's record, each added or removed by a small form: contact channels
and consents on the defender's page; close people, members and shares on pages of their own,
linked from it.

Every form posts here and redirects back (post/redirect/get). A form with errors re-renders
the page it came from with status 422 and what the person typed.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.permissions import Perm
from amparo.core.field_groups import form_fields
from amparo.defenders import queries, rules, services
from amparo.defenders.enums import CloseRelation, DefenderKind
from amparo.defenders.forms import (
    ChannelForm,
    ClosePersonForm,
    ConsentForm,
    MemberForm,
    MemberSearchForm,
    NewMemberForm,
    ShareForm,
)
from amparo.defenders.models import Defender
from amparo.defenders.views.common import current_user, render_detail, with_labels, withdraw_form

#: Matches shown on the members page; more means the person should type more of the name.
RESULTS_SHOWN = 50


def _back(defender: Defender, anchor: str) -> HttpResponse:
    return redirect(f"{defender.get_absolute_url()}#{anchor}")


# --- contact channels ---


@require_POST
def channel_add(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    user = current_user(request)
    defender = queries.get_defender_for_user(user, defender_id, for_write=True)
    form = ChannelForm(request.POST, prefix="channel")
    if not form.is_valid():
        page = queries.get_defender_page(user, defender_id)
        return render_detail(request, page, status=422, channel=form)
    services.add_channel(defender=defender, actor=user, **form.cleaned_data)
    messages.success(request, _("The contact channel was added."))
    return _back(defender, "channels")


@require_POST
def channel_remove(request: HttpRequest, channel_id: UUID) -> HttpResponse:
    channel = queries.get_channel_for_user(request.user, channel_id, for_write=True)
    defender = channel.defender
    services.remove_channel(channel=channel, actor=current_user(request))
    messages.success(request, _("The contact channel was removed."))
    return _back(defender, "channels")


# --- consent ---


@require_POST
def consent_add(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    user = current_user(request)
    defender = queries.get_defender_for_user(user, defender_id, for_write=True)
    form = ConsentForm(request.POST, prefix="consent")
    if not form.is_valid():
        page = queries.get_defender_page(user, defender_id)
        return render_detail(request, page, status=422, consent=form)
    services.record_consent(defender=defender, actor=user, **form.cleaned_data)
    messages.success(request, _("The consent was recorded."))
    return _back(defender, "consents")


@require_POST
def consent_withdraw(request: HttpRequest, consent_id: UUID) -> HttpResponse:
    user = current_user(request)
    consent = queries.get_consent_for_user(user, consent_id, for_write=True)
    form = withdraw_form(consent, request.POST)
    error = ""
    if form.is_valid():
        try:
            services.withdraw_consent(
                consent=consent, actor=user, on=form.cleaned_data["withdrawn_on"]
            )
        except services.DefenderError as failure:
            error = failure.message
        else:
            messages.success(request, _("The withdrawal of consent was recorded."))
            return _back(consent.defender, "consents")
    if error:
        form.add_error("withdrawn_on", error)
    defender = queries.get_defender_page(user, consent.defender_id)
    return render_detail(request, defender, status=422, withdraw=(consent.pk, form))


# --- close people ---


def _after(request: HttpRequest) -> UUID | None:
    """The `after` cursor of a sub-page; anything other than an id starts from the top."""
    try:
        return UUID(request.GET.get("after", ""))
    except ValueError:
        return None


def _render_close_people(
    request: HttpRequest,
    defender: Defender,
    *,
    form: ClosePersonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = current_user(request)
    can_edit = rules.can_edit_defender(user, defender)
    people, next_after = queries.close_people_page(defender, _after(request))
    relations = dict(CloseRelation.choices)
    for person in people:
        person.relation_label = relations.get(person.relation, person.relation)  # type: ignore[attr-defined]
    shown = (form or ClosePersonForm(prefix="close")) if can_edit else None
    context = {
        "defender": defender,
        "people": people,
        "next_after": next_after,
        "can_edit": can_edit,
        "form": shown,
        "form_fields": form_fields(shown) if shown is not None else "",
    }
    return render(request, "defenders/close_people.html", context, status=status)


@require_GET
def close_people(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    """Relatives, children and colleagues of the defender (DEF-4): their own page, so they are
    decrypted (and the read audited) only when someone opens them."""
    defender = queries.get_defender_for_user(current_user(request), defender_id)
    return _render_close_people(request, defender)


@require_POST
def close_person_add(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    user = current_user(request)
    defender = queries.get_defender_for_user(user, defender_id, for_write=True)
    form = ClosePersonForm(request.POST, prefix="close")
    if not form.is_valid():
        return _render_close_people(request, defender, form=form, status=422)
    services.add_close_person(defender=defender, actor=user, **form.cleaned_data)
    messages.success(request, _("The close person was added."))
    return _to_close_people(defender)


@require_POST
def close_person_remove(request: HttpRequest, close_person_id: UUID) -> HttpResponse:
    person = queries.get_close_person_for_user(request.user, close_person_id, for_write=True)
    defender = person.defender
    services.remove_close_person(person=person, actor=current_user(request))
    messages.success(request, _("The close person was removed."))
    return _to_close_people(defender)


def _to_close_people(defender: Defender) -> HttpResponse:
    return redirect("defenders:close-people", defender_id=defender.pk)


# --- members of a collective ---


def _collective_for_write(request: HttpRequest, defender_id: UUID) -> Defender:
    collective = queries.get_defender_for_user(request.user, defender_id, for_write=True)
    if not collective.is_collective:
        raise Http404  # an individual has no members page
    return collective


def _render_members(
    request: HttpRequest,
    collective: Defender,
    *,
    member_form: MemberForm | None = None,
    new_form: NewMemberForm | None = None,
    duplicates: list[Defender] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = current_user(request)
    search = MemberSearchForm(request.GET or None)
    text = search.cleaned_data["q"].strip() if search.is_valid() else ""
    found = queries.individuals_for_membership(user, collective, text) if text else None
    can_create = rules.is_keeping_staff(user, collective, Perm.DEFENDERS_EDIT)
    context = {
        "collective": collective,
        "search": search,
        "searching": bool(text),
        "results": with_labels(found.defenders[:RESULTS_SHOWN], categories=False) if found else [],
        "truncated": bool(found and (found.truncated or len(found.defenders) > RESULTS_SHOWN)),
        "member_form": member_form or MemberForm(),
        "new_form": (new_form or NewMemberForm(prefix="new")) if can_create else None,
        "duplicates": with_labels(duplicates or [], categories=False),
    }
    return render(request, "defenders/member_add.html", context, status=status)


@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    """Find a visible individual defender by pseudonym or code, and make them a member."""
    user = current_user(request)
    collective = _collective_for_write(request, defender_id)
    if request.method == "GET":
        return _render_members(request, collective)
    form = MemberForm(request.POST)
    if form.is_valid():
        member = queries.get_defender_for_user(user, form.cleaned_data["member"])
        try:
            services.add_member(
                collective=collective,
                member=member,
                actor=user,
                role=form.cleaned_data["role"],
                since=form.cleaned_data["since"],
            )
        except services.DefenderError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(code)s is now a member.") % {"code": member.code})
            return _back(collective, "members")
    return _render_members(request, collective, member_form=form, status=422)


@require_POST
def member_new(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    """Record a new person by pseudonym and make them a member, after the duplicate check."""
    user = current_user(request)
    collective = _collective_for_write(request, defender_id)
    if not rules.is_keeping_staff(user, collective, Perm.DEFENDERS_EDIT):
        raise PermissionDenied  # a new record is kept by the desk, so the desk makes it
    form = NewMemberForm(request.POST, prefix="new")
    duplicates: list[Defender] = []
    if form.is_valid():
        pseudonym = form.cleaned_data["pseudonym"].strip()
        duplicates = [
            d
            for d in queries.possible_duplicates(user, [pseudonym]).defenders
            if d.kind == DefenderKind.INDIVIDUAL
        ]
        if duplicates and not form.cleaned_data["not_duplicate"]:
            form.add_error(
                "pseudonym",
                _("People with a similar name are recorded: add one of them, or confirm."),
            )
        else:
            link = services.create_member(
                collective=collective,
                actor=user,
                pseudonym=pseudonym,
                role=form.cleaned_data["role"],
                since=form.cleaned_data["since"],
            )
            messages.success(
                request,
                _("%(code)s was recorded as a draft and is now a member.")
                % {"code": link.member.code},
            )
            return _back(collective, "members")
    return _render_members(request, collective, new_form=form, duplicates=duplicates, status=422)


@require_POST
def member_remove(request: HttpRequest, link_id: UUID) -> HttpResponse:
    link = queries.get_membership_for_user(request.user, link_id, for_write=True)
    collective = link.collective
    services.remove_member(link=link, actor=current_user(request))
    messages.success(request, _("The member was removed from the collective."))
    return _back(collective, "members")


# --- shares ---


def _render_shares(
    request: HttpRequest,
    defender: Defender,
    *,
    form: ShareForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = current_user(request)
    can_share = rules.can_share_defender(user, defender)
    shares, next_after = queries.keyset_page(
        queries.shares_of(defender), _after(request), queries.PART_PAGE
    )
    if can_share and form is None:
        organisations = list(queries.shareable_organisations(defender))
        form = ShareForm(prefix="share", organisations=organisations)
    context = {
        "defender": defender,
        "shares": shares,
        "next_after": next_after,
        "can_share": can_share,
        "form": form if can_share else None,
    }
    return render(request, "defenders/shares.html", context, status=status)


@require_GET
def shares(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    """With whom the record is shared: the keeping desk, the defender themselves and their
    collective see it (rules.can_see_shares); the desk lead changes it."""
    user = current_user(request)
    defender = queries.get_defender_for_user(user, defender_id)
    if not rules.can_see_shares(user, defender):
        raise PermissionDenied
    return _render_shares(request, defender)


@require_POST
def share_add(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    user = current_user(request)
    defender = queries.get_defender_for_user(user, defender_id)
    if not rules.can_share_defender(user, defender):
        raise PermissionDenied
    organisations = list(queries.shareable_organisations(defender))
    form = ShareForm(request.POST, prefix="share", organisations=organisations)
    if form.is_valid():
        try:
            services.share_defender(
                defender=defender, organisation=form.cleaned_data["organisation"], actor=user
            )
        except services.DefenderError as error:
            form.add_error("organisation", error.message)
        else:
            messages.success(request, _("The record is now shared."))
            return _to_shares(defender)
    return _render_shares(request, defender, form=form, status=422)


@require_POST
def share_remove(request: HttpRequest, share_id: UUID) -> HttpResponse:
    share = queries.get_share_for_user(request.user, share_id, for_write=True)
    defender = share.defender
    services.unshare_defender(share=share, actor=current_user(request))
    messages.success(request, _("The record is no longer shared with that organisation."))
    return _to_shares(defender)


def _to_shares(defender: Defender) -> HttpResponse:
    return redirect("defenders:shares", defender_id=defender.pk)
