"""Signed-in pages of e-learning, split by who uses them: `learners` (their courses,
lessons, quizzes and certificates), `cohorts` (facilitators' cohorts, reviews,
announcements, co-facilitators; the join page), `teams` (group work)."""
