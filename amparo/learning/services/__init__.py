"""Every write of the e-learning module, each with its audit event (platform chain: courses
belong to no organisation, and neither do their learners). Events carry ids only, never what
anyone wrote.

Split by subject: `learners` (sign-up, enrolment, lessons, quizzes, completion), `cohorts`
(opening, renaming, deleting and joining a cohort, co-facilitators and the lead, reviews,
announcements), `teams` (group work: making, renaming, deleting teams); `common` holds what
they share. Callers use `from amparo.learning import services` and the names below.
"""

from amparo.learning.services.cohorts import (
    MAX_COHORT_NAME,
    add_co_facilitator,
    cohort_deletion_refusal,
    create_cohort,
    delete_cohort,
    hand_over_lead,
    join_cohort,
    post_announcement,
    remove_co_facilitator,
    rename_cohort,
    review_answer,
)
from amparo.learning.services.common import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_ANNOUNCEMENT,
    MAX_ANSWER,
    LearningError,
    new_certificate_code,
    normalise_code,
)
from amparo.learning.services.learners import (
    complete_if_finished,
    enrol,
    mark_lesson_done,
    sign_up_learner,
    submit_answers,
    team_work_given,
    tell_owner_of_sign_up_attempt,
)
from amparo.learning.services.teams import (
    MAX_TEAM_NAME,
    create_team,
    delete_team,
    place_learners,
    rename_team,
    review_team_answer,
    write_team_answer,
)

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "MAX_ANNOUNCEMENT",
    "MAX_ANSWER",
    "MAX_COHORT_NAME",
    "MAX_TEAM_NAME",
    "LearningError",
    "add_co_facilitator",
    "cohort_deletion_refusal",
    "complete_if_finished",
    "create_cohort",
    "create_team",
    "delete_cohort",
    "delete_team",
    "enrol",
    "hand_over_lead",
    "join_cohort",
    "mark_lesson_done",
    "new_certificate_code",
    "normalise_code",
    "place_learners",
    "post_announcement",
    "remove_co_facilitator",
    "rename_cohort",
    "rename_team",
    "review_answer",
    "review_team_answer",
    "sign_up_learner",
    "submit_answers",
    "team_work_given",
    "tell_owner_of_sign_up_attempt",
    "write_team_answer",
]
