"""What the e-learning services share: their error, their limits and certificate codes."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.utils import timezone

from amparo.core.locking import save_versioned_instance
from amparo.learning.enums import ReviewState

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.learning.models import ReviewedAnswer

#: Letters and digits a person can read aloud: no 0/O, 1/I/l.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: 16 symbols of 32: 80 bits, far beyond guessing through a rate-limited page.
CODE_LENGTH = 16
MAX_ANSWER = 4000
MAX_ANNOUNCEMENT = 4000


class LearningError(Exception):
    """A write the module's rules refuse; the message is translated for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def new_certificate_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    """What a person typed, as stored: upper case, dashes every four symbols."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())[: CODE_LENGTH + 4]
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def write_review(
    answer: ReviewedAnswer, *, actor: User, feedback: str, expected_version: int
) -> None:
    """A facilitator's feedback on a learner's or a team's written answer, saved at the
    version the form was made from (EditConflict when someone changed it meanwhile)."""
    answer.feedback = feedback
    answer.state = ReviewState.REVIEWED
    answer.reviewed_by = actor
    answer.reviewed_at = timezone.now()
    save_versioned_instance(
        answer,
        expected_version=expected_version,
        update_fields=["feedback", "state", "reviewed_by", "reviewed_at", "updated_at"],
    )
