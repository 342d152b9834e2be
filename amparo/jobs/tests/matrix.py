"""Permission-matrix rows of the job progress pages (see amparo/testing/authz.py).

The job belongs to Dora (desk officer): only she sees it; everyone else gets 404, including her
lead, since an export's progress says what someone is exporting.
"""

from __future__ import annotations

from typing import Any

from amparo.testing.authz import Route, World


def _with_job(world: World, client: Any) -> None:
    from amparo.jobs.tests.factories import JobProgressFactory

    world.extra["job"] = JobProgressFactory(
        owner=world.people["desk_officer"], organisation=world.organisation
    )


def _job(world: World) -> list[object]:
    return [world.extra["job"].pk]


OWNER_ONLY = {
    "anonymous": 302,
    "defender": 404,
    "desk_officer": 200,
    "desk_lead": 404,
    "org_admin": 404,
    "outsider": 404,
}

MATRIX = [
    Route("jobs:job-detail", OWNER_ONLY, args=_job, setup=_with_job),
    Route("jobs:job-progress", OWNER_ONLY, args=_job, setup=_with_job),
]
