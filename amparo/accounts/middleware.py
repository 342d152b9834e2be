"""Staff reach nothing but MFA enrolment until they have a second factor (AUTH-01), and every
request knows which of the person's organisations they are working in."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django_htmx.http import HttpResponseClientRedirect

from amparo.accounts import rules
from amparo.core.htmx import is_htmx

Handler = Callable[[HttpRequest], HttpResponse]

SESSION_MFA_OK = "amparo_mfa_ok"
SESSION_ORGANISATION = "amparo_organisation"
FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

# What a person without a factor may still reach: enrolment itself, leaving, and the basics.
ALLOWED_WITHOUT_FACTOR = (
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/logout/",
    "/accounts/security/required/",
    "/exit/",
    "/language/",
    "/health",
    "/csp-report",
    "/static/",
)


def second_factors(user_id: object) -> QuerySet[Authenticator]:
    """The person's second factors (an `OuterRef` works too, to ask inside another query)."""
    factors: QuerySet[Authenticator] = Authenticator.objects.filter(
        user_id=user_id, type__in=FACTOR_TYPES
    )
    return factors


def has_second_factor(user_id: object) -> bool:
    return bool(second_factors(user_id).exists())


class MFAEnrolmentMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and rules.requires_mfa(user):
            path = request.path_info
            on_mfa_pages = path.startswith("/accounts/2fa/")
            # Trust the session's flag except on the MFA pages, where factors come and go.
            if on_mfa_pages or not request.session.get(SESSION_MFA_OK):
                enrolled = has_second_factor(user.pk)
                if enrolled:
                    request.session[SESSION_MFA_OK] = True
                else:
                    request.session.pop(SESSION_MFA_OK, None)
                    if not path.startswith(ALLOWED_WITHOUT_FACTOR):
                        return to_enrolment(request)
        return self.get_response(request)


def to_enrolment(request: HttpRequest) -> HttpResponse:
    """The way to the enrolment page. For htmx, `HX-Redirect` (200, no body) so the whole
    window goes there: htmx would follow a 302 and swap the enrolment page into the fragment
    it asked for (a polled panel, a form's rows), as core/htmx.py avoids for the sign-in page."""
    url = reverse("accounts:mfa-required")
    if not is_htmx(request):
        return redirect(url)
    response = HttpResponseClientRedirect(url)
    add_never_cache_headers(response)
    return response


class CurrentOrganisationMiddleware:
    """`request.organisation`: the organisation chosen in the header switcher, else the first."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organisation = SimpleLazyObject(  # type: ignore[attr-defined]
            lambda: current_organisation(request)
        )
        return self.get_response(request)


def current_organisation(request: HttpRequest) -> object | None:
    memberships = rules.active_memberships(request.user)
    if not memberships:
        return None
    chosen = request.session.get(SESSION_ORGANISATION)
    for membership in memberships:
        if str(membership.organisation_id) == chosen:
            return membership.organisation
    return memberships[0].organisation
