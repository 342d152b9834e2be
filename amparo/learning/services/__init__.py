"""Every write of the e-learning module, each with its audit event (platform chain: courses
belong to no organisation, and neither do their learners). Events carry ids only, never what
anyone wrote.

Split by subject: `learners` (sign-up, enrolment, lessons, quizzes, completion), `cohorts`
(opening and joining a cohort, co-facilitators and the lead, reviews, announcements), `teams`
(group work); `common` holds what they share. Callers use
`from amparo.learning import services` and the names below.
"""

from amparo.learning.services.cohorts import (
    add_co_facilitator,
    create_cohort,
    hand_over_lead,
    join_cohort,
    post_announcement,
    remove_co_facilitator,
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
    place_learners,
    review_team_answer,
    write_team_answer,
)

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "MAX_ANNOUNCEMENT",
    "MAX_ANSWER",
    "MAX_TEAM_NAME",
    "LearningError",
    "add_co_facilitator",
    "complete_if_finished",
    "create_cohort",
    "create_team",
    "enrol",
    "hand_over_lead",
    "join_cohort",
    "mark_lesson_done",
    "new_certificate_code",
    "normalise_code",
    "place_learners",
    "post_announcement",
    "remove_co_facilitator",
    "review_answer",
    "review_team_answer",
    "sign_up_learner",
    "submit_answers",
    "team_work_given",
    "tell_owner_of_sign_up_attempt",
    "write_team_answer",
]
