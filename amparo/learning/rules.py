"""Who may do what in e-learning: pure, cheap, no queries beyond the user's memberships.

Content is public. A learner is anyone signed in (no membership needed). Facilitating needs
`learning.teach` (the trainer role, wherever it is held) and being named on the cohort; every
facilitator makes, renames and deletes its teams. The cohort's lead also changes the cohort
itself: adds and removes its co-facilitators, among the trainers of the organisations where
the lead teaches, renames it and deletes it (ADR 0061).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from amparo.accounts.enums import Role
from amparo.accounts.permissions import ROLE_PERMISSIONS, Perm
from amparo.accounts.rules import active_memberships

if TYPE_CHECKING:
    from uuid import UUID

    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User
    from amparo.learning.models import Cohort, Enrolment


def can_teach(user: User | AnonymousUser) -> bool:
    """Holds the trainer's `learning.teach` in some active membership."""
    return any(
        Perm.LEARNING_TEACH in ROLE_PERMISSIONS[Role(m.role)] for m in active_memberships(user)
    )


def owns_enrolment(user: User | AnonymousUser, enrolment: Enrolment) -> bool:
    return user.is_authenticated and enrolment.learner_id == user.pk


def teaching_organisation_ids(user: User | AnonymousUser) -> list[UUID]:
    """The organisations where the person holds `learning.teach`."""
    return [
        m.organisation_id
        for m in active_memberships(user)
        if Perm.LEARNING_TEACH in ROLE_PERMISSIONS[Role(m.role)]
    ]


def can_manage_facilitators(user: User | AnonymousUser, cohort: Cohort) -> bool:
    """The cohort's lead, while a trainer, adds and removes its co-facilitators."""
    return user.is_authenticated and cohort.lead_id == user.pk and can_teach(user)


def can_change_cohort(user: User | AnonymousUser, cohort: Cohort) -> bool:
    """The cohort's lead, while a trainer, renames the cohort and deletes it (ADR 0061): the
    same person who decides who facilitates it."""
    return can_manage_facilitators(user, cohort)
