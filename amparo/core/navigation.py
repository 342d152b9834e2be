"""The header's navigation: only modules that exist and that this person can use.

Each module adds its entry here when it lands; a test renders every link and follows it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amparo.accounts import rules
from amparo.accounts.enums import Role
from amparo.accounts.middleware import SESSION_MFA_OK
from amparo.accounts.permissions import ROLE_PERMISSIONS, Perm


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str | Promise
    key: str


@functools.lru_cache(maxsize=1024)
def _reversed(name: str, args: tuple[str, ...], *where: object) -> str:
    del where  # part of the key only: the language, script prefix and URL map it was made in
    return django_reverse(name, args=args)


def _where() -> tuple[object, ...]:
    """What a reversed link and a translated label depend on besides their own names."""
    return (get_language(), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)


def reverse(name: str, args: tuple[object, ...] | list[object] = ()) -> str:
    """Django's reverse, kept per language, script prefix and URL map: the header reverses the
    same dozen links on every signed-in page (about 15 µs each), and they only change with
    those (or with the organisation, which is an argument)."""
    return _reversed(name, tuple(str(arg) for arg in args), *_where())


def navigation_for(request: HttpRequest) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return list(_public_items(*_where()))
    if rules.requires_mfa(user) and not request.session.get(SESSION_MFA_OK):
        return []  # every page but enrolment is closed to them until they add a factor
    organisation = getattr(request, "organisation", None)
    roles = frozenset(Role(m.role) for m in rules.active_memberships(user))
    if not organisation:  # a lazy object that may stand for None: ask its truth, not identity
        return list(_signed_in_items(roles, None, False, *_where()))
    members = rules.can_view_members(user, organisation)
    return list(_signed_in_items(roles, str(organisation.pk), members, *_where()))


# The links are the same for everyone with the same roles in the same organisation: built
# once per language (labels translated here, so the layout reads plain text) instead of on
# every page. The key holds no person, only roles, an organisation's id and one permission.
@functools.lru_cache(maxsize=64)
def _public_items(*where: object) -> tuple[NavItem, ...]:
    del where  # part of the key only
    return _translated(
        [
            NavItem(reverse("public:home"), _("Home"), "home"),
            NavItem(reverse("observatory:home"), _("Focus Observatory"), "observatory"),
            NavItem(reverse("library-public:resource-list"), _("Library"), "library"),
            NavItem(reverse("learning-public:catalogue"), _("E-learning"), "learning"),
        ]
    )


@functools.lru_cache(maxsize=1024)
def _signed_in_items(
    roles: frozenset[Role], organisation: str | None, members: bool, *where: object
) -> tuple[NavItem, ...]:
    del where  # part of the key only
    items = [NavItem(reverse("core:dashboard"), _("Dashboard"), "dashboard")]
    if organisation:
        items.append(
            NavItem(
                reverse("accounts:organisation-detail", args=[organisation]),
                _("Organisation"),
                "organisation",
            )
        )
        if members:
            items.append(
                NavItem(
                    reverse("accounts:member-list", args=[organisation]),
                    _("Members"),
                    "members",
                )
            )
    items += _protection_items(roles)
    items.append(NavItem(reverse("accounts:settings"), _("Account"), "account"))
    return _translated(items)


def _translated(items: list[NavItem]) -> tuple[NavItem, ...]:
    return tuple(NavItem(item.url, str(item.label), item.key) for item in items)


def _protection_items(roles: frozenset[Role]) -> list[NavItem]:
    """The protection method's modules, for the people who work with them anywhere (their
    roles in any organisation, from the memberships already loaded for the request)."""
    perms: set[Perm] = set()
    for role in roles:
        perms |= ROLE_PERMISSIONS[role]
    items = []
    if roles & {Role.DEFENDER, Role.COLLECTIVE_COORDINATOR}:
        # Defenders first reach their own record and a quick way to report what happened.
        items.append(NavItem(reverse("defenders:my-record"), _("My record"), "my-record"))
    if perms & {Perm.DEFENDERS_VIEW, Perm.COLLECTIVE_VIEW}:
        items.append(NavItem(reverse("defenders:defender-list"), _("Defenders"), "defenders"))
    if perms & {Perm.INCIDENTS_VIEW, Perm.COLLECTIVE_VIEW}:
        # Members of a collective see its incidents too; the list opens with "Quick report".
        items.append(NavItem(reverse("incidents:incident-list"), _("Incidents"), "incidents"))
    elif Perm.COLLECTIVE_REPORT in perms:
        items.append(
            NavItem(reverse("incidents:quick-report"), _("Report an incident"), "incidents")
        )
    if perms & {Perm.RISK_VIEW, Perm.COLLECTIVE_VIEW}:
        items.append(NavItem(reverse("risk:analysis-list"), _("Risk"), "risk"))
    if perms & {Perm.PLANS_VIEW, Perm.COLLECTIVE_VIEW}:
        items.append(NavItem(reverse("plans:plan-list"), _("Plans"), "plans"))
    if Perm.DESK_VIEW in perms:
        items.append(NavItem(reverse("desk:dashboard"), _("Desk"), "desk"))
    if Perm.TRIALS_VIEW in perms:
        # Criminalisation cases, hearings and trial observation (issue 7).
        items.append(NavItem(reverse("trials:case-list"), _("Trials"), "trials"))
    if Perm.NETWORKS_VIEW in perms or roles & {Role.DEFENDER, Role.COLLECTIVE_COORDINATOR}:
        # Alerts raised and answered; a defender's own network and check-ins start here too.
        items.append(NavItem(reverse("networks:alert-list"), _("Alerts"), "networks"))
    # Well-being (issue 6): everyone checks in on themselves, privately; the desk's debriefs
    # after serious incidents are linked from those pages and from the dashboard.
    items.append(NavItem(reverse("wellbeing:check-in"), _("Well-being"), "wellbeing"))
    if Perm.OBSERVATORY_EDIT in perms:
        items.append(
            NavItem(
                reverse("observatory:editor-dashboard"),
                _("Observatory editing"),
                "observatory-editor",
            )
        )
    items += _library_and_learning_items(perms)
    return items


def _library_and_learning_items(perms: set[Perm]) -> list[NavItem]:
    """Issue 8: librarians keep the library and answer requests; every team answers its part
    of the contact desk; everyone signed in is a learner, and trainers facilitate groups."""
    items = []
    if Perm.LIBRARY_EDIT in perms:
        items.append(NavItem(reverse("library:resource-list"), _("Library"), "library-manage"))
    elif Perm.LIBRARY_REQUESTS in perms:
        items.append(
            NavItem(reverse("library:request-list"), _("Library requests"), "library-requests")
        )
    if Perm.CONTACT_HANDLE in perms:
        items.append(NavItem(reverse("contact:inbox"), _("Contact inbox"), "contact"))
    items.append(NavItem(reverse("learning:my-courses"), _("My courses"), "learning"))
    if Perm.LEARNING_TEACH in perms:
        items.append(NavItem(reverse("learning:cohort-list"), _("My groups"), "learning-groups"))
    return items
