"""Every read of the e-learning module: one access path per object, shared by pages and API.

Published content is readable by anyone; drafts by nobody through these paths. A learner
reads only their own enrolments and answers, and their team: its members' display names and
its answers; a facilitator reads the enrolments, teams and answers of the cohorts they are
named on, while they hold `learning.teach`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    UUIDField,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.query import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404

from amparo.accounts.models import Membership, User
from amparo.accounts.permissions import Perm, roles_with
from amparo.core.prepared import Prepared, PreparedRows
from amparo.learning import rules
from amparo.learning.enums import CourseState, ReviewState, Topic
from amparo.learning.models import (
    Announcement,
    Answer,
    Choice,
    Cohort,
    Course,
    Enrolment,
    Lesson,
    LessonDone,
    Module,
    Question,
    Team,
    TeamAnswer,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

PAGE_SIZE = 50
#: Lessons suggested for a plan's gaps, at most.
RECOMMENDATIONS = 6


# --- published content ---


def published_courses() -> QuerySet[Course]:
    return Course.objects.filter(state=CourseState.PUBLISHED)


def catalogue(language: str, *, after: tuple[str, str] | None = None) -> list[Course]:
    """One page (PAGE_SIZE + 1 rows: the extra one says a next page exists) of the published
    courses in `language`, by title, keyed on (title, id)."""
    courses = published_courses().filter(language=language).order_by("title", "id")
    if after is not None:
        title, pk = after
        courses = courses.filter(Q(title__gt=title) | Q(title=title, id__gt=pk))
    return list(courses[: PAGE_SIZE + 1])


def get_published_course(slug: str, language: str) -> Course:
    """The version of the course in `language`, else the first published version (a learner
    who follows a link in another language still finds the course). 404 when none is."""
    versions = sorted(
        published_courses().filter(slug=slug),
        key=lambda course: (course.language != language, course.language),
    )
    if not versions:
        raise Http404
    course = versions[0]
    course.other_versions = versions[1:]  # type: ignore[attr-defined]
    return course


def get_published_course_by_id(course_id: UUID) -> Course:
    return get_object_or_404(published_courses(), pk=course_id)


@dataclass
class UnitOutline:
    title: str
    lessons: list[Lesson] = field(default_factory=list)


@dataclass
class ModuleOutline:
    module: Module
    units: list[UnitOutline] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return sum(lesson.estimated_minutes for unit in self.units for lesson in unit.lessons)


def outline(course: Course) -> list[ModuleOutline]:
    """Modules, units and lessons of a course in order: one query."""
    lessons = (
        Lesson.objects.filter(course=course)
        .select_related("unit__module")
        .defer("body", "body_html")
        .order_by("position")
    )
    modules: dict[UUID, ModuleOutline] = {}
    for lesson in lessons:
        unit = lesson.unit
        entry = modules.setdefault(unit.module_id, ModuleOutline(module=unit.module))
        if not entry.units or entry.units[-1].title != unit.title:
            entry.units.append(UnitOutline(title=unit.title))
        entry.units[-1].lessons.append(lesson)
    return list(modules.values())


def module_for_download(module_id: UUID) -> tuple[Module, list[Lesson]]:
    """A published module with its lessons, questions and choices (three queries)."""
    module = get_object_or_404(
        Module.objects.select_related("course").filter(course__state=CourseState.PUBLISHED),
        pk=module_id,
    )
    lessons = list(
        Lesson.objects.filter(unit__module=module)
        .select_related("unit")
        .prefetch_related(_questions())
        .order_by("position")
    )
    return module, lessons


def _questions() -> Prefetch[Any]:
    return Prefetch(
        "questions",
        queryset=Question.objects.order_by("position").prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position"))
        ),
    )


#: A security plan's measure kinds (plans.enums.MeasureKind values) -> the topics of lessons
#: that help put such a measure in place. Codes, so the plans app need not be imported here.
MEASURE_TOPICS: dict[str, frozenset[str]] = {
    "digital": frozenset({Topic.DIGITAL_SECURITY}),
    "legal": frozenset({Topic.LEGAL}),
    "psychosocial": frozenset({Topic.PSYCHOSOCIAL}),
    "equipment": frozenset({Topic.PHYSICAL_SECURITY}),
    "routine": frozenset({Topic.PHYSICAL_SECURITY, Topic.SECURITY_MANAGEMENT}),
    "networking": frozenset({Topic.PROTECTION_STRATEGIES}),
    "protocol": frozenset({Topic.PROTECTION_STRATEGIES, Topic.SECURITY_MANAGEMENT}),
    "policy": frozenset({Topic.SECURITY_MANAGEMENT}),
    "training": frozenset({Topic.RISK_ANALYSIS, Topic.SECURITY_MANAGEMENT}),
}


def topics_for_measure_kinds(kinds: Iterable[str]) -> set[str]:
    """The lesson topics that address measures of these kinds (unknown kinds add nothing)."""
    return {str(topic) for kind in kinds for topic in MEASURE_TOPICS.get(kind, ())}


def lessons_for_topics(topics: set[str], language: str) -> list[Lesson]:
    """Published lessons about any of `topics` (learning.enums.Topic values), in `language`
    first, for the security plan to suggest against a plan's gaps (LRN-2). Reading lessons
    only, at most RECOMMENDATIONS, each with `course` loaded: one query."""
    if not topics:
        return []
    lessons = (
        Lesson.objects.filter(
            topics__topic__in=sorted(topics),
            course__state=CourseState.PUBLISHED,
            kind="reading",
        )
        .select_related("course")
        .defer("body", "body_html")
        .distinct()
        .order_by("course__title", "position")
    )
    ranked = sorted(
        lessons[: RECOMMENDATIONS * 8], key=lambda item: item.course.language != language
    )
    picked: list[Lesson] = []
    seen: set[tuple[str, str]] = set()
    for lesson in ranked:
        # One language version of each lesson: the reader's when it exists.
        identity = (lesson.course.slug, lesson.key)
        if identity not in seen:
            seen.add(identity)
            picked.append(lesson)
    return picked[:RECOMMENDATIONS]


def verify_certificate(code: str) -> Enrolment | None:
    """The completed enrolment a certificate code belongs to, or None."""
    if not code:
        return None
    return (
        Enrolment.objects.filter(certificate_code=code, completed_at__isnull=False)
        .select_related("learner", "course")
        .first()
    )


# --- a learner's own ---


def own_enrolments(user: User) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(learner=user)
        .select_related("course", "cohort")
        .order_by("-enrolled_at", "-id")
    )


def enrolment_in(user: User | AnonymousUser, course: Course) -> Enrolment | None:
    """The person's enrolment in the course, with its team (None when not enrolled)."""
    if not user.is_authenticated:
        return None
    return (
        Enrolment.objects.filter(learner_id=user.pk, course=course).select_related("team").first()
    )


def get_enrolment_for_user(user: User, enrolment_id: UUID) -> Enrolment:
    """The learner's own enrolment; 404 for anybody else's."""
    return get_object_or_404(own_enrolments(user), pk=enrolment_id)


def _published_lesson(lesson_id: UUID) -> QuerySet[Lesson]:
    return (
        Lesson.objects.filter(course__state=CourseState.PUBLISHED)
        .select_related("unit__module", "course")
        .filter(pk=lesson_id)
    )


def _published_lesson_for(user_id: UUID, lesson_id: UUID) -> QuerySet[Lesson]:
    """`_published_lesson` with the person's enrolment in its course and that one's team."""
    enrolment = Enrolment.objects.filter(learner_id=user_id, course_id=OuterRef("course_id"))
    return _published_lesson(lesson_id).annotate(
        enrolment_id=Subquery(enrolment.values("pk")[:1]),
        team_id=Subquery(enrolment.values("team_id")[:1], output_field=UUIDField()),
    )


_LESSON_ID = Lesson._meta.pk
#: A lesson page's first query, compiled once per connection (ADR 0050).
_PUBLISHED_LESSON = Prepared(
    Lesson,
    _published_lesson,
    fields=(_LESSON_ID,),
    samples=((UUID(int=1),), (UUID(int=2),)),
)
_PUBLISHED_LESSON_FOR = Prepared(
    Lesson,
    _published_lesson_for,
    fields=(User._meta.pk, _LESSON_ID),
    samples=((UUID(int=1), UUID(int=2)), (UUID(int=3), UUID(int=4))),
)


def get_lesson(lesson_id: UUID, user: User | AnonymousUser | None = None) -> Lesson:
    """A lesson of a published course, with its unit, module, course, questions and choices;
    with `user`, also `enrolment_id`: the person's enrolment in the course, or None (in the
    same query, so a lesson page pays no separate enrolment lookup) and `team_id`: its team's,
    or None. The lesson's query is prepared; its questions and choices are prefetched as
    before (a query each, none for choices when it has no question)."""
    if user is not None and user.is_authenticated:
        found = _PUBLISHED_LESSON_FOR(user.pk, lesson_id)
    else:
        found = _PUBLISHED_LESSON(lesson_id)
    if not found:
        raise Http404
    prefetch_related_objects(found, _questions())
    return found[0]


def _lesson_sequence(enrolment_id: UUID, course_id: UUID) -> QuerySet[Lesson]:
    done = LessonDone.objects.filter(enrolment_id=enrolment_id, lesson=OuterRef("pk"))
    return (
        Lesson.objects.filter(course=course_id)
        .only("id", "title", "kind", "position", "course_id", "unit_id")
        .annotate(is_done=Exists(done))
        .order_by("position")
    )


_LESSON_SEQUENCE = Prepared(
    Lesson,
    _lesson_sequence,
    fields=(LessonDone._meta.get_field("enrolment"), Lesson._meta.get_field("course")),
    samples=((UUID(int=1), UUID(int=2)), (UUID(int=3), UUID(int=4))),
)


def lesson_sequence(course: Course, enrolment_id: UUID) -> list[Lesson]:
    """Every lesson of the course in order, light (no text), each with `is_done` for this
    enrolment: for progress and previous/next, in one query (prepared)."""
    return _LESSON_SEQUENCE(enrolment_id, course.pk)


def done_lesson_ids(enrolment: Enrolment) -> set[UUID]:
    return set(LessonDone.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True))


def _answers_for(enrolment_id: UUID, lesson_id: UUID) -> QuerySet[Answer]:
    return Answer.objects.filter(enrolment_id=enrolment_id, question__lesson=lesson_id)


_ANSWERS_FOR = Prepared(
    Answer,
    _answers_for,
    fields=(Answer._meta.get_field("enrolment"), Question._meta.get_field("lesson")),
    samples=((UUID(int=1), UUID(int=2)), (UUID(int=3), UUID(int=4))),
)


def answers_for(enrolment_id: UUID, lesson: Lesson) -> dict[UUID, Answer]:
    """The learner's answers to a lesson's questions, by question id (prepared)."""
    return {answer.question_id: answer for answer in _ANSWERS_FOR(enrolment_id, lesson.pk)}


def resume_lesson(lessons: list[Lesson], done: set[UUID]) -> Lesson | None:
    """Where the learner stopped: the first lesson not done, in course order."""
    return next((lesson for lesson in lessons if lesson.pk not in done), None)


def announcements_for(enrolment: Enrolment) -> list[Announcement]:
    if enrolment.cohort_id is None:
        return []
    return list(Announcement.objects.filter(cohort_id=enrolment.cohort_id)[:5])


def own_reviewed_answers(enrolment: Enrolment) -> list[Answer]:
    """Written answers a facilitator has commented on, newest first."""
    return list(
        Answer.objects.filter(enrolment=enrolment, state=ReviewState.REVIEWED)
        .select_related("question__lesson")
        .order_by("-reviewed_at")[:20]
    )


# --- facilitators ---


def cohorts_visible_to(user: User) -> QuerySet[Cohort]:
    """The cohorts the person facilitates, while they hold `learning.teach`."""
    if not rules.can_teach(user):
        return Cohort.objects.none()
    return Cohort.objects.filter(facilitators=user).select_related("course")


def _with_lesson_total(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """`lesson_total`: the number of lessons of each cohort's course."""
    lessons = (
        Lesson.objects.filter(course_id=OuterRef("course_id"))
        .order_by()
        .values("course_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return cohorts.annotate(lesson_total=Coalesce(Subquery(lessons), 0))


def _facilitated_cohort(user_id: UUID, cohort_id: UUID) -> QuerySet[Cohort]:
    """`cohorts_visible_to(user)` (for a person who teaches) narrowed to one cohort, with
    `lesson_total`: the query of `get_cohort_for_user`."""
    cohorts = Cohort.objects.filter(facilitators=user_id).select_related("course")
    return _with_lesson_total(cohorts).filter(pk=cohort_id)


#: Every facilitator's page starts with it: compiled once per connection (ADR 0050).
_FACILITATED_COHORT = Prepared(
    Cohort,
    _facilitated_cohort,
    fields=(Cohort.facilitators.through._meta.get_field("user"), Cohort._meta.pk),
    samples=((UUID(int=1), UUID(int=2)), (UUID(int=3), UUID(int=4))),
)


def get_cohort_for_user(user: User, cohort_id: UUID, *, for_write: bool = False) -> Cohort:
    """404 for anybody but the cohort's facilitators: learners do not learn who else is in it.
    `for_write`: changing the cohort itself (who facilitates it, its name, deleting it), which
    only its lead may (403 for the others). The cohort comes with `lesson_total`, its course's
    number of lessons (same query)."""
    if not rules.can_teach(user):  # cohorts_visible_to(user) is empty: no query
        raise Http404
    found = _FACILITATED_COHORT(user.pk, cohort_id)
    if not found:
        raise Http404
    cohort = found[0]
    if for_write and not rules.can_change_cohort(user, cohort):
        raise PermissionDenied
    return cohort


def enrolment_count(cohort: Cohort) -> int:
    """How many learners joined the cohort: while any has, it is not deleted (ADR 0061)."""
    return Enrolment.objects.filter(cohort=cohort).count()


def _facilitators(cohort_id: UUID) -> QuerySet[User]:
    return User.objects.filter(facilitated_cohorts=cohort_id).only("id", "display_name", "email")


_FACILITATORS = Prepared(
    User,
    _facilitators,
    fields=(Cohort._meta.pk,),
    samples=((UUID(int=1),), (UUID(int=2),)),
)


def facilitators_of(cohort: Cohort) -> list[User]:
    """The cohort's facilitators, the lead first, then by name (prepared)."""
    people = _FACILITATORS(cohort.pk)
    return sorted(people, key=lambda person: (person.pk != cohort.lead_id, str(person).lower()))


def _candidates(organisation_ids: list[UUID], cohort_id: UUID) -> QuerySet[User]:
    """Active trainers (`learning.teach`) of these organisations, not facilitating the
    cohort."""
    trainers = Membership.objects.filter(
        organisation_id__in=organisation_ids,
        role__in=sorted(roles_with(Perm.LEARNING_TEACH)),
        is_active=True,
        organisation__is_active=True,
    )
    return (
        User.objects.filter(is_active=True, pk__in=trainers.values("user_id"))
        .exclude(pk__in=_facilitators(cohort_id).values("pk"))
        .only("id", "display_name", "email")
        .order_by("display_name", "email")
    )


_CANDIDATES = Prepared(
    User,
    _candidates,
    fields=(Membership._meta.get_field("organisation"), Cohort._meta.pk),
    samples=(([], UUID(int=1)), ([], UUID(int=2))),
)


def co_facilitator_candidates(lead: User, cohort: Cohort) -> QuerySet[User]:
    """Who the lead may add: active trainers (`learning.teach`) of the organisations where
    the lead teaches, not yet facilitating the cohort."""
    return _candidates(rules.teaching_organisation_ids(lead), cohort.pk)


def co_facilitators_to_add(lead: User, cohort: Cohort) -> list[User]:
    """`co_facilitator_candidates`, read by a prepared query (one shape per number of
    organisations where the lead teaches): the facilitators page's choices."""
    return _CANDIDATES(rules.teaching_organisation_ids(lead), cohort.pk)


def get_joinable_cohort(cohort_id: UUID) -> Cohort:
    """A group open for joining, of a published course: its id in the join link is the
    invitation (a random UUID). 404 otherwise."""
    return get_object_or_404(
        Cohort.objects.filter(is_open=True, course__state=CourseState.PUBLISHED).select_related(
            "course"
        ),
        pk=cohort_id,
    )


def cohort_enrolments(cohort: Cohort) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(cohort=cohort)
        .select_related("learner", "team")
        .order_by("enrolled_at", "id")[:PAGE_SIZE]
    )


def pending_answers(cohort: Cohort) -> list[Answer]:
    """Written answers of the cohort waiting for review, oldest first (the text is Tier 1:
    reading it is logged)."""
    return list(
        Answer.objects.filter(enrolment__cohort=cohort, state=ReviewState.PENDING)
        .select_related("question__lesson", "enrolment__learner")
        .order_by("created_at", "id")[:PAGE_SIZE]
    )


def get_answer_for_review(user: User, answer_id: UUID) -> Answer:
    """A written answer in one of the person's cohorts, with who reviewed it (a stale review
    shows it); 404 otherwise."""
    cohorts = cohorts_visible_to(user).values("pk")
    return get_object_or_404(
        Answer.objects.filter(enrolment__cohort__in=cohorts, question__kind="short").select_related(
            "question__lesson", "enrolment__learner", "enrolment__cohort", "reviewed_by"
        ),
        pk=answer_id,
    )


# --- teams ---


@dataclass(frozen=True)
class PersonRow:
    """A learner as a facilitator's page names them: an enrolment's id, the person's display
    name and email (`display_name|default:email`)."""

    pk: UUID
    display_name: str
    email: str

    def __str__(self) -> str:
        return self.display_name or self.email


@dataclass(frozen=True)
class TeamRow:
    """A team of a cohort's teams page, with its members in the order they enrolled."""

    pk: UUID
    name: str
    members: list[PersonRow] = field(default_factory=list)


def _teams_with_members(cohort_id: UUID) -> QuerySet[Team, tuple[Any, ...]]:
    """The first PAGE_SIZE teams of the cohort by name, joined with their members (a team
    without any gives one row with no member): the query of `teams_of`."""
    page = Team.objects.filter(cohort_id=cohort_id).order_by("name", "id").values("pk")
    return (
        Team.objects.filter(pk__in=page[:PAGE_SIZE])
        .order_by("name", "id", "members__enrolled_at", "members__id")
        .values_list(
            "id", "name", "members__id", "members__learner__display_name", "members__learner__email"
        )
    )


_TEAMS_WITH_MEMBERS = PreparedRows(
    Team,
    _teams_with_members,
    fields=(Team._meta.get_field("cohort"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)


def teams_of(cohort: Cohort) -> list[TeamRow]:
    """The cohort's first PAGE_SIZE teams by name, each with its members (and their names),
    oldest first: one query, prepared (ADR 0050)."""
    teams: list[TeamRow] = []
    for team_id, name, member_id, display_name, email in _TEAMS_WITH_MEMBERS(cohort.pk):
        if not teams or teams[-1].pk != team_id:
            teams.append(TeamRow(pk=team_id, name=name))
        if member_id is not None:
            teams[-1].members.append(PersonRow(member_id, display_name, email))
    return teams


def _learners_without_team(cohort_id: UUID) -> QuerySet[Enrolment, tuple[Any, ...]]:
    return (
        Enrolment.objects.filter(cohort_id=cohort_id, team__isnull=True)
        .order_by("enrolled_at", "id")
        .values_list("id", "learner__display_name", "learner__email")[:PAGE_SIZE]
    )


_LEARNERS_WITHOUT_TEAM = PreparedRows(
    Enrolment,
    _learners_without_team,
    fields=(Enrolment._meta.get_field("cohort"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)


def learners_without_team(cohort: Cohort) -> list[PersonRow]:
    """Enrolments of the cohort in no team yet, oldest first, for placing them: one query,
    prepared."""
    return [PersonRow(*row) for row in _LEARNERS_WITHOUT_TEAM(cohort.pk)]


def _teams_visible(user_id: UUID, *, teaches: bool) -> QuerySet[Team]:
    """`teams_visible_to` for the person with this id, who holds `learning.teach` or not."""
    is_member = Exists(Enrolment.objects.filter(team=OuterRef("pk"), learner_id=user_id))
    is_facilitator: Exists | Value = Value(False)
    visible = Q(is_member=True)
    if teaches:
        is_facilitator = Exists(
            Cohort.facilitators.through.objects.filter(
                cohort_id=OuterRef("cohort_id"), user_id=user_id
            )
        )
        visible |= Q(is_facilitator=True)
    return (
        Team.objects.annotate(is_member=is_member, is_facilitator=is_facilitator)
        .filter(visible)
        .select_related("cohort__course")
    )


def teams_visible_to(user: User) -> QuerySet[Team]:
    """Teams the person is a member of, and the teams of the cohorts they facilitate (while
    they hold `learning.teach`); each with `is_member` and `is_facilitator`."""
    return _teams_visible(user.pk, teaches=rules.can_teach(user))


_USER_ID = User._meta.pk
_TEAM_ID = Team._meta.pk
#: `teams_visible_to(user)` narrowed to one team, for a person who teaches and for one who
#: does not: compiled once per connection (ADR 0050).
_VISIBLE_TEAM = {
    teaches: Prepared(
        Team,
        lambda user_id, team_id, teaches=teaches: _teams_visible(user_id, teaches=teaches).filter(
            pk=team_id
        ),
        fields=(_USER_ID, _TEAM_ID),
        samples=((UUID(int=1), UUID(int=2)), (UUID(int=3), UUID(int=4))),
    )
    for teaches in (False, True)
}


def _visible_team(user: User, team_id: UUID) -> Team:
    """The team, if the person sees it (`teams_visible_to`); 404 otherwise."""
    found = _VISIBLE_TEAM[rules.can_teach(user)](user.pk, team_id)
    if not found:
        raise Http404
    return found[0]


def get_team_for_user(user: User, team_id: UUID, *, for_write: bool = False) -> Team:
    """404 for anybody but the team's members and its cohort's facilitators; `for_write`
    (writing the team's answers) is for members only: 403 for the facilitators."""
    team = _visible_team(user, team_id)
    if for_write and not team.is_member:  # type: ignore[attr-defined]
        raise PermissionDenied
    return team


def get_team_to_manage(user: User, team_id: UUID) -> Team:
    """A team to rename or delete: its cohort's facilitators only. 403 for its members (they
    see the team, but facilitators decide on it), 404 for anybody else."""
    team = _visible_team(user, team_id)
    if not team.is_facilitator:  # type: ignore[attr-defined]
        raise PermissionDenied
    return team


def team_has_answers(team: Team) -> bool:
    """Whether the team wrote any answer to group work: then it is not deleted (ADR 0061)."""
    return TeamAnswer.objects.filter(team=team).exists()


def get_group_work(team: Team, question_id: UUID) -> Question:
    """A group-work question of the team's course, with its lesson; 404 otherwise."""
    questions = Question.objects.filter(
        is_group_work=True, lesson__course_id=team.cohort.course_id
    ).select_related("lesson")
    return get_object_or_404(questions, pk=question_id)


def _team_members(team_id: UUID) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(team=team_id)
        .select_related("learner")
        .only("id", "team_id", "enrolled_at", "learner__id", "learner__display_name")
        .order_by("enrolled_at", "id")
    )


_TEAM_MEMBERS = Prepared(
    Enrolment,
    _team_members,
    fields=(Enrolment._meta.get_field("team"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)


def team_members(team: Team) -> list[Enrolment]:
    """The team's enrolments with their people, oldest first (names only reach the page):
    prepared."""
    return _TEAM_MEMBERS(team.pk)


def _group_work_of(course_id: UUID) -> QuerySet[Question]:
    return (
        Question.objects.filter(lesson__course_id=course_id, is_group_work=True)
        .select_related("lesson")
        .order_by("lesson__position", "position")
    )


_GROUP_WORK_OF = Prepared(
    Question,
    _group_work_of,
    fields=(Lesson._meta.get_field("course"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)


def group_work_of(course_id: UUID) -> list[Question]:
    """The course's group-work questions, in course order, each with its lesson: prepared."""
    return _GROUP_WORK_OF(course_id)


#: What the team's page shows of who wrote an answer last: their display name.
_TEAM_ANSWER_FIELDS = (
    *(f.name for f in TeamAnswer._meta.concrete_fields),
    "written_by__id",
    "written_by__display_name",
)


def _team_answers(team_id: UUID) -> QuerySet[TeamAnswer]:
    return (
        TeamAnswer.objects.filter(team=team_id)
        .select_related("written_by")
        .only(*_TEAM_ANSWER_FIELDS)
    )


_TEAM_ANSWERS = Prepared(
    TeamAnswer,
    _team_answers,
    fields=(TeamAnswer._meta.get_field("team"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)


def team_answers(team: Team) -> dict[UUID, TeamAnswer]:
    """The team's answers by question id, each with the member who wrote it last (their
    display name only; the text is Tier 1: reading it is logged): prepared."""
    return {answer.question_id: answer for answer in _TEAM_ANSWERS(team.pk)}


def pending_team_answers(cohort: Cohort) -> list[TeamAnswer]:
    """The cohort's team answers waiting for review, oldest first."""
    return list(
        TeamAnswer.objects.filter(team__cohort=cohort, state=ReviewState.PENDING)
        .select_related("question__lesson", "team")
        .order_by("created_at", "id")[:PAGE_SIZE]
    )


def get_team_answer_for_review(user: User, answer_id: UUID) -> TeamAnswer:
    """A team's answer in one of the person's cohorts, with who reviewed it; 404 otherwise."""
    cohorts = cohorts_visible_to(user).values("pk")
    return get_object_or_404(
        TeamAnswer.objects.filter(team__cohort__in=cohorts).select_related(
            "question__lesson", "team__cohort", "reviewed_by"
        ),
        pk=answer_id,
    )
