"""Fixed choices of the e-learning module (DOMAIN.md 2.12)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    # Translators: course level (DOMAIN.md: beginner, advanced, expert).
    BEGINNER = "beginner", _("Beginner")
    # Translators: course level.
    ADVANCED = "advanced", _("Advanced")
    # Translators: course level.
    EXPERT = "expert", _("Expert")


class CourseMode(models.TextChoices):
    # Translators: a course each learner takes alone, at their own pace.
    SELF_PACED = "self_paced", _("Self-paced")
    # Translators: a course run for a group of learners with facilitators and dates.
    COHORT = "cohort", _("Cohort with facilitators")


class CourseState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class LessonKind(models.TextChoices):
    # Translators: a lesson to read.
    READING = "reading", _("Reading")
    # Translators: a lesson made of quiz questions.
    QUIZ = "quiz", _("Quiz")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One answer")
    MULTIPLE = "multiple", _("Several answers")
    # Translators: a written answer that a facilitator reads and comments on.
    SHORT = "short", _("Short written answer")


class ReviewState(models.TextChoices):
    """Where a learner's answer stands."""

    # Translators: a choice answer marked right by the platform.
    CORRECT = "correct", _("Correct")
    # Translators: a choice answer marked wrong by the platform.
    INCORRECT = "incorrect", _("Not yet right")
    # Translators: a written answer waiting for a facilitator.
    PENDING = "pending", _("Waiting for a facilitator")
    # Translators: a written answer a facilitator has read and commented on.
    REVIEWED = "reviewed", _("Reviewed")


class Topic(models.TextChoices):
    """What a lesson is about: the vocabulary the security plan uses to ask for lessons."""

    RISK_ANALYSIS = "risk-analysis", _("Risk analysis")
    DIGITAL_SECURITY = "digital-security", _("Digital security")
    PHYSICAL_SECURITY = "physical-security", _("Physical security")
    LEGAL = "legal", _("Legal protection")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial well-being")
    PROTECTION_STRATEGIES = "protection-strategies", _("Protection strategies")
    SECURITY_MANAGEMENT = "security-management", _("Security management")
