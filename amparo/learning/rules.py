"""Who may do what in e-learning: pure, cheap, no queries beyond the user's memberships.

Content is public. A learner is anyone signed in (no membership needed). Facilitating needs
`learning.teach` (the trainer role, wherever it is held) and being named on the cohort.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from amparo.accounts.enums import Role
from amparo.accounts.permissions import ROLE_PERMISSIONS, Perm
from amparo.accounts.rules import active_memberships

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User
    from amparo.learning.models import Enrolment


def can_teach(user: User | AnonymousUser) -> bool:
    """Holds the trainer's `learning.teach` in some active membership."""
    return any(
        Perm.LEARNING_TEACH in ROLE_PERMISSIONS[Role(m.role)] for m in active_memberships(user)
    )


def owns_enrolment(user: User | AnonymousUser, enrolment: Enrolment) -> bool:
    return user.is_authenticated and enrolment.learner_id == user.pk
