"""Who may see and change incidents: pure questions, no queries beyond cached memberships.

Reading goes through `queries.incidents_visible_to`: the desk that keeps the incident (staff
with `incidents.view` in `incident.organisation`), and whoever reaches one of its victims
(the defender themself, members of a victim collective with `collective.view`, staff of an
organisation a victim was shared with). Within a visible incident, the desk's own working
material (sources, evaluation notes, lessons, files) is for the keeping desk only: a witness
named in a source must not be read by everyone the victim can show their record to.

Writing belongs to the keeping desk (`incidents.edit`); the person who reported an incident
may still correct and send their own draft.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from amparo.accounts.permissions import Perm
from amparo.defenders.rules import organisations_with
from amparo.incidents.enums import TRANSITIONS, IncidentStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User
    from amparo.incidents.models import Incident, Perpetrator

    Person = User | AnonymousUser


def _in(user: Person, organisation_id: Any, perm: Perm) -> bool:
    return organisation_id in organisations_with(user, perm)


def is_keeping_desk(user: Person, incident: Incident) -> bool:
    """Staff of the organisation that keeps the incident: they see all of it."""
    return _in(user, incident.organisation_id, Perm.INCIDENTS_VIEW)


def is_own_draft(user: Person, incident: Incident) -> bool:
    return (
        user.is_authenticated
        and incident.reported_by_id == user.pk
        and incident.status == IncidentStatus.DRAFT
    )


def can_edit_incident(user: Person, incident: Incident) -> bool:
    """The core facts (what, when, where): the keeping desk, or the reporter of a draft."""
    return _in(user, incident.organisation_id, Perm.INCIDENTS_EDIT) or is_own_draft(user, incident)


def can_code_incident(user: Person, incident: Incident) -> bool:
    """Victims, perpetrators, sources, interventions and files: the keeping desk."""
    return _in(user, incident.organisation_id, Perm.INCIDENTS_EDIT)


def can_evaluate_incident(user: Person, incident: Incident) -> bool:
    return _in(user, incident.organisation_id, Perm.INCIDENTS_EVALUATE)


def allowed_transitions(user: Person, incident: Incident) -> tuple[str, ...]:
    """The next states this person may move the incident to."""
    following = TRANSITIONS.get(incident.status, ())
    if can_code_incident(user, incident):
        return following
    if is_own_draft(user, incident):
        return (IncidentStatus.SUBMITTED,)
    return ()


def can_create_incidents(user: Person) -> bool:
    """The full entry (one flow with victims and perpetrators) is desk work."""
    return bool(organisations_with(user, Perm.INCIDENTS_EDIT))


def may_report_for_a_collective(user: Person) -> bool:
    """Holds `collective.report` somewhere (whether or not the collective has a record yet)."""
    return bool(organisations_with(user, Perm.COLLECTIVE_REPORT))


def can_export_incidents(user: Person) -> bool:
    return bool(organisations_with(user, Perm.INCIDENTS_EXPORT))


def can_view_perpetrator(user: Person, perpetrator: Perpetrator) -> bool:
    return _in(user, perpetrator.organisation_id, Perm.INCIDENTS_VIEW)


def can_edit_perpetrator(user: Person, perpetrator: Perpetrator) -> bool:
    return _in(user, perpetrator.organisation_id, Perm.INCIDENTS_EDIT)
