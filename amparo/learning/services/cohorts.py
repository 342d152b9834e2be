"""Facilitators' writes on a cohort: opening, renaming and deleting it, learners joining it,
co-facilitators and its lead, reviews of written answers and announcements. Audit actions:
learning.cohort_created, learning.cohort_renamed, learning.cohort_deleted,
learning.cohort_joined, learning.co_facilitator_added, learning.co_facilitator_removed,
learning.lead_handed_over, learning.answer_reviewed, learning.announcement_posted.

Access to a cohort is checked by the caller through queries.get_cohort_for_user (and
queries.get_answer_for_review); changing the cohort itself (who facilitates it, its name,
deleting it) is also checked here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amparo.accounts.models import User
from amparo.audit.services import record_event
from amparo.core.locking import EditConflict, save_versioned
from amparo.learning import queries, rules
from amparo.learning.models import Announcement, Answer, Cohort, Course, Enrolment
from amparo.learning.services.common import (
    MAX_ANNOUNCEMENT,
    MAX_ANSWER,
    LearningError,
    write_review,
)
from amparo.learning.services.learners import complete_if_finished, enrol

if TYPE_CHECKING:
    from datetime import date

MAX_COHORT_NAME = 120


@transaction.atomic
def create_cohort(
    *, actor: User, course: Course, name: str, starts_on: date, ends_on: date
) -> Cohort:
    """A group for a published course, led by its creator, who must hold `learning.teach`.
    Learners join it through its join page (join_cohort)."""
    if not rules.can_teach(actor):
        raise LearningError(_("Only trainers can open a group."))
    if not course.is_published:
        raise LearningError(_("This course is not open."))
    if ends_on < starts_on:
        raise LearningError(_("A group cannot end before it starts."))
    cohort = Cohort.objects.create(
        course=course, name=name.strip(), starts_on=starts_on, ends_on=ends_on, lead=actor
    )
    cohort.facilitators.add(actor)
    record_event(
        actor=actor,
        action="learning.cohort_created",
        organisation=None,
        target=cohort,
        object_ids=[course.pk],
    )
    return cohort


@transaction.atomic
def rename_cohort(*, cohort: Cohort, actor: User, name: str, expected_version: int) -> Cohort:
    """Give the cohort another name, as its lead. `expected_version` is the cohort's version
    when the lead's form was made. The name it already has changes nothing.

    Side effects: one audit event; the cohort's version moves on (a hand-over or a deletion
    prepared before is then stale). Raises EditConflict (carrying the cohort as it is) when
    the cohort changed after the form was made; LearningError when the actor is not the lead
    or the name is empty.
    """
    cohort = _locked_for_lead(cohort, actor, _("Only the group's lead facilitator renames it."))
    name = name.strip()[:MAX_COHORT_NAME]
    if not name:
        raise LearningError(_("Give the group a name."))
    if name == cohort.name:
        return cohort
    # The version condition in the UPDATE: on SQLite the row lock above is no lock.
    save_versioned(cohort, expected_version=expected_version, name=name)
    record_event(
        actor=actor,
        action="learning.cohort_renamed",
        organisation=None,
        target=cohort,
        object_ids=[cohort.course_id],
    )
    return cohort


@transaction.atomic
def delete_cohort(*, cohort: Cohort, actor: User, expected_version: int) -> None:
    """Delete a cohort nobody has joined yet, as its lead: with it go its teams (empty, as
    nobody joined), its announcements and the list of its facilitators. A cohort that learners
    have joined is kept, whether it has started or not (ADR 0061): their progress, answers and
    certificates belong to it.

    Side effects: one audit event. Raises EditConflict (carrying the cohort as it is) when the
    cohort changed after the page was made; LearningError when the actor is not the lead or
    learners have joined.
    """
    cohort = _locked_for_lead(cohort, actor, _("Only the group's lead facilitator deletes it."))
    if cohort.version != expected_version:
        raise EditConflict(cohort)
    joined = Enrolment.objects.filter(cohort=cohort).count()
    if joined:
        raise LearningError(cohort_deletion_refusal(joined))
    record_event(
        actor=actor,
        action="learning.cohort_deleted",
        organisation=None,
        target=cohort,
        object_ids=[cohort.course_id],
    )
    try:
        with transaction.atomic():
            cohort.delete()
    except ProtectedError:
        # A learner joined between the count and the delete, or a team kept answers of
        # learners whose accounts have gone since.
        raise LearningError(
            _("Learners' work belongs to this group, so it cannot be deleted.")
        ) from None


def cohort_deletion_refusal(joined: int) -> str:
    """Why a cohort that `joined` learners have joined is not deleted (its page says it
    before anyone tries)."""
    return ngettext(
        "%(count)d learner has joined this group, so it cannot be deleted: their progress "
        "and answers belong to it. You can still rename it.",
        "%(count)d learners have joined this group, so it cannot be deleted: their progress "
        "and answers belong to it. You can still rename it.",
        joined,
    ) % {"count": joined}


@transaction.atomic
def join_cohort(*, learner: User, cohort: Cohort) -> Enrolment:
    """Join a group: enrol in its course within it, or move an enrolment that has no group
    yet into it (progress is kept). Refused when the learner is already in another group."""
    if not cohort.is_open:
        raise LearningError(_("This group is closed."))
    enrolment = Enrolment.objects.filter(learner=learner, course_id=cohort.course_id).first()
    if enrolment is None:
        return enrol(learner=learner, course=cohort.course, cohort=cohort)
    if enrolment.cohort_id == cohort.pk:
        return enrolment
    if enrolment.cohort_id is not None:
        raise LearningError(_("You are already in another group of this course."))
    enrolment.cohort = cohort
    enrolment.save(update_fields=["cohort"])
    record_event(
        actor=learner,
        action="learning.cohort_joined",
        organisation=None,
        target=enrolment,
        object_ids=[cohort.pk],
        subject_user=learner,
    )
    return enrolment


@transaction.atomic
def review_answer(*, answer: Answer, actor: User, feedback: str, expected_version: int) -> Answer:
    """A facilitator's feedback on a written answer (access checked by the caller through
    queries.get_answer_for_review). Raises EditConflict when someone reviewed it meanwhile."""
    feedback = feedback.strip()[:MAX_ANSWER]
    if not feedback:
        raise LearningError(_("Write some feedback for the learner."))
    write_review(answer, actor=actor, feedback=feedback, expected_version=expected_version)
    record_event(
        actor=actor,
        action="learning.answer_reviewed",
        organisation=None,
        target=answer,
        subject_user=answer.enrolment.learner_id,
    )
    # The last review a finished learner waited for completes the course.
    complete_if_finished(answer.enrolment, actor)
    return answer


@transaction.atomic
def post_announcement(*, cohort: Cohort, actor: User, body: str) -> Announcement:
    """A message to the cohort's learners (access checked by the caller)."""
    body = body.strip()[:MAX_ANNOUNCEMENT]
    if not body:
        raise LearningError(_("Write the announcement first."))
    announcement = Announcement.objects.create(cohort=cohort, author=actor, body=body)
    record_event(
        actor=actor,
        action="learning.announcement_posted",
        organisation=None,
        target=announcement,
        object_ids=[cohort.pk],
    )
    return announcement


def _locked_for_lead(cohort: Cohort, actor: User, refusal: str | None = None) -> Cohort:
    # Lock the row: the lead adding and removing in two tabs must not interleave.
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if not rules.can_manage_facilitators(actor, cohort):
        raise LearningError(
            refusal or _("Only the group's lead facilitator adds or removes co-facilitators.")
        )
    return cohort


def _bump_version(cohort: Cohort) -> None:
    """Who facilitates the cohort changed: a hand-over prepared before it is stale."""
    Cohort.objects.filter(pk=cohort.pk).update(version=F("version") + 1, updated_at=timezone.now())


@transaction.atomic
def add_co_facilitator(*, cohort: Cohort, actor: User, person: User) -> Cohort:
    """The lead names another trainer of their organisations as co-facilitator: from then
    on the person sees the cohort's progress, reviews answers, makes teams and posts
    announcements, as the lead does.

    Side effects: one audit event; the cohort's version moves on. Raises LearningError when
    the actor is not the lead, the person already facilitates the cohort or is not a trainer
    of the lead's organisations.
    """
    cohort = _locked_for_lead(cohort, actor)
    if cohort.facilitators.filter(pk=person.pk).exists():
        raise LearningError(_("This trainer already facilitates the group."))
    if not queries.co_facilitator_candidates(actor, cohort).filter(pk=person.pk).exists():
        raise LearningError(_("Choose a trainer of your organisation."))
    cohort.facilitators.add(person)
    _bump_version(cohort)
    record_event(
        actor=actor,
        action="learning.co_facilitator_added",
        organisation=None,
        target=cohort,
        subject_user=person,
    )
    return cohort


@transaction.atomic
def remove_co_facilitator(*, cohort: Cohort, actor: User, person: User) -> Cohort:
    """The lead takes a co-facilitator off the cohort: the person no longer reaches it. The
    reviews they gave stay, with their name.

    Side effects: one audit event; the cohort's version moves on. Raises LearningError when
    the actor is not the lead, or the person is the lead or does not facilitate the cohort.
    """
    cohort = _locked_for_lead(cohort, actor)
    if person.pk == cohort.lead_id:
        raise LearningError(_("The lead facilitator cannot be removed from the group."))
    if not cohort.facilitators.filter(pk=person.pk).exists():
        raise LearningError(_("This person does not facilitate the group."))
    cohort.facilitators.remove(person)
    _bump_version(cohort)
    record_event(
        actor=actor,
        action="learning.co_facilitator_removed",
        organisation=None,
        target=cohort,
        subject_user=person,
    )
    return cohort


@transaction.atomic
def hand_over_lead(*, cohort: Cohort, actor: User, person: User, expected_version: int) -> Cohort:
    """The lead makes one of the cohort's co-facilitators its lead, and stays on as a
    co-facilitator. From then on only the new lead adds and removes co-facilitators, and
    hands the lead on. `expected_version` is the cohort's version when the lead's page was
    made: who facilitates the cohort must not have changed since.

    Side effects: one audit event (about the new lead); the cohort's version moves on.
    Raises EditConflict (carrying the cohort as it is) when the version is stale;
    LearningError when the actor is not the lead, or the person is not a co-facilitator of
    the cohort or no longer an active trainer.
    """
    cohort = _locked_for_lead(
        cohort, actor, _("Only the group's lead facilitator hands over the lead.")
    )
    if cohort.version != expected_version:
        raise EditConflict(cohort)
    if person.pk == cohort.lead_id or not cohort.facilitators.filter(pk=person.pk).exists():
        raise LearningError(_("Choose one of the group's co-facilitators."))
    if not person.is_active or not rules.can_teach(person):
        raise LearningError(_("Only an active trainer can lead the group."))
    # The version condition again in the UPDATE: on SQLite the row lock above is no lock.
    save_versioned(cohort, expected_version=expected_version, lead=person)
    cohort.facilitators.add(actor)  # already there; says that the former lead stays
    record_event(
        actor=actor,
        action="learning.lead_handed_over",
        organisation=None,
        target=cohort,
        subject_user=person,
    )
    return cohort
