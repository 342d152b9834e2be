"""The progress page of a long job, and the partial it polls.

With JavaScript, htmx asks for the partial every 2 s and sends the version it shows as
If-None-Match; the answer is 304 Not Modified until the job moves, so an idle poll costs one
indexed read and no rendering. Without JavaScript, the page refreshes itself every 5 s through a
meta refresh (no script: the CSP forbids inline code) and offers a Refresh link. A poll of a
job the person may not see (any more) answers 286 with a section without its trigger, and
htmx stops polling.
"""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amparo.accounts.models import User
from amparo.core.htmx import if_none_match, stop_polling_when_gone
from amparo.jobs.models import JobProgress
from amparo.jobs.queries import get_job_for_user

#: Seconds between polls (htmx) and between refreshes (no JavaScript).
POLL_SECONDS = 2
REFRESH_SECONDS = 5


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 -- LoginRequiredMiddleware guarantees it
    return user


def _etag(job: JobProgress) -> str:
    return f'"job-{job.pk}-v{job.version}"'


def _context(job: JobProgress) -> dict[str, object]:
    return {
        "job": job,
        "etag": _etag(job),
        "poll_seconds": POLL_SECONDS,
        "refresh_seconds": REFRESH_SECONDS,
    }


@require_GET
def job_detail(request: HttpRequest, job_id: UUID) -> HttpResponse:
    job = get_job_for_user(_user(request), job_id)
    return render(request, "jobs/job_detail.html", _context(job))


@require_GET
@stop_polling_when_gone("jobs/job_detail.html#job-progress-gone")
def job_progress(request: HttpRequest, job_id: UUID) -> HttpResponse:
    job = get_job_for_user(_user(request), job_id)
    etag = _etag(job)
    if etag in if_none_match(request):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = render(request, "jobs/job_detail.html#job-progress", _context(job))
    response["ETag"] = etag
    return response
