"""The permission table: what each role may do inside its own organisation.

`docs/permissions.md` shows the same table to people; `test_permissions_doc.py` fails when the
two disagree. Later modules add their permissions here and a row there.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.accounts.enums import Role


class Perm(models.TextChoices):
    ORGANISATION_VIEW = "organisation.view", _("See the organisation's page")
    MEMBERS_VIEW = "members.view", _("See the organisation's members and their roles")
    MEMBERS_MANAGE = "members.manage", _("Change members' roles and end memberships")
    INVITATIONS_MANAGE = "invitations.manage", _("Invite people and revoke invitations")
    AUDIT_VIEW = "audit.view", _("Read the organisation's audit log")
    KEYS_MANAGE = "keys.manage", _("Re-encrypt the organisation's records under a new key")
    # The protection method (issue 4): desk staff work on the defenders their unit keeps, and
    # on those shared with it.
    DEFENDERS_VIEW = "defenders.view", _("See the defenders the organisation accompanies")
    DEFENDERS_EDIT = "defenders.edit", _("Record and correct defenders and collectives")
    DEFENDERS_SHARE = "defenders.share", _("Share a defender's records with another organisation")
    INCIDENTS_VIEW = "incidents.view", _("See the incident register")
    INCIDENTS_EDIT = "incidents.edit", _("Record and complete incidents")
    INCIDENTS_EVALUATE = "incidents.evaluate", _("Evaluate incidents as a team")
    INCIDENTS_EXPORT = "incidents.export", _("Export incidents")
    RISK_VIEW = "risk.view", _("See threat assessments, risk analyses and actor maps")
    RISK_EDIT = "risk.edit", _("Assess threats, analyse risk and map actors")
    PLANS_VIEW = "plans.view", _("See security plans")
    PLANS_EDIT = "plans.edit", _("Write and review security plans")
    # Inside a defender collective: its members see the collective's own records.
    COLLECTIVE_VIEW = "collective.view", _("See the collective's own protection records")
    COLLECTIVE_REPORT = "collective.report", _("Report incidents against the collective")
    COLLECTIVE_EDIT = (
        "collective.edit",
        _("Work on the collective's own records: correct them, analyse risk, write plans"),
    )
    # The Focus Observatory (issue 5) is one public data set shared by the whole platform: the
    # role grants these wherever it is held. A second editor publishes what the first wrote.
    OBSERVATORY_EDIT = (
        "observatory.edit",
        _("Write and correct the observatory's instruments, narratives and evaluations"),
    )
    OBSERVATORY_REVIEW = (
        "observatory.review",
        _("Review and publish what another observatory editor submitted"),
    )
    # The Protection Desk (issue 6): cases from intake to closure. The lead decides who works
    # which case and reads the desk's reports.
    DESK_VIEW = "desk.view", _("See the desk's cases")
    DESK_EDIT = "desk.edit", _("Open, triage and work cases: accompaniment and referrals")
    DESK_ASSIGN = "desk.assign", _("Assign cases to desk officers")
    DESK_REPORTS = "desk.reports", _("Read and share the desk's reports")
    # Protection networks: the contacts, escalation trees, alerts and check-ins of the
    # defenders the organisation accompanies. A defender manages their own without these.
    NETWORKS_VIEW = "networks.view", _("See defenders' protection networks, alerts and check-ins")
    NETWORKS_EDIT = (
        "networks.edit",
        _("Keep defenders' protection networks and raise alerts for them"),
    )
    # Collective care: the organisation's or collective's care agreements. Everyone they cover
    # may read them; those who answer for the group's care write them.
    CARE_VIEW = "care.view", _("See the care agreements of the organisation or collective")
    CARE_EDIT = "care.edit", _("Write and review care agreements")
    # Trial observation and criminalisation (issue 7): the organisation's criminalisation cases
    # and hearings; observers fill the fair-trial checklist; the lead approves what is published.
    TRIALS_VIEW = "trials.view", _("See the organisation's criminalisation cases and hearings")
    TRIALS_EDIT = (
        "trials.edit",
        _("Record criminalisation cases, hearings and observation missions"),
    )
    TRIALS_OBSERVE = (
        "trials.observe",
        _("Observe hearings: fill the fair-trial checklist and draft reports"),
    )
    TRIALS_APPROVE = "trials.approve", _("Approve observation reports and publish them")
    # The library and e-learning (issue 8) are public content shared by the whole platform, like
    # the observatory: the role grants these wherever it is held.
    LIBRARY_EDIT = "library.edit", _("Write, publish and withdraw library resources")
    LIBRARY_REQUESTS = "library.requests", _("Answer requests for copies and links")
    LEARNING_AUTHOR = "learning.author", _("Write e-learning courses, lessons and quizzes")
    LEARNING_TEACH = (
        "learning.teach",
        _("Facilitate cohorts: see progress, review answers, post announcements"),
    )
    # The public contact desk: messages reach the team they are about.
    CONTACT_HANDLE = "contact.handle", _("Answer messages sent to your team's contact inbox")


_EVERY_ROLE = frozenset(Role)

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    role: frozenset({Perm.ORGANISATION_VIEW, Perm.CARE_VIEW}) for role in _EVERY_ROLE
}
ROLE_PERMISSIONS[Role.ORG_ADMIN] = frozenset(
    {
        Perm.ORGANISATION_VIEW,
        Perm.MEMBERS_VIEW,
        Perm.MEMBERS_MANAGE,
        Perm.INVITATIONS_MANAGE,
        # The log shows who did what to whom across all the organisation's work.
        Perm.AUDIT_VIEW,
        Perm.KEYS_MANAGE,
        # Staff care is the organisation's duty (DOMAIN.md: care and protection are one).
        Perm.CARE_VIEW,
        Perm.CARE_EDIT,
        # General messages to the contact desk reach the organisation's admins.
        Perm.CONTACT_HANDLE,
    }
)
#: What a Protection Desk does with the defenders it accompanies (DOMAIN.md 2.1 to 2.5).
_CASEWORK = frozenset(
    {
        Perm.DEFENDERS_VIEW,
        Perm.DEFENDERS_EDIT,
        Perm.INCIDENTS_VIEW,
        Perm.INCIDENTS_EDIT,
        Perm.INCIDENTS_EVALUATE,
        Perm.RISK_VIEW,
        Perm.RISK_EDIT,
        Perm.PLANS_VIEW,
        Perm.PLANS_EDIT,
        Perm.DESK_VIEW,
        Perm.DESK_EDIT,
        Perm.NETWORKS_VIEW,
        Perm.NETWORKS_EDIT,
        Perm.CARE_VIEW,
    }
)
ROLE_PERMISSIONS[Role.DESK_OFFICER] = (
    frozenset(
        {
            Perm.ORGANISATION_VIEW,
            Perm.TRIALS_VIEW,
            Perm.TRIALS_EDIT,
            Perm.TRIALS_OBSERVE,
            Perm.CONTACT_HANDLE,
        }
    )
    | _CASEWORK
)
# A desk lead plans the desk's work and needs to know who is on the team; sharing a defender
# outside the unit and bulk exports are their call (need-to-know, SECURITY.md ACC-06).
ROLE_PERMISSIONS[Role.DESK_LEAD] = (
    frozenset(
        {
            Perm.ORGANISATION_VIEW,
            Perm.MEMBERS_VIEW,
            Perm.DEFENDERS_SHARE,
            Perm.INCIDENTS_EXPORT,
            Perm.DESK_ASSIGN,
            Perm.DESK_REPORTS,
            Perm.CARE_EDIT,
            Perm.TRIALS_VIEW,
            Perm.TRIALS_EDIT,
            Perm.TRIALS_OBSERVE,
            Perm.TRIALS_APPROVE,
            Perm.CONTACT_HANDLE,
        }
    )
    | _CASEWORK
)
# Members of a collective see its records and report what happens to it; the coordinator
# works on the records with the desk (analyses and plans are made with the group, DEF-2).
ROLE_PERMISSIONS[Role.DEFENDER] = frozenset(
    {Perm.ORGANISATION_VIEW, Perm.COLLECTIVE_VIEW, Perm.COLLECTIVE_REPORT, Perm.CARE_VIEW}
)
ROLE_PERMISSIONS[Role.COLLECTIVE_COORDINATOR] = frozenset(
    {
        Perm.ORGANISATION_VIEW,
        Perm.MEMBERS_VIEW,
        Perm.COLLECTIVE_VIEW,
        Perm.COLLECTIVE_REPORT,
        Perm.COLLECTIVE_EDIT,
        Perm.CARE_VIEW,
        Perm.CARE_EDIT,
    }
)

ROLE_PERMISSIONS[Role.OBSERVATORY_EDITOR] = frozenset(
    {
        Perm.ORGANISATION_VIEW,
        Perm.CARE_VIEW,
        Perm.OBSERVATORY_EDIT,
        Perm.OBSERVATORY_REVIEW,
        Perm.CONTACT_HANDLE,
    }
)
# Observers see the cases they may be sent to and fill the checklist; they do not open cases.
ROLE_PERMISSIONS[Role.TRIAL_OBSERVER] = frozenset(
    {Perm.ORGANISATION_VIEW, Perm.CARE_VIEW, Perm.TRIALS_VIEW, Perm.TRIALS_OBSERVE}
)
ROLE_PERMISSIONS[Role.TRAINER] = frozenset(
    {Perm.ORGANISATION_VIEW, Perm.CARE_VIEW, Perm.LEARNING_AUTHOR, Perm.LEARNING_TEACH}
)
ROLE_PERMISSIONS[Role.LIBRARIAN] = frozenset(
    {
        Perm.ORGANISATION_VIEW,
        Perm.CARE_VIEW,
        Perm.LIBRARY_EDIT,
        Perm.LIBRARY_REQUESTS,
        Perm.CONTACT_HANDLE,
    }
)


#: Roles whose holders may sign in with a password alone (offered MFA, strongly encouraged).
#: People with no membership at all are plain learners and are exempt too.
MFA_EXEMPT_ROLES = frozenset({Role.DEFENDER})


def roles_with(perm: Perm) -> frozenset[Role]:
    return frozenset(role for role, perms in ROLE_PERMISSIONS.items() if perm in perms)
