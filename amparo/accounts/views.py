"""Pages of the accounts domain: settings, organisations, members, invitations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY as TOTP_SECRET_SESSION_KEY
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
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
from amparo.accounts.models import Membership, Organisation, User
from amparo.core.locking import EditConflict

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
    context = {
        "organisation": organisation,
        "page": page,
        "memberships": _with_labels(page.object_list, roles=True),
        "can_manage": rules.can_manage_members(request.user, organisation),
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


def _with_labels(rows: Iterable[Any], *, roles: bool = False, statuses: bool = False) -> list[Any]:
    """Attach translated labels to a page of rows. `get_role_display()` translates every
    choice of the field for each row it is called on: 450 lookups for 50 rows, most of a list
    page's time. Translating each label once per page keeps lists within their budget."""
    page = list(rows)
    role_labels = {value: str(label) for value, label in Role.choices}
    status_labels = {value: str(label) for value, label in InvitationStatus.choices}
    for row in page:
        if roles:
            row.role_label = role_labels[row.role]
        if statuses:
            row.status_label = status_labels[row.status]
    return page


# --- Invitations ---


@require_GET
def invitation_list(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    organisation = _organisation_with(request, organisation_id, rules.can_manage_invitations)
    form = InvitationForm(initial={"language": get_language()})
    return _render_invitations(request, organisation, form)


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
    return _render_invitations(request, organisation, form, status=422)


def _render_invitations(
    request: HttpRequest, organisation: Organisation, form: InvitationForm, status: int = 200
) -> HttpResponse:
    invitations = queries.invitations_visible_to(request.user).filter(organisation=organisation)
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "organisation": organisation,
        "form": form,
        "page": page,
        "invitations": _with_labels(page.object_list, roles=True, statuses=True),
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
