"""Pages of the accounts domain: settings, organisations, members, invitations."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY as TOTP_SECRET_SESSION_KEY
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.signals import setting_changed
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.autoreload import file_changed
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts import queries, rules, services
from amparo.accounts.enums import InvitationStatus, Role
from amparo.accounts.forms import (
    InvitationForm,
    InvitationRegistrationForm,
    OrganisationSwitchForm,
    ProfileForm,
    RoleChangeForm,
    VersionForm,
)
from amparo.accounts.middleware import SESSION_ORGANISATION, has_second_factor
from amparo.accounts.models import Invitation, Membership, Organisation, User
from amparo.core.csrf import csrf_input
from amparo.core.field_groups import form_fields
from amparo.core.locking import EditConflict

if TYPE_CHECKING:
    from django.db.models import QuerySet

SESSION_INVITATION = "amparo_invitation"
PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 -- LoginRequiredMiddleware guarantees it
    return user


# --- Account settings ---


@require_GET
def mfa_required(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/mfa_required.html")


@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings were saved."))
        return redirect("accounts:settings")
    context = {
        "form": form,
        "memberships": rules.active_memberships(user),
        "has_factor": has_second_factor(user.pk),
        "mfa_required": rules.requires_mfa(user),
    }
    return render(request, "accounts/settings.html", context, status=422 if form.errors else 200)


@require_GET
def totp_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the secret being enrolled, as an image of this site (the CSP allows no
    data: URIs). Only the secret already in this person's session is drawn."""
    secret = request.session.get(TOTP_SECRET_SESSION_KEY)
    if not secret:
        raise Http404
    adapter = get_mfa_adapter()
    svg = adapter.build_totp_svg(adapter.build_totp_url(request.user, secret))
    return HttpResponse(svg, content_type="image/svg+xml")


# --- Organisations ---


@require_POST
def organisation_switch(request: HttpRequest) -> HttpResponse:
    form = OrganisationSwitchForm(request.POST)
    if form.is_valid():
        organisation = queries.get_organisation_for_user(
            request.user, form.cleaned_data["organisation"]
        )
        request.session[SESSION_ORGANISATION] = str(organisation.pk)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("core:dashboard")
    return redirect(target)


@require_GET
def organisation_detail(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    organisation = queries.get_organisation_for_user(request.user, organisation_id)
    context = {
        "organisation": organisation,
        "roles": sorted(rules.roles_in(request.user, organisation)),
        "accompanied": list(organisation.accompanied_collectives.filter(is_active=True)),
        "accompanying": list(organisation.accompanied_by.filter(is_active=True)),
        "can_view_members": rules.can_view_members(request.user, organisation),
        "can_manage_invitations": rules.can_manage_invitations(request.user, organisation),
        "can_manage_keys": rules.can_manage_keys(request.user, organisation),
    }
    return render(request, "accounts/organisation_detail.html", context)


def _organisation_with(request: HttpRequest, organisation_id: UUID, check: Any) -> Organisation:
    """Load through the access path, then apply the page's own rule (403 when it fails)."""
    organisation = queries.get_organisation_for_user(request.user, organisation_id)
    if not check(request.user, organisation):
        raise PermissionDenied
    return organisation


@require_GET
def member_list(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    organisation = _organisation_with(request, organisation_id, rules.can_view_members)
    memberships = queries.memberships_visible_to(request.user).filter(organisation=organisation)
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = rules.can_manage_members(request.user, organisation)
    labels = {
        "person": _("Person"),
        "role": _("Role"),
        "status": _("Status"),
        "active": _("Active"),
        "ended": _("Ended"),
        "change": _("Change role or end"),
    }
    # The rows are read as plain values, only the columns shown: loading whole Membership,
    # User and Organisation objects took longer than rendering the page.
    on_page = cast("QuerySet[Membership]", page.object_list)  # the queryset's slice
    rows = on_page.values_list("pk", "role", "is_active", "user__email", "user__display_name")
    context = {
        "organisation": organisation,
        "page": page,
        # The page's Membership objects, not loaded: the page shows `rows_html`.
        "memberships": on_page,
        "labels": labels,
        "rows_html": _member_rows(rows, labels, can_manage=can_manage),
        "can_manage": can_manage,
    }
    return render(request, "accounts/member_list.html", context)


@require_GET
def membership_detail(request: HttpRequest, membership_id: UUID) -> HttpResponse:
    """Where an admin changes one person's role or ends it (one form per page keeps the member
    list light enough for a phone)."""
    membership = queries.get_membership_for_user(request.user, membership_id, for_write=True)
    context = {"membership": membership, "roles": [(v, str(label)) for v, label in Role.choices]}
    return render(request, "accounts/membership_detail.html", context)


def _conflict(request: HttpRequest, error: EditConflict, mine: dict[str, Any]) -> HttpResponse:
    current = error.current
    assert isinstance(current, Membership)  # noqa: S101 -- only memberships are edited here
    context = {"current": current, "mine": mine, "organisation": current.organisation}
    return render(request, "accounts/membership_conflict.html", context, status=409)


@require_POST
@reauthentication_required
def membership_change_role(request: HttpRequest, membership_id: UUID) -> HttpResponse:
    membership = queries.get_membership_for_user(request.user, membership_id, for_write=True)
    form = RoleChangeForm(request.POST)
    if form.is_valid():
        role = Role(form.cleaned_data["role"])
        try:
            services.change_role(
                membership=membership,
                role=role,
                expected_version=form.cleaned_data["version"],
                actor=_user(request),
            )
        except EditConflict as error:
            return _conflict(request, error, {"role": role.label})
        except services.MembershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The role was changed."))
    else:
        messages.error(request, _("Choose one of the listed roles."))
    return redirect("accounts:member-list", membership.organisation_id)


@require_POST
@reauthentication_required
def membership_end(request: HttpRequest, membership_id: UUID) -> HttpResponse:
    membership = queries.get_membership_for_user(request.user, membership_id, for_write=True)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.end_membership(
                membership=membership,
                expected_version=form.cleaned_data["version"],
                actor=_user(request),
            )
        except EditConflict as error:
            return _conflict(request, error, {"role": _("(membership ended)")})
        except services.MembershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The membership was ended."))
    return redirect("accounts:member-list", membership.organisation_id)


_STAND_IN_ID = UUID(int=0)


def _row_url(viewname: str) -> Callable[[UUID], str]:
    """The URL of `viewname` for any row's id, from one reverse() per page: the URL is built
    with a stand-in id and split around it. A `{% url %}` per row cost more than the rest of
    the row."""
    head, found, tail = reverse(viewname, args=[_STAND_IN_ID]).partition(str(_STAND_IN_ID))
    if not found:
        raise ValueError(f"{viewname} does not take the row's id as its argument")
    return lambda pk: f"{head}{pk}{tail}"


# --- Table rows ---
#
# A list page shows 50 rows. Rendered by the template engine, each row's dozen variables and
# conditions cost more than the rest of the page together; written here they cost a few string
# operations. The markup is exactly what the templates printed before. Every value goes through
# `escape`, labels included: the standard library's, which Django's autoescaping applies to
# plain strings (all of these are). Labels of choices are translated once per page, not once per
# row as get_FOO_display() does (it translates every choice of the field on each call).


def _member_rows(
    rows: Iterable[tuple[UUID, str, bool, str, str]], labels: dict[str, str], *, can_manage: bool
) -> str:
    detail_url = _row_url("accounts:membership-detail")
    role_labels = {value: escape(str(label)) for value, label in Role.choices}
    person, role, status, active, ended, change = (
        escape(labels[key]) for key in ("person", "role", "status", "active", "ended", "change")
    )
    html = []
    for pk, role_value, is_active, email, display_name in rows:
        name = escape(display_name or email)  # as User.__str__
        small = f"<br><small>{escape(email)}</small>" if display_name else ""
        if can_manage:
            link = (
                f'<a href="{escape(detail_url(pk))}">{change}'
                f'<span class="visually-hidden">: {name}</span></a>'
                if is_active
                else ""
            )
            manage = f"<td>{link}</td>"
        else:
            manage = ""
        html.append(
            "\n  <tr>"
            f'\n    <td data-label="{person}">{name}{small}</td>'
            f'\n    <td data-label="{role}">{role_labels[role_value]}</td>'
            f'\n    <td data-label="{status}">{active if is_active else ended}</td>'
            f"\n    {manage}"
            "\n  </tr>\n  "
        )
    return mark_safe("".join(html))  # noqa: S308 -- every value above is escaped


# Format characters whose output depends on the calendar day alone (django.utils.dateformat).
_DAY_ONLY = frozenset("bdDEFjlLmMnNoStwWyYz")


def _date_printer(format_name: str) -> Callable[[datetime], str]:
    """What `{{ value|date:format_name }}` prints, with the format and the time zone looked up
    once and, when the format shows nothing finer than the day, each day formatted once:
    invitations sent together expire together, and formatting a date cost more than the rest of
    its row."""
    fmt = formats.get_format(format_name)
    zone = timezone.get_current_timezone() if settings.USE_TZ else None

    def local(value: datetime) -> datetime:  # template_localtime(), with the zone looked up once
        return value.astimezone(zone) if zone and timezone.is_aware(value) else value

    if not set(dateformat.re_formatchars.findall(fmt)) <= _DAY_ONLY:
        return lambda value: dateformat.format(local(value), fmt)
    days: dict[date, str] = {}

    def printed(value: datetime) -> str:
        day = local(value)
        text = days.get(day.date())
        if text is None:
            text = days[day.date()] = dateformat.format(day, fmt)
        return text

    return printed


@dataclass(frozen=True, slots=True)
class _InvitationRow:
    """One row of the invitation list, read as plain values."""

    pk: UUID
    email: str
    role: str
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None

    # The model's own rule, applied to the row's values.
    status = Invitation.status


def _invitation_rows(
    rows: Iterable[_InvitationRow], labels: dict[str, str], *, csrf_token: str
) -> str:
    revoke_url = _row_url("accounts:invitation-revoke")
    short_date = _date_printer("SHORT_DATE_FORMAT")
    role_labels = {value: escape(str(label)) for value, label in Role.choices}
    status_labels = {value: escape(str(label)) for value, label in InvitationStatus.choices}
    csrf = csrf_input(csrf_token)
    email, role, status, expires, revoke = (
        escape(labels[key]) for key in ("email", "role", "status", "expires", "revoke")
    )
    html = []
    for invitation in rows:
        state = invitation.status  # type: ignore[misc]  # Invitation.status on the row's values
        if state == InvitationStatus.PENDING:
            form = (
                f'\n        <form method="post" action="{escape(revoke_url(invitation.pk))}">'
                f'{csrf}<button type="submit" class="button-small button-danger">'
                f"{revoke}</button></form>\n      "
            )
        else:
            form = ""
        html.append(
            "\n    <tr>"
            f'\n      <td data-label="{email}">{escape(invitation.email)}</td>'
            f'\n      <td data-label="{role}">{role_labels[invitation.role]}</td>'
            f'\n      <td data-label="{status}">{status_labels[state]}</td>'
            f'\n      <td data-label="{expires}">{escape(short_date(invitation.expires_at))}</td>'
            f"\n      <td>{form}</td>"
            "\n    </tr>\n    "
        )
    return mark_safe("".join(html))  # noqa: S308 -- every value above is escaped


# --- Invitations ---


@require_GET
def invitation_list(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    organisation = _organisation_with(request, organisation_id, rules.can_manage_invitations)
    return _render_invitations(request, organisation, _blank_invitation_form(get_language()))


# The empty invitation form, rendered once per language and process: it is the same for every
# organisation and person (no value, no error, every role), and its fields cost more to render
# than the rest of the page's content.
_blank_invitation_forms: dict[str, str] = {}


def _blank_invitation_form(language: str) -> str:
    html = _blank_invitation_forms.get(language)
    if html is None:
        form = InvitationForm(initial={"language": language})
        html = form_fields(form)
        if len(_blank_invitation_forms) >= len(settings.LANGUAGES):
            _blank_invitation_forms.clear()  # a bound on the keys, whatever get_language() says
        _blank_invitation_forms[language] = html
    return html


def _forget_blank_forms(**kwargs: Any) -> None:
    """Settings changed (tests override them), or the development server saw a file change."""
    _blank_invitation_forms.clear()


setting_changed.connect(_forget_blank_forms, dispatch_uid="accounts_blank_invitation_forms")
file_changed.connect(_forget_blank_forms, dispatch_uid="accounts_blank_invitation_forms")


@require_POST
@reauthentication_required
def invitation_create(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    """Inviting grants a role, so it asks for the password again when the last sign-in is old."""
    organisation = _organisation_with(request, organisation_id, rules.can_manage_invitations)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation, _token = services.invite_member(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=Role(form.cleaned_data["role"]),
                language=form.cleaned_data["language"],
                actor=_user(request),
            )
        except services.InvitationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("accounts:invitation-list", organisation.pk)
    form_html = form_fields(form)
    return _render_invitations(request, organisation, form_html, form=form, status=422)


def _render_invitations(
    request: HttpRequest,
    organisation: Organisation,
    form_html: str,
    *,
    form: InvitationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page; `form_html` is components/form_fields.html with the invitation form."""
    invitations = queries.invitations_visible_to(request.user).filter(organisation=organisation)
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    # Plain values, only the columns shown (see member_list).
    on_page = cast("QuerySet[Invitation]", page.object_list)  # the queryset's slice
    rows = [
        _InvitationRow(*values)
        for values in on_page.values_list(
            "pk", "email", "role", "expires_at", "accepted_at", "revoked_at"
        )
    ]
    labels = {
        "email": _("Email address"),
        "role": _("Role"),
        "status": _("Status"),
        "expires": _("Expires"),
        "revoke": _("Revoke"),
    }
    # One token for every form of the page, as {% csrf_token %} gives within one rendering.
    csrf_token = get_token(request)
    context = {
        "organisation": organisation,
        "form": form,
        "form_html": form_html,
        "page": page,
        # The page's Invitation objects, not loaded: the page shows `rows_html`.
        "invitations": on_page,
        "labels": labels,
        "rows_html": _invitation_rows(rows, labels, csrf_token=csrf_token),
        "csrf_token": csrf_token,
    }
    return render(request, "accounts/invitation_list.html", context, status=status)


@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: UUID) -> HttpResponse:
    invitation = queries.get_invitation_for_user(request.user, invitation_id, for_write=True)
    try:
        services.revoke_invitation(invitation=invitation, actor=_user(request))
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The invitation was revoked."))
    return redirect("accounts:invitation-list", invitation.organisation_id)


@login_not_required
@require_GET
def invitation_open(request: HttpRequest) -> HttpResponse:
    """The emailed link. The token moves into the session at once, so it leaves the address bar,
    the browser history and any proxy log of later requests."""
    token = request.GET.get("t", "")
    request.session[SESSION_INVITATION] = queries.hash_token(token) if token else ""
    return redirect("accounts:invitation-accept")


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest) -> HttpResponse:
    invitation = queries.invitation_for_hash(request.session.get(SESSION_INVITATION, ""))
    if invitation is None or not invitation.is_pending:
        return render(
            request, "accounts/invitation_invalid.html", {"invitation": invitation}, status=404
        )
    user = request.user
    if user.is_authenticated:
        return _accept_signed_in(request, invitation, _user(request))
    form = InvitationRegistrationForm(
        request.POST or None, email=invitation.email, initial={"language": get_language()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            new_user = services.register_from_invitation(
                invitation=invitation,
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password1"],
                language=form.cleaned_data["language"],
            )
        except services.InvitationError as error:
            form.add_error(None, str(error))
        else:
            request.session.pop(SESSION_INVITATION, None)
            login(request, new_user, backend="amparo.accounts.backends.AmparoAuthenticationBackend")
            # They typed their new password a moment ago: enrolling a second factor next must
            # not ask for it once more.
            record_authentication(
                request, new_user, method="password", email=new_user.email, reauthenticated=True
            )
            request.session[SESSION_ORGANISATION] = str(invitation.organisation_id)
            messages.success(request, _("Welcome to Amparo."))
            return redirect("core:dashboard")
    context = {"invitation": invitation, "form": form}
    status = 422 if form.errors else 200
    return render(request, "accounts/invitation_accept.html", context, status=status)


def _accept_signed_in(request: HttpRequest, invitation: Any, user: User) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            services.accept_invitation(invitation=invitation, user=user)
        except services.InvitationError as failure:
            error = str(failure)
        else:
            request.session.pop(SESSION_INVITATION, None)
            request.session[SESSION_ORGANISATION] = str(invitation.organisation_id)
            messages.success(
                request,
                _("You joined %(organisation)s.") % {"organisation": invitation.organisation},
            )
            return redirect("core:dashboard")
    matches = invitation.email.lower() == user.email.lower()
    context = {"invitation": invitation, "matches": matches, "error": error}
    return render(
        request, "accounts/invitation_accept_signed_in.html", context, status=422 if error else 200
    )


@login_not_required
def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """axes' answer after too many failures: same page whether or not the account exists."""
    return render(request, "accounts/locked_out.html", status=429)
