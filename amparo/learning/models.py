"""E-learning (DOMAIN.md 2.12): Course -> Module -> Unit -> Lesson -> Question -> Choice, the
published content (PUBLIC tier), and what learners do with it: enrolments, lessons done,
answers, the cohorts facilitators run and the teams within them (personal: Tier 2 facts,
Tier-1 written text).

A learner's written answers, a team's answers, a facilitator's feedback and announcements are
encrypted under the platform key (`organisation` stays empty, as in the well-being check-ins):
a course is shared by the whole platform, not kept by one organisation, and its learners need
no membership.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from amparo.core.crypto.fields import EncryptedTextField
from amparo.learning import markup
from amparo.learning.enums import (
    CourseMode,
    CourseState,
    LessonKind,
    Level,
    QuestionKind,
    ReviewState,
    Topic,
)


class Course(models.Model):
    """One language version of a course. Versions of the same course share a `slug`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(_("short name"), max_length=80)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    mode = models.CharField(
        _("how it runs"), max_length=16, choices=CourseMode.choices, default=CourseMode.SELF_PACED
    )
    state = models.CharField(
        _("state"), max_length=16, choices=CourseState.choices, default=CourseState.DRAFT
    )
    #: Sum of the lessons' minutes, kept by the loader so the catalogue needs no aggregate.
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("title", "id")
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="learning_course_slug_lang")
        ]
        indexes = [models.Index(fields=["state", "language", "title"], name="learning_catalogue")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning-public:course", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.state == CourseState.PUBLISHED


class Module(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ("course", "position")
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(fields=["course", "position"], name="learning_module_pos")
        ]

    def __str__(self) -> str:
        return self.title


class Unit(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="units")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ("module", "position")
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["module", "position"], name="learning_unit_pos")
        ]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    """One small page: Markdown text (rendered through `markup.render`) or a quiz."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: Denormalised from the unit, so a course's lessons come in one indexed query.
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="lessons")
    #: Stable within the course across reloads of the content file.
    key = models.SlugField(_("key"), max_length=80)
    #: Order in the whole course (module, unit, lesson), kept by the loader.
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=LessonKind.choices, default=LessonKind.READING
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), blank=True)
    #: `body` as `markup.render` wrote it when the lesson was saved, and the hash of the
    #: sanitiser's source that wrote it (`markup.SOURCE_SHA256`): see `html`.
    body_html = models.TextField(blank=True, default="", editable=False)
    body_html_by = models.CharField(max_length=64, blank=True, default="", editable=False)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=5)

    class Meta:
        ordering = ("course", "position")
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [
            models.UniqueConstraint(fields=["course", "key"], name="learning_lesson_key"),
            models.UniqueConstraint(fields=["course", "position"], name="learning_lesson_pos"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keeps `body_html` with `body`: written by the sanitiser whenever the body is."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.body_html = markup.render(self.body)
            self.body_html_by = markup.SOURCE_SHA256
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "body_html", "body_html_by"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("learning:lesson", args=[self.pk])

    def html(self) -> SafeString:
        """The body as safe HTML: the sanitiser's output kept when the lesson was saved, while
        the sanitiser in force is the one that wrote it; otherwise rendered now."""
        if self.body_html_by == markup.SOURCE_SHA256:
            return mark_safe(self.body_html)  # noqa: S308 -- written by markup.render only
        return markup.render(self.body)

    @property
    def is_quiz(self) -> bool:
        return self.kind == LessonKind.QUIZ


class LessonTopic(models.Model):
    """A topic a lesson addresses, for recommendations from a security plan's gaps."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices)

    class Meta:
        ordering = ("lesson", "topic")
        verbose_name = _("lesson topic")
        verbose_name_plural = _("lesson topics")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "topic"], name="learning_lesson_topic")
        ]
        indexes = [models.Index(fields=["topic"], name="learning_topic")]

    def __str__(self) -> str:
        return self.topic


class Question(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    prompt = models.TextField(_("question"))
    #: Shown after an answer: why the right choice is right.
    explanation = models.TextField(_("explanation"), blank=True)
    #: A short question a team answers together, one shared answer per team (TeamAnswer);
    #: learners who are in no team pass over it.
    is_group_work = models.BooleanField(_("group work"), default=False)

    class Meta:
        ordering = ("lesson", "position")
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "position"], name="learning_question_pos")
        ]

    def __str__(self) -> str:
        return self.prompt[:60]

    @property
    def is_short(self) -> bool:
        return self.kind == QuestionKind.SHORT


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("text"), max_length=400)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ("question", "position")
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="learning_choice_pos")
        ]

    def __str__(self) -> str:
        return self.text


class Cohort(models.Model):
    """A run of a course for a group, with facilitators and dates. The trainer who opens it
    is its lead: the lead adds and removes co-facilitators, who otherwise have the same
    powers on the cohort (progress, reviews, teams, announcements), and may hand the lead to
    one of them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_open = models.BooleanField(_("open for enrolment"), default=True)
    #: Every facilitator, the lead included.
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_cohorts", blank=True
    )
    #: One of the facilitators; None only if that account was deleted.
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead facilitator"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: Bumped by every change of the cohort itself (optimistic locking): who facilitates it,
    #: its name. Handing over the lead, renaming and deleting it name the version the lead's
    #: page showed.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-starts_on", "name", "id")
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("learning:cohort", args=[self.pk])


class Team(models.Model):
    """Learners of a cohort who do its group work together (DOMAIN.md 2.12: groups of two or
    three). The pages say "team", because they already call a cohort a group (ADR 0058).
    Facilitators make teams, rename and delete them, and place learners in them; a learner is
    in at most one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: Bumped by renaming the team (optimistic locking): renaming and deleting it name the
    #: version the facilitator's page showed.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("cohort", "name", "id")
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "name"], name="learning_team_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("learning:team", args=[self.pk])


class Enrolment(models.Model):
    """One learner in one course (in a cohort when the course runs as one)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments"
    )
    #: A team of the same cohort, set by its facilitators (services.place_learners).
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    lessons_done = models.PositiveIntegerField(default=0)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    #: Random, unguessable (secrets.token): printed on the certificate, checked on a public page.
    certificate_code = models.CharField(max_length=24, null=True, blank=True, unique=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-enrolled_at", "-id")
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["learner", "course"], name="learning_enrolment_once")
        ]
        indexes = [models.Index(fields=["cohort", "enrolled_at"], name="learning_cohort_enrol")]

    def __str__(self) -> str:
        return f"enrolment {self.pk}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class LessonDone(models.Model):
    """A learner marked a lesson done (a quiz is done when its questions are answered)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="done")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("enrolment", "done_at", "id")
        verbose_name = _("lesson done")
        verbose_name_plural = _("lessons done")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="learning_done_once")
        ]

    def __str__(self) -> str:
        return f"done {self.lesson_id}"


class ReviewedAnswer(models.Model):
    """What a learner's and a team's written answers share: the platform key encrypts them,
    and a facilitator reviews them at a version (optimistic locking)."""

    #: Always empty: the platform key encrypts answers (see the module docstring).
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=16, choices=ReviewState.choices)
    feedback = EncryptedTextField(_("feedback"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class Answer(ReviewedAnswer):
    """A learner's answer to one question: choices (marked at once) or a written answer
    (reviewed by a facilitator). Answering again replaces it (LRN-1: it stays private)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    #: The ids of the chosen choices (a choice question), written by services.submit_answers.
    chosen_ids = models.JSONField(default=list, blank=True)
    text = EncryptedTextField(_("your answer"), blank=True)

    class Meta:
        ordering = ("enrolment", "created_at", "id")
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "question"], name="learning_answer_once")
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="learning_answer_state")]

    def __str__(self) -> str:
        return f"answer {self.pk}"


class Announcement(models.Model):
    """A facilitator's message to a cohort, read by its learners on their course page."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="announcements")
    #: Always empty: the platform key encrypts announcements.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = EncryptedTextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return f"announcement {self.pk}"


class TeamAnswer(ReviewedAnswer):
    """A team's one shared answer to a group-work question: any member writes and revises it
    (optimistic locking on `version`), the cohort's facilitators review it as they review a
    learner's written answer. Reviewed, it is kept as it is."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: PROTECT: a team with answers is not deleted (ADR 0061), so its members' shared work
    #: and the facilitators' feedback on it are never lost with it.
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(_("your team's answer"))
    #: The member who saved the current text.
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("team", "created_at", "id")
        verbose_name = _("team answer")
        verbose_name_plural = _("team answers")
        constraints = [
            models.UniqueConstraint(fields=["team", "question"], name="learning_team_answer_once")
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="learning_team_answer_state")]

    def __str__(self) -> str:
        return f"team answer {self.pk}"
